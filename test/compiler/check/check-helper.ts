/**
 * Runs real rule text through the real loader, parser and checker. Inline sources may mark the
 * ranges a test expects with `<|` and `|>`; the markers are removed before parsing.
 */
import { expect } from 'vitest';
import { check } from '../../../compiler/check/index.js';
import { loadProgram } from '../../../compiler/load.js';
import type { RuleModel } from '../../../compiler/model.js';
import { LineIndex } from '../../../grammar/diagnostic.js';
import type { Diagnostic } from '../../../grammar/diagnostic.js';

/** The two keys every item needs, for tests about the others. */
export const BASE = 'path = /var/log/auth.log\nupbound_action = /bin/true\n';

/** An item section: `[name]` and then `body`. */
export function item(body: string, name = 'ITEM'): string {
  return `[${name}]\n${body}`;
}

/** A checked program and ways to look at its diagnostics. */
export interface Checked {
  readonly model: RuleModel;
  readonly diagnostics: readonly Diagnostic[];
  /** The source text a diagnostic points at. */
  text(d: Diagnostic): string;
  /** `file:line:col` of a diagnostic's start. */
  where(d: Diagnostic): string;
  /** The one diagnostic with this code (fails the test when there is not exactly one). */
  only(code: string): Diagnostic;
  codes(): string[];
}

/** Text with the `<|` `|>` markers removed and the ranges they marked. */
export interface Marked {
  readonly text: string;
  readonly marks: readonly { start: number; end: number }[];
}

/** Removes `<|` `|>` markers, returning the clean text and the marked ranges in order. */
export function marked(source: string): Marked {
  const marks: { start: number; end: number }[] = [];
  const open: number[] = [];
  let text = '';
  for (let i = 0; i < source.length; i++) {
    if (source.startsWith('<|', i)) {
      open.push(text.length);
      i++;
    } else if (source.startsWith('|>', i) && open.length > 0) {
      marks.push({ start: open.pop()!, end: text.length });
      i++;
    } else {
      text += source[i];
    }
  }
  return { text, marks: marks.sort((a, b) => a.start - b.start) };
}

/** Checks a program of in-memory files; parse and load must be clean unless `allowEarlier`. */
export function checkFiles(files: Readonly<Record<string, string>>, entry = 'main.rules', allowEarlier = false): Checked {
  const loaded = loadProgram(entry, { readFile: (name) => (Object.hasOwn(files, name) ? files[name] : undefined) });
  if (!allowEarlier) expect(loaded.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  const result = check(loaded.value);
  const indexes = new Map<string, LineIndex>();
  const indexOf = (file: string): LineIndex => {
    let index = indexes.get(file);
    if (index === undefined) {
      index = new LineIndex(loaded.value.files.get(file)?.text ?? files[file] ?? '');
      indexes.set(file, index);
    }
    return index;
  };
  return {
    model: result.value,
    diagnostics: result.diagnostics,
    text: (d) => indexOf(d.span.file).text.slice(d.span.start, d.span.end),
    where: (d) => {
      const p = indexOf(d.span.file).position(d.span.start);
      return `${d.span.file}:${p.line}:${p.column}`;
    },
    only(code) {
      const found = result.diagnostics.filter((d) => d.code === code);
      expect(found.map((d) => `${d.code} ${d.message}`)).toHaveLength(1);
      return found[0]!;
    },
    codes: () => result.diagnostics.map((d) => d.code),
  };
}

/** Checks one in-memory file named `main.rules`. */
export function checkText(text: string, allowEarlier = false): Checked {
  return checkFiles({ 'main.rules': text }, 'main.rules', allowEarlier);
}

/** Errors and warnings only (info diagnostics such as R323 are allowed almost everywhere). */
export function problems(checked: Checked): Diagnostic[] {
  return checked.diagnostics.filter((d) => d.severity !== 'info');
}
