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

/** Text that breaks code pasted into a template: quotes, escapes, interpolation, comment ends, line breaks. */
export const HOSTILE = [
  'quote " and \' and `',
  'back\\slash \\\\ \\n \\u0041',
  '${process.exit(7)}',
  '*/ /* // <!-- -->',
  'new\nline\r\nand\ttab',
  'sep\u2028ara\u2029tor\u0085',
  'ünïcödé ß İ ς',
  'emoji 😀🔥 \uD83D',
  '\u0000nul\u00001',
  "'); process.exit(8); ('",
  '"); process.exit(9); ("',
];

/** Regexes (JS syntax) made of the same hazards, each with lines that must behave the same. */
export const HOSTILE_REGEXES: { js: string; flags: string; names?: string[]; lines: string[] }[] = [
  { js: `"([^"]*)" and '([^']*)' \`(x)\``, flags: '', lines: [`a "b" and 'c' \`x\``, 'none'] },
  { js: '\\\\(\\w+) \\*\\/ (.*)', flags: '', lines: ['\\abc */ rest', 'abc */ rest'] },
  { js: '\\$\\{(\\w+)\\}', flags: 'u', lines: ['${HOME}', '$HOME'] },
  { js: 'a\nb|\u2028(x)|\r', flags: '', lines: ['x\u2028x', 'a\nb', 'plain'] },
  { js: '(?<who>ünï)(.)😀+', flags: 'iu', names: ['who'], lines: ['ÜNÏx😀😀', 'uni😀'] },
  { js: '^(?:\\x00|\\u0000)(\\d*)$', flags: 's', lines: ['\u000012', '12'] },
];

/** A model carrying HOSTILE in every place a rule file's text reaches: names, paths, settings, actions, blocks. */
export function hostileModel(): RuleModel {
  const items = HOSTILE_REGEXES.map((r, i) =>
    item(HOSTILE[i % HOSTILE.length]!, `/var/log/${HOSTILE[i % HOSTILE.length]!}`, regex(r.js, r.flags, [], r.names ?? []), {
      upboundAction: argv(...HOSTILE.map((text, w) => (w % 3 === 0 ? [text, 1] : w % 3 === 1 ? ['@', text] : [text]))),
      downbound: { count: 1, seconds: 60 },
      downboundAction: shell(HOSTILE.join(' ; ')),
      timestamp: { format: 'syslog', year: 2024, zone: HOSTILE[i % HOSTILE.length]! },
    }),
  );
  return model({
    name: 'hostile "name" ${x} */.rules',
    settings: Object.fromEntries(HOSTILE.map((text, i) => [i % 2 === 0 ? text : `key${i}`, text])),
    items,
    blocks: [
      { kind: 'command', span: items[0]!.span, exec: HOSTILE[3]!, description: HOSTILE[4]!, mimeFile: HOSTILE[6]! },
      { kind: 'monitor', span: items[0]!.span, dirs: HOSTILE, description: null, mimeFile: null, digest: 'sha256', crossFilesystems: false, realtime: true, action: shell(HOSTILE.join(' ')).spec },
      {
        kind: 'snort',
        span: items[0]!.span,
        logdir: HOSTILE[2]!,
        variant: 'snort3',
        handlers: [{ name: HOSTILE[1]!, options: Object.fromEntries([['__proto__', HOSTILE[0]!], [HOSTILE[5]!, HOSTILE[7]!]]) }],
      },
      { kind: 'custom', span: items[0]!.span, alias: 'custom', module: HOSTILE[9]!, path: HOSTILE[10]!, directives: [{ name: HOSTILE[8]!, args: HOSTILE }] },
    ],
  });
}
