import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { completeJsonLines } from '../../helpers/json-lines.js';
import type { ActionSpec, ItemSpec, TemplatePart } from '../../../runtime/contract.js';

/** A script that appends `{ argv, env }` as JSON to $DUMP_FILE. */
const DUMP_SCRIPT = fileURLToPath(new URL('./argv-dump.mjs', import.meta.url));

/** Template parts: literal text, capture N, the whole line. */
export const text = (t: string): TemplatePart => ({ kind: 'text', text: t });
export const cap = (index: number): TemplatePart => ({ kind: 'capture', index });
export const whole: TemplatePart = { kind: 'line' };

/** `node argv-dump.mjs WORD...` with each word made of the given parts. */
export function dumpAction(...words: TemplatePart[][]): ActionSpec {
  return { shell: false, argv: [[text(process.execPath)], [text(DUMP_SCRIPT)], ...words], source: 'test' };
}

/** An item on /dev/null that matches nothing and fires nothing; tests override what they need. */
export function item(overrides: Partial<ItemSpec> = {}): ItemSpec {
  return {
    name: 'T', path: '/dev/null', fileType: 'file', start: 'end',
    match: () => null, groupCount: 0,
    upbound: null, upboundAction: null, downbound: null, downboundAction: null,
    key: { kind: 'none' }, maxKeys: 1000, size: null, sizeAction: null,
    clock: 'arrival', timestamp: { format: 'auto' }, lineMax: 65536, rotateWait: 0, actionTimeout: 0,
    ...overrides,
  };
}

/** A temporary directory with the dump file the argv-dump script appends to. */
export interface TempDir {
  readonly path: string;
  readonly dump: string;
  records(): { argv: string[]; env: Record<string, string> }[];
  has(name: string): boolean;
  remove(): void;
}

/** A fresh temporary directory; `remove()` deletes it. */
export function tempDir(): TempDir {
  const path = mkdtempSync(join(tmpdir(), 'rulec-act-'));
  const dump = join(path, 'dump.jsonl');
  return {
    path,
    dump,
    records: () => completeJsonLines<{ argv: string[]; env: Record<string, string> }>(dump),
    has: (name) => existsSync(join(path, name)),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
