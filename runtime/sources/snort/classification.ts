/**
 * Snort's `classification.config`: `config classification: shortname,description,priority`
 * lines, numbered from 1 in file order; an alert's `classification` is that number.
 */
import { readFileSync } from 'node:fs';

/** One classification. */
export interface Classification {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly priority: number | null;
}

const LINE = /^\s*config\s+classification\s*:\s*(.*)$/;

/** The classifications of a config's text by id; lines that are not classifications are skipped. */
export function parseClassifications(text: string): ReadonlyMap<number, Classification> {
  const byId = new Map<number, Classification>();
  for (const line of text.split(/\r?\n/)) {
    const found = LINE.exec(line);
    if (found === null) continue;
    const [name = '', description = '', priority = ''] = found[1]!.split(',').map((part) => part.trim());
    if (name === '') continue;
    const id = byId.size + 1;
    const level = /^\d+$/.test(priority) ? Number(priority) : null;
    byId.set(id, { id, name, description, priority: level });
  }
  return byId;
}

/** Reads a classification.config; the error says why it could not be read. */
export function readClassifications(path: string): { value: ReadonlyMap<number, Classification> } | { error: string } {
  try {
    return { value: parseClassifications(readFileSync(path, 'utf8')) };
  } catch (error) {
    return { error: `cannot read ${path}: ${(error as Error).message}` };
  }
}
