/**
 * What every key, setting, block and directive means, in one place: docs/language.md's table of
 * item keys is generated from it (`npm run docs:language`, checked by test/grammar/docs.test.ts)
 * and the language server's hover and completion read it.
 */
import type { BuiltinBlock, ItemKey } from './keys.js';
import { GENERAL_ONLY_KEYS, SETTING_KEYS } from './keys.js';

/** The shape of a value, which completion uses to offer values and units. */
export type ValueKind =
  | 'path'
  | 'regex'
  | 'frequency'
  | 'action'
  | 'duration'
  | 'boolean'
  | 'capture'
  | 'integer'
  | 'size'
  | 'choice'
  | 'zone'
  | 'text'
  | 'condition';

/** One INI key: the columns of docs/language.md's table. */
export interface KeyDoc {
  /** What the value is, as the table's "value" column says it (Markdown). */
  readonly value: string;
  readonly default: string;
  /** What it does (Markdown, links relative to docs/). */
  readonly what: string;
  readonly kind: ValueKind;
  /** The words a `choice` or `boolean` key takes. */
  readonly choices?: readonly string[];
  /** Documented with the Snort listener (docs/snort.md), not in language.md's table. */
  readonly snort?: true;
}

const BOOLEAN = ['true', 'false', 'yes', 'no', '1', '0'] as const;

const condition = (what: string): KeyDoc => ({ value: 'list', default: 'any', what, kind: 'condition', snort: true });

/** Every item key, in the order docs/language.md lists them. */
export const ITEM_KEY_DOCS = {
  path: { value: 'file path', default: 'required', what: 'the log to follow (a symlink is followed to its target)', kind: 'path' },
  regex: { value: 'Perl/PCRE regex', default: '`.*`', what: 'what a line must match ([regex.md](regex.md)); `$0..$n` and named groups are its captures', kind: 'regex' },
  upbound_freq: { value: '`N/T`, N ≤ 1,000,000', default: 'none', what: 'fire when more than N matches fall in the last T seconds; `0/T`, `0/0` or none: every match fires', kind: 'frequency' },
  upbound_action: { value: 'action', default: '—', what: 'run on an up-bound fire, with the match\'s captures ([actions.md](actions.md))', kind: 'action' },
  upbound_holdoff: {
    value: 'duration',
    default: 'T of `upbound_freq`; 0 without one',
    what: 'after a key fired, its matches for this long are counted (`rulec test` shows them) but fire nothing; then it counts afresh. `0`: counts afresh at once, as logNOT did ([engine.md](engine.md#windows))',
    kind: 'duration',
  },
  downbound_freq: { value: '`N/T`', default: 'none', what: 'fire when fewer than N matches arrived in the last T seconds, again every T while it lasts; `0/T` turns it off', kind: 'frequency' },
  downbound_action: { value: 'action, no `$N`', default: '—', what: 'run on a down-bound fire; gets `RULEC_COUNT`, `RULEC_WINDOW`', kind: 'action' },
  usecrc: { value: 'boolean', default: '`false`', what: 'count per CRC-32 of `$0`', kind: 'boolean', choices: BOOLEAN },
  key: { value: '`$N` or `$name`', default: 'none', what: 'count per capture instead (not with `usecrc`)', kind: 'capture' },
  max_keys: { value: '1 to 10,000,000', default: '100,000', what: 'keys kept per item; the least recently used is evicted and counted', kind: 'integer' },
  size: { value: 'size > 0', default: 'none', what: 'fire `size_action` each time the file reaches a new multiple of this', kind: 'size' },
  size_action: { value: 'action, no `$N`', default: '—', what: 'gets `RULEC_PATH`, `RULEC_SIZE`, `RULEC_THRESHOLD`', kind: 'action' },
  shell: { value: 'boolean', default: '`false`', what: 'run actions under `/bin/sh -c`, captures only as `RULEC_*` variables (warned, R312)', kind: 'boolean', choices: BOOLEAN },
  action_timeout: { value: 'duration, ≤ 24 d', default: '60', what: 'kill an action still running after this; 0: never', kind: 'duration' },
  start: { value: '`end` or `beginning`', default: '`end`', what: 'where to start reading a file met for the first time', kind: 'choice', choices: ['end', 'beginning'] },
  file_type: { value: '`file` or `fifo`', default: '`file`', what: 'a regular file (rotation followed) or a named pipe', kind: 'choice', choices: ['file', 'fifo'] },
  rotate_wait: { value: 'duration', default: '5', what: 'how long a rotated-away file is still read ([tailing.md](tailing.md))', kind: 'duration' },
  line_max: {
    value: 'size, ≤ 16M',
    default: '64K',
    what: 'longer lines are cut to this many bytes of the log (at a character boundary; an invalid UTF-8 byte counts as the one byte it is), counted and logged',
    kind: 'size',
  },
  clock: { value: '`arrival` or `log`', default: '`arrival`', what: 'count windows by arrival time, or by the time written in the line', kind: 'choice', choices: ['arrival', 'log'] },
  time_format: {
    value: '`auto`, `syslog`, `iso8601`, `epoch`',
    default: '`auto`',
    what: 'how to read that time ([engine.md](engine.md#time))',
    kind: 'choice',
    choices: ['auto', 'syslog', 'iso8601', 'epoch'],
  },
  time_year: { value: '1970 to 9999', default: 'from now', what: 'the year a year-less syslog log begins in', kind: 'integer' },
  time_zone: { value: 'IANA name or `UTC`', default: 'host zone', what: 'the zone of stamps without an offset', kind: 'zone' },
  snort: { value: 'log directory', default: 'none', what: 'makes the item a rule over the Snort alerts of this listener\'s log directory, instead of `path` ([snort.md](snort.md))', kind: 'path', snort: true },
  msg: { value: 'Perl/PCRE regex', default: 'any', what: 'a Snort rule\'s condition on the alert message, instead of `regex`', kind: 'regex', snort: true },
  gid: condition('generator ids or ranges `N-M` the alert must have'),
  sid: condition('signature ids or ranges `N-M` the alert must have'),
  rev: condition('signature revisions or ranges `N-M` the alert must have'),
  priority: condition('priorities or ranges `N-M` the alert must have'),
  classification: condition('classification names or numbers the alert must have'),
  proto: condition('protocols (`tcp`, `udp`, `icmp`, `icmpv6` or numbers) the alert must have'),
  src: condition('source addresses or networks (`address/bits`) the alert must come from'),
  dst: condition('destination addresses or networks the alert must go to'),
  sport: condition('source ports or ranges the alert must have'),
  dport: condition('destination ports or ranges the alert must have'),
} as const satisfies Record<ItemKey, KeyDoc>;

/** Keys only `[general]` takes. */
export const GENERAL_KEY_DOCS = {
  athread_count: { value: '1 to 64', default: '2', what: 'how many actions run at once', kind: 'integer' },
  uid: { value: 'user name or number', default: 'none', what: 'whom to run as after start (`-u` overrides)', kind: 'text' },
  gid: { value: 'group name or number', default: 'none', what: 'the group to run as after start (`-g` overrides)', kind: 'text' },
  state: {
    value: 'directory',
    default: 'none',
    what: 'a directory for checkpoints, created 0700; refused when another user could write it or a directory above it ([tailing.md](tailing.md#the-state-directory))',
    kind: 'path',
  },
  window_memory: {
    value: 'size',
    default: '`1G`',
    what: 'the most the items\' counting windows may need with every key at its limit, `max_keys` × the times a key keeps × 8 bytes summed over the items; `rulec check` refuses more, R335 ([engine.md](engine.md#windows))',
    kind: 'size',
  },
} as const satisfies Record<(typeof GENERAL_ONLY_KEYS)[number], KeyDoc>;

/** MailLog `set` settings (docs/report.md). */
export const SETTING_DOCS = {
  pgp: 'the OpenPGP public key file(s) each attachment is encrypted to, or a command in MailLog\'s form that encrypts standard input; required by `rulec report`',
  to: 'the report\'s recipients, comma-separated; required',
  from: 'the sender; default `rulec@HOST`',
  smtp: 'the mail server: `HOST`, `HOST:PORT`, `smtp://HOST[:PORT]` or `smtps://HOST[:PORT]`; never credentials (R360)',
  smtp_tls: '`opportunistic` (default), `starttls`, `tls` or `none`',
  smtp_auth: 'a file with the SMTP user name and password on two lines, readable by its owner only',
  smtp_ca: 'PEM certificates to trust for the mail server instead of the system\'s',
  debug: 'one stderr line per step of `rulec report`',
  subject: 'the subject; `{host}`, `{date}` and `{time}` are filled in',
  host: 'the host name the report shows; default the system\'s',
  spool: 'where reports wait when they cannot be sent',
} as const satisfies Record<(typeof SETTING_KEYS)[number], string>;

/** The values `set smtp_tls` takes. */
export const SMTP_TLS_MODES: readonly string[] = ['opportunistic', 'starttls', 'tls', 'none'];

/** The built-in block kinds. */
export const BLOCK_DOCS = {
  command: 'runs a program once per report and attaches its output (MailLog\'s `command` module)',
  monitor: 'lists every file under its directories with a digest; `rulec monitor --check` compares a listing with a prior one (MailLog\'s `monitor` module)',
  watch: 'reports the lines a log file gained, less those its `ignore`/`filter` rules drop (MailLog\'s `watch` module)',
  snort: 'listens on Snort\'s alert socket; holds handlers and `rule` blocks over alerts ([snort.md](snort.md))',
} as const satisfies Record<BuiltinBlock, string>;

/** The directives of each built-in block. */
export const DIRECTIVE_DOCS: Readonly<Record<BuiltinBlock, Readonly<Record<string, string>>>> = {
  command: {
    exec: 'the program and its arguments, split into words as a shell would, run without one; required',
    description: 'the attachment\'s title in the report',
    mime_file: 'the attachment\'s file name',
    timeout: 'seconds after which the program is killed',
  },
  monitor: {
    dir: 'one or more directories to list; may repeat; required',
    description: 'the attachment\'s title in the report',
    mime_file: 'the attachment\'s file name',
    digest: '`md5` (default, MailLog\'s) or `sha256`: the digest of the listing',
    cross_filesystems: '`yes` or `no` (default): enter directories on other file systems below a `dir`',
    realtime: '`yes` or `no`: in `rulec run`, report each change as it happens',
    action: 'run on each realtime change, as an item\'s action: `$1` (`$change`) and `$2` (`$path`)',
    shell: '`yes` or `no`: run the action under `/bin/sh` (captures only as `RULEC_*` variables)',
  },
  watch: {
    logfile: 'the log whose new lines are reported; required',
    description: 'the attachment\'s title in the report',
    mime_file: 'the attachment\'s file name',
    trim: '`yes` or `no` (default): strip blanks from both ends of each line before matching and reporting',
    ignore_from: 'files of POSIX extended regexes (grep -E, logcheck\'s lists): lines matching one are dropped',
    every: 'a period of at least 1m: in `rulec run`, the lines gathered are sent as a digest this often',
  },
  snort: {
    logdir: 'the directory of Snort\'s alert socket; required',
    variant: 'the datagram layout: `snort2`, `snort3`, `snort2-appid`, `snort3-appid` or `legacy`',
    byte_order: '`native`, `little` or `big`',
    threads: 'how many packet threads (sockets `0_snort_alert`, ...) Snort 3 runs',
    classification_config: 'Snort\'s classification.config, to name classifications',
    handler: '`json`, `http`, `repl` or `mail` with its `key=value` options; may repeat',
  },
};

/** Top-level words that are not blocks. */
export const COMMAND_DOCS: Readonly<Record<string, string>> = {
  set: '`set NAME VALUE`: a MailLog setting',
  source: '`source "FILE"`: includes another rule file, relative to this one\'s directory',
  module: '`module Name alias PATH`: declares a custom block kind `alias`, implemented by the JavaScript module at PATH',
  ignore: '`ignore =~ /re/`: drop lines that match (in a `watch` block)',
  filter: '`filter =~ /re/`: keep only lines that match (in a `watch` block)',
  do: '`do ignore` or `do filter` ... `end`: a group whose operands must all hold',
  end: 'closes a `do` group',
};

/** The doc of an INI key, item or `[general]`-only. */
export function keyDoc(key: string): KeyDoc | undefined {
  if (Object.hasOwn(ITEM_KEY_DOCS, key)) return ITEM_KEY_DOCS[key as ItemKey];
  if (Object.hasOwn(GENERAL_KEY_DOCS, key)) return GENERAL_KEY_DOCS[key as keyof typeof GENERAL_KEY_DOCS];
  return undefined;
}

function table(docs: Readonly<Record<string, KeyDoc>>): string {
  const rows = Object.entries(docs)
    .filter(([, doc]) => doc.snort !== true)
    .map(([key, doc]) => `| \`${key}\` | ${doc.value} | ${doc.default} | ${doc.what} |`);
  return ['| key | value | default | what |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The generated tables of docs/language.md, by the name of the marker around each. */
export const KEY_TABLES: Readonly<Record<string, () => string>> = {
  // File items; Snort's keys are documented in docs/snort.md.
  'item-keys': () => table(ITEM_KEY_DOCS),
  'general-keys': () => table(GENERAL_KEY_DOCS),
};

/**
 * `markdown` with the text between each `<!-- generated: NAME -->` and `<!-- end: NAME -->`
 * replaced by that table (`npm run docs:language`).
 */
export function withKeyTables(markdown: string): string {
  let out = markdown;
  for (const [name, render] of Object.entries(KEY_TABLES)) {
    const open = `<!-- generated: ${name} -->\n`;
    const close = `<!-- end: ${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close, start);
    if (start < 0 || end < 0) throw new Error(`docs/language.md has no ${open.trim()} ... ${close}`);
    out = `${out.slice(0, start + open.length)}${render()}\n${out.slice(end)}`;
  }
  return out;
}
