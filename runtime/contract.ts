/**
 * The contract between generated matcher modules and the runtime. Generated modules
 * `import type` from here and default-export a `RuleModule`; the loader refuses a module
 * whose `contractVersion` differs from `CONTRACT_VERSION`. Bump the version on any change
 * a module built by an older compiler could not satisfy.
 */
export const CONTRACT_VERSION = 3;

/** Captures of one match: index 0 is the whole match (`$0`), then `$1..$n`; unmatched groups are `undefined`. */
export type Captures = readonly (string | undefined)[];

export interface MatchResult {
  readonly captures: Captures;
  /** Named groups, when the pattern has any. */
  readonly groups?: Readonly<Record<string, string | undefined>>;
}

/** `N/T`: N matches in T seconds. */
export interface Frequency {
  readonly count: number;
  readonly seconds: number;
}

/** One piece of an action word: literal text, a capture (`$N`), or the whole line (`$@`). */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'capture'; readonly index: number }
  | { readonly kind: 'line' };

/**
 * A compiled action. Without a shell, `argv` words are filled once from the match and the
 * program is spawned directly. With `shell: true`, `command` runs under `/bin/sh -c` exactly
 * as written and captures travel only as environment variables (`RULEC_0..`, `RULEC_LINE`).
 */
export type ActionSpec =
  | { readonly shell: false; readonly argv: readonly (readonly TemplatePart[])[]; readonly source: string }
  | { readonly shell: true; readonly command: string; readonly source: string };

/** How a line's own timestamp is read when windows count in log time. */
export interface TimestampSpec {
  readonly format: 'auto' | 'syslog' | 'iso8601' | 'epoch';
  /** Year for year-less syslog stamps; undefined means the year that places the stamp at or before now. */
  readonly year?: number;
  /** IANA zone or `UTC` for stamps without an offset; undefined means the host's zone. */
  readonly zone?: string;
}

/** Per-item counting key. `line`: one counter for the item; `crc`: CRC-32 of `$0`; `capture`: the value of `$N`. */
export type KeySpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'crc' }
  | { readonly kind: 'capture'; readonly index: number };

/** One logNOT-style item: a regex on a file, its windows, thresholds and actions. */
export interface ItemSpec {
  readonly name: string;
  readonly path: string;
  readonly fileType: 'file' | 'fifo';
  readonly start: 'end' | 'beginning';
  /** Runs the item's regex on one line (already capped and without its line break). */
  readonly match: (line: string) => MatchResult | null;
  /**
   * The same regex as a yes/no, true exactly when `match` would not return null. Cheaper (no
   * captures are built): the engine uses it when it needs captures only for a firing action.
   */
  readonly test?: (line: string) => boolean;
  /**
   * The regex for a line cut at `line_max`, when the item's has an end anchor (`$`, `\z`, `\Z`):
   * the same pattern with those never matching, for a cut line ends where the line does not
   * (runtime/engine/cut-line.ts). Absent: `match` and `test` serve cut lines too.
   */
  readonly cut?: {
    readonly match: (line: string) => MatchResult | null;
    readonly test: (line: string) => boolean;
  };
  /** Number of capture groups, so `$N` beyond it was already rejected at compile time. */
  readonly groupCount: number;
  readonly upbound: Frequency | null;
  readonly upboundAction: ActionSpec | null;
  /**
   * Seconds after an up-bound fire during which the key's matches are counted but fire
   * nothing (`upbound_holdoff`); 0 or absent (a module built before hold-offs): the key counts
   * afresh at once.
   */
  readonly upboundHoldoff?: number;
  readonly downbound: Frequency | null;
  readonly downboundAction: ActionSpec | null;
  readonly key: KeySpec;
  readonly maxKeys: number;
  /** Bytes; the size action fires at each multiple crossed. */
  readonly size: number | null;
  readonly sizeAction: ActionSpec | null;
  /** Which clock windows count in when running live; replay (`rulec test --replay`) always uses `log`. */
  readonly clock: 'arrival' | 'log';
  readonly timestamp: TimestampSpec;
  readonly lineMax: number;
  /** Seconds to keep reading a renamed file after rotation. */
  readonly rotateWait: number;
  /** Seconds before a running action is killed; 0 means never. */
  readonly actionTimeout: number;
  /**
   * A rule over Snort alerts (in a snort block's `rules`): the conditions an alert must meet to
   * count as a match; `match` and `test` are then unused and the captures are `ALERT_FIELDS`.
   */
  readonly alert?: AlertFilterSpec;
  /**
   * The item has no regex of its own and counts every line (a size alarm, or a flood or silence
   * alarm): `rulec test` does not count it as matching a line, so `--missed` still shows what no
   * rule is about.
   */
  readonly everyLine?: boolean;
  /**
   * The regex is outside V8's linear-time engine (a lookaround, a back reference, `\p{..}`...):
   * the engine runs `match` under a per-line deadline (runtime/engine/regex-deadline.ts) and
   * never `test`. Absent: the regex is bounded by V8's linear-time fallback.
   */
  readonly deadline?: boolean;
}

/**
 * All items reading one path share one reader and one prefilter. The module carries only the
 * prefilter's data: `literals[k]` is a string every match of `items[k]` contains (compared
 * case-folded, see runtime/prefilter), or null when that item must be tried on every line.
 * The runtime builds the automaton once per source at load.
 */
export interface SourceSpec {
  readonly path: string;
  readonly fileType: 'file' | 'fifo';
  readonly start: 'end' | 'beginning';
  readonly items: readonly number[];
  /** Aligned with `items`. */
  readonly literals: readonly (string | null)[];
  /**
   * Aligned with `items`: the item's regex as a plain sequence, when it is one and holds its
   * literal where the sequence's anchor says (null: the regex decides every candidate). Lets
   * the prefilter decide such a regex on an ASCII line itself. Absent in older modules.
   */
  readonly sequences?: readonly (SequenceSpec | null)[];
}

/**
 * One part of a `SequenceSpec`. `text`: these ASCII characters exactly. `set`: from `min` to
 * `max` (null: no limit) characters, each in one of the inclusive ASCII code `ranges`.
 * `start`, `end`: the line's start or end (`^`, `$` without the m flag).
 */
export type SequencePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'set'; readonly ranges: readonly (readonly [number, number])[]; readonly min: number; readonly max: number | null }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' };

/**
 * A regex that is a plain sequence, as far as ASCII lines go: it matches an ASCII line exactly
 * when some substring (`start`/`end` at the line's ends) is spelled by `parts` in order. Every
 * match holds the source's literal for the item (ASCII case folded) where `parts[anchor]`
 * begins.
 */
export interface SequenceSpec {
  readonly parts: readonly SequencePart[];
  readonly anchor: number;
}

/** A regex test of a MailLog `watch` block: operands AND-ed inside a group, groups OR-ed. */
export interface MatchGroupSpec {
  readonly operands: readonly {
    readonly negated: boolean;
    readonly test: (line: string) => boolean;
    /**
     * The test for a line cut at `line_max`, when the regex has an end anchor: the same pattern
     * with those never matching (runtime/engine/cut-line.ts). Absent: `test` serves cut lines too.
     */
    readonly cut?: (line: string) => boolean;
    /**
     * Strings every match of the regex holds, all of them (ASCII lower case when it ignores
     * case): the watch's prefilter finds the group by them. Absent: none known (older modules too).
     */
    readonly literals?: readonly string[];
    /** The regex is outside V8's linear-time engine: it runs under the per-line deadline. */
    readonly deadline?: boolean;
  }[];
}

/** Values a condition accepts (`any`, empty: all) and refuses (`not`). */
export interface ConditionSpec<T> {
  readonly any: readonly T[];
  readonly not: readonly T[];
}

/** An inclusive range of whole numbers. */
export type RangeSpec = readonly [number, number];

/** An IPv4 or IPv6 network, `address/bits`. */
export interface CidrSpec {
  readonly address: string;
  readonly bits: number;
  readonly family: 'ipv4' | 'ipv6';
}

/**
 * What a Snort alert must be to match a rule; null: anything. `msg` tests the alert's message;
 * `classification` holds class names or numbers as written; `proto` IP protocol numbers.
 */
export interface AlertFilterSpec {
  readonly msg: ((msg: string) => boolean) | null;
  readonly gid: ConditionSpec<RangeSpec> | null;
  readonly sid: ConditionSpec<RangeSpec> | null;
  readonly rev: ConditionSpec<RangeSpec> | null;
  readonly priority: ConditionSpec<RangeSpec> | null;
  readonly classification: ConditionSpec<string> | null;
  readonly proto: ConditionSpec<number> | null;
  readonly src: ConditionSpec<CidrSpec> | null;
  readonly dst: ConditionSpec<CidrSpec> | null;
  readonly sport: ConditionSpec<RangeSpec> | null;
  readonly dport: ConditionSpec<RangeSpec> | null;
}

/**
 * MailLog-style blocks and the Snort listener; run by `rulec report` / `rulec snort`. `Group` is
 * how a block holds its regex tests: a module holds functions (`MatchGroupSpec`), the compiler's
 * model holds the checked regexes. The model derives its block types from this one (adding a
 * span), so a new kind or field is declared here only. `Rule` is how a snort block holds its
 * rules: `ItemSpec`s in a module, checked items in the model.
 */
export type BlockSpec<Group = MatchGroupSpec, Rule = ItemSpec> =
  | {
      readonly kind: 'command';
      readonly exec: string;
      /** `exec` split into words at compile time; absent in modules of older compilers. */
      readonly argv?: readonly string[];
      /** Seconds before the command is killed; absent in modules of older compilers. */
      readonly timeout?: number;
      readonly description: string | null;
      readonly mimeFile: string | null;
    }
  | {
      readonly kind: 'monitor';
      readonly dirs: readonly string[];
      readonly description: string | null;
      readonly mimeFile: string | null;
      /** Digest of new listings; absent in modules of older compilers: `md5`. */
      readonly digest?: 'md5' | 'sha256';
      /** Enter mount points below the dirs; absent: no. */
      readonly crossFilesystems?: boolean;
      /** `rulec run` watches the trees and reports each change as it happens; absent: no. */
      readonly realtime?: boolean;
      /** Run on each realtime change: `$0` the report line, `$1` added/removed/changed, `$2` the path. */
      readonly action?: ActionSpec | null;
    }
  | {
      readonly kind: 'watch';
      readonly logfile: string;
      readonly description: string | null;
      readonly mimeFile: string | null;
      readonly trim: boolean;
      readonly ignore: readonly Group[];
      readonly filter: readonly Group[];
      /** logcheck-format ignore lists (a file, or a directory of them), read when the block runs; absent: none. */
      readonly ignoreFrom?: readonly string[];
      /** `rulec run` mails the unusual lines every this many seconds; absent or null: reports only. */
      readonly every?: number | null;
    }
  | {
      readonly kind: 'snort';
      readonly logdir: string;
      readonly variant: 'snort2' | 'snort3' | 'snort2-appid' | 'snort3-appid' | 'legacy';
      readonly handlers: readonly { readonly name: string; readonly options: Readonly<Record<string, string>> }[];
      /** The sender's byte order; absent in modules of older compilers (native). */
      readonly byteOrder?: 'native' | 'little' | 'big';
      /** Snort 3 packet threads, one socket each; absent: 1. */
      readonly threads?: number;
      /** classification.config for class names; absent or null: none. */
      readonly classificationConfig?: string | null;
      /** The rules over this listener's alerts (`rule` blocks, and INI items with `snort = logdir`). */
      readonly rules?: readonly Rule[];
    }
  | {
      readonly kind: 'custom';
      readonly alias: string;
      readonly module: string;
      readonly path: string;
      readonly directives: readonly { readonly name: string; readonly args: readonly string[] }[];
    };

/** Engine-wide settings from `[general]`. */
export interface EngineSettings {
  readonly actionThreads: number;
  readonly uid: string | null;
  readonly gid: string | null;
  /** Checkpoint directory; null disables checkpoints. */
  readonly stateDir: string | null;
}

/** What a generated module default-exports. */
export interface RuleModule {
  readonly contractVersion: number;
  /** The rule file it was compiled from, relative as given to the compiler. */
  readonly name: string;
  /** MailLog `set key value` settings, verbatim. */
  readonly settings: Readonly<Record<string, string>>;
  readonly engine: EngineSettings;
  readonly items: readonly ItemSpec[];
  readonly sources: readonly SourceSpec[];
  readonly blocks: readonly BlockSpec[];
}

/**
 * What a Snort alert offers rule actions and counting keys, as captures: `$0` (and `$@`) is the
 * alert in Snort's alert_fast form, then `$1`… in this order, also by name (`$src`, `${dport}`).
 * `classification` is the class's name when classification.config knows it, else its number;
 * a part the packet lacks (ports of ICMP) is empty.
 */
export const ALERT_FIELDS = ['msg', 'gid', 'sid', 'rev', 'classification', 'priority', 'proto', 'src', 'sport', 'dst', 'dport'] as const;

/**
 * What Snort alerts can be handed to (Pigear's data handlers) and the `key=value` options each
 * takes. `json`: JSON lines to standard output or `file`; `http`: POST of the same JSON; `repl`:
 * an interactive REPL per alert; `mail`: batches of alerts mailed as an encrypted attachment
 * with the rule file's mail settings. Checked by the compiler, run by `rulec snort`, `rulec run`
 * and `rulec test --alerts`.
 */
export const SNORT_HANDLERS = {
  json: ['file'],
  http: ['url', 'timeout', 'retries', 'backoff', 'queue', 'concurrency'],
  repl: [],
  mail: ['count', 'every', 'max', 'mime_file', 'subject'],
} as const satisfies Readonly<Record<string, readonly string[]>>;
