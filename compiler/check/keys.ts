/** The names the checker knows: INI keys, MailLog settings, block kinds and their directives. */

/** Keys an item section may set; each may also appear in `[general]` as a default. */
export const ITEM_KEYS = [
  'path',
  'regex',
  'upbound_action',
  'upbound_freq',
  'upbound_holdoff',
  'downbound_action',
  'downbound_freq',
  'usecrc',
  'key',
  'size',
  'size_action',
  'start',
  'file_type',
  'rotate_wait',
  'line_max',
  'action_timeout',
  'max_keys',
  'shell',
  'clock',
  'time_format',
  'time_year',
  'time_zone',
  // A rule over Snort alerts: its listener's log directory, then its conditions (alert-filter.ts).
  'snort',
  'msg',
  'gid',
  'sid',
  'rev',
  'priority',
  'classification',
  'proto',
  'src',
  'dst',
  'sport',
  'dport',
] as const;

/** An item key name. */
export type ItemKey = (typeof ITEM_KEYS)[number];

/** Keys that only `[general]` may set. */
export const GENERAL_ONLY_KEYS = ['athread_count', 'uid', 'gid', 'state', 'window_memory'] as const;

/**
 * Keys the real logNOT read that rulec has no use for, with what to do instead. A logNOT
 * configuration that sets them still loads (with a warning) rather than failing on them.
 */
export const LOGNOT_ONLY_KEYS: Readonly<Record<string, string>> = {
  separator: 'rulec has no use for it',
  tmpdir: 'rulec keeps no temporary files; its state goes where `state` says',
  logfacility: 'rulec does not log to syslog; its own log goes to `-l FILE` or, with `-s`, to standard output',
  logfile: 'give the own log on the command line instead: `rulec run -l FILE`',
  loadtime: 'rulec has no use for it',
};

/** Every key an INI section may hold. */
export const ALL_INI_KEYS: readonly string[] = [...ITEM_KEYS, ...GENERAL_ONLY_KEYS];

/** MailLog `set` settings. */
export const SETTING_KEYS = ['pgp', 'to', 'from', 'smtp', 'smtp_tls', 'smtp_auth', 'smtp_ca', 'debug', 'subject', 'host', 'spool'] as const;

/** Block kinds the language defines; `module` adds more. */
export const BUILTIN_BLOCKS = ['command', 'monitor', 'watch', 'snort'] as const;

/** A built-in block kind. */
export type BuiltinBlock = (typeof BUILTIN_BLOCKS)[number];

/** Words a `module` alias may not take: the built-in blocks and the top-level commands. */
export const RESERVED_WORDS: readonly string[] = [
  ...BUILTIN_BLOCKS,
  'set',
  'source',
  'module',
  'do',
  'end',
  'ignore',
  'filter',
];

/** How many arguments a directive takes and whether it may repeat. */
export interface DirectiveSpec {
  readonly min: number;
  readonly max: number;
  readonly repeatable: boolean;
  readonly required: boolean;
}

const one = (required = false): DirectiveSpec => ({ min: 1, max: 1, repeatable: false, required });

/** The directives of each built-in block. */
export const BLOCK_DIRECTIVES: Readonly<Record<BuiltinBlock, Readonly<Record<string, DirectiveSpec>>>> = {
  command: { exec: one(true), description: one(), mime_file: one(), timeout: one() },
  monitor: {
    dir: { min: 1, max: Infinity, repeatable: true, required: true },
    description: one(),
    mime_file: one(),
    digest: one(),
    cross_filesystems: one(),
    realtime: one(),
    action: { min: 1, max: Infinity, repeatable: false, required: false },
    shell: one(),
  },
  watch: {
    logfile: one(true),
    description: one(),
    mime_file: one(),
    trim: one(),
    ignore_from: { min: 1, max: Infinity, repeatable: true, required: false },
    every: one(),
  },
  snort: {
    logdir: one(true),
    variant: one(),
    byte_order: one(),
    threads: one(),
    classification_config: one(),
    handler: { min: 1, max: Infinity, repeatable: true, required: false },
  },
};

/** True for `command`, `monitor`, `watch` and `snort`. */
export function isBuiltinBlock(name: string): name is BuiltinBlock {
  return (BUILTIN_BLOCKS as readonly string[]).includes(name);
}
