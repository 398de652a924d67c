/** Hand-built rule models for generator tests (the checker's output shape, compiler/model.ts). */
import type { ActionModel, ItemModel, RegexModel, RuleModel } from '../../../compiler/model.js';
import type { ActionSpec, TemplatePart } from '../../../runtime/contract.js';

const at = { file: 'test.rules', start: 0, end: 0 };

/** A regex model; `literals` stands in for the translator's requiredLiterals. */
export function regex(js: string, flags = '', literals: readonly string[] = [], groupNames: readonly string[] = []): RegexModel {
  const groupCount = new RegExp(`${js}|`, flags).exec('')!.length - 1;
  return {
    source: js,
    js,
    flags,
    groupCount,
    groupNames,
    requiredLiterals: literals,
    caseInsensitive: flags.includes('i'),
    span: at,
  };
}

/** An argv action from words made of parts. */
export function argv(...words: (string | number | '@')[][]): ActionModel {
  const parts = words.map((word) =>
    word.map((part): TemplatePart =>
      typeof part === 'number' ? { kind: 'capture', index: part } : part === '@' ? { kind: 'line' } : { kind: 'text', text: part },
    ),
  );
  const spec: ActionSpec = { shell: false, argv: parts, source: words.map((w) => w.join('')).join(' ') };
  return { spec, span: at };
}

export function shell(command: string): ActionModel {
  return { spec: { shell: true, command, source: command }, span: at };
}

export function item(name: string, path: string, re: RegexModel, extra: Partial<ItemModel> = {}): ItemModel {
  return {
    name,
    span: at,
    path,
    fileType: 'file',
    start: 'end',
    regex: re,
    everyLine: false,
    upbound: { count: 5, seconds: 30 },
    upboundAction: argv(['/bin/echo'], [1]),
    downbound: null,
    downboundAction: null,
    key: { kind: 'none' },
    maxKeys: 100000,
    size: null,
    sizeAction: null,
    clock: 'arrival',
    timestamp: { format: 'auto' },
    lineMax: 65536,
    rotateWait: 5,
    actionTimeout: 60,
    ...extra,
  };
}

export function model(extra: Partial<RuleModel> = {}): RuleModel {
  return {
    name: 'test.rules',
    files: ['test.rules'],
    settings: {},
    engine: { actionThreads: 2, uid: null, gid: null, stateDir: null },
    items: [],
    blocks: [],
    modules: [],
    ...extra,
  };
}
