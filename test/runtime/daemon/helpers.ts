import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { completeJsonLines } from '../../helpers/json-lines.js';
import { CONTRACT_VERSION, type ActionSpec, type ItemSpec, type RuleModule, type TemplatePart } from '../../../runtime/contract.js';
import { text } from '../actions/helpers.js';

export { cap, text } from '../actions/helpers.js';

/** `node marker.mjs RECORDS WORD...` appends the words as one JSON line to RECORDS. */
export const MARKER = fileURLToPath(new URL('./marker.mjs', import.meta.url));


/** An action running the marker with `records` as its file and one word per template. */
export function markerAction(records: string, ...words: TemplatePart[][]): ActionSpec {
  return { shell: false, argv: [[text(process.execPath)], [text(MARKER)], [text(records)], ...words], source: 'test' };
}

/** An item matching `regex` (captures as `$N`); everything else as the checker's defaults. */
export function item(name: string, path: string, regex: RegExp, overrides: Partial<ItemSpec> = {}): ItemSpec {
  return {
    name, path, fileType: 'file', start: 'end',
    match: (line) => {
      const m = regex.exec(line);
      return m === null ? null : { captures: [...m] };
    },
    groupCount: 0,
    upbound: null, upboundAction: null, downbound: null, downboundAction: null,
    key: { kind: 'none' }, maxKeys: 1000, size: null, sizeAction: null,
    clock: 'arrival', timestamp: { format: 'auto' }, lineMax: 65536, rotateWait: 1, actionTimeout: 10,
    ...overrides,
  };
}

/** A module with one source per distinct path, every item a candidate for every line. */
export function ruleModule(items: readonly ItemSpec[], name = 'test.rules'): RuleModule {
  const paths = [...new Set(items.map((i) => i.path))];
  return {
    contractVersion: CONTRACT_VERSION,
    name,
    settings: {},
    engine: { actionThreads: 2, uid: null, gid: null, stateDir: null },
    items,
    sources: paths.map((path) => {
      const own = items.flatMap((it, i) => (it.path === path ? [i] : []));
      return { path, fileType: items[own[0]!]!.fileType, start: 'end', items: own, literals: own.map(() => null) };
    }),
    blocks: [],
  };
}

/** A temporary directory with helpers for the files the marker script writes. */
export interface TempDir {
  readonly path: string;
  file(name: string): string;
  /** The JSON lines of a records file, [] while it does not exist. */
  records(name: string): string[][];
  remove(): void;
}

/** A fresh temporary directory; `remove()` deletes it. */
export function tempDir(prefix = 'rulec-daemon-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const file = (name: string): string => join(path, name);
  return {
    path,
    file,
    records: (name) => completeJsonLines<string[]>(file(name)),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

export { waitFor } from '../../helpers/wait-for.js';
