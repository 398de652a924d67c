/**
 * The rule model: what `check` makes of a program and what `generate` turns into code.
 * Plain data with spans back into the sources; no functions, so it can be snapshotted.
 */
import type { Span } from '../grammar/diagnostic.js';
import type {
  ActionSpec,
  EngineSettings,
  Frequency,
  KeySpec,
  TimestampSpec,
} from '../runtime/contract.js';

/** A regex translated from Perl/PCRE syntax to a JavaScript `RegExp` source and flags. */
export interface RegexModel {
  /** As written in the rule file. */
  readonly source: string;
  /** JavaScript pattern text for `new RegExp(js, flags)`. */
  readonly js: string;
  readonly flags: string;
  readonly groupCount: number;
  readonly groupNames: readonly string[];
  /**
   * Literal substrings every match must contain (case-folded to lower case when the regex
   * is case-insensitive); empty when none can be proven, so the prefilter always runs it.
   */
  readonly requiredLiterals: readonly string[];
  readonly caseInsensitive: boolean;
  readonly span: Span;
}

/** An action as written plus its compiled form. */
export interface ActionModel {
  readonly spec: ActionSpec;
  readonly span: Span;
}

/** One checked item (a logNOT `[SECTION]`), every default filled in. */
export interface ItemModel {
  readonly name: string;
  readonly span: Span;
  readonly path: string;
  readonly fileType: 'file' | 'fifo';
  readonly start: 'end' | 'beginning';
  readonly regex: RegexModel;
  /** No `regex` of its own: every line is a match (an item kept for its `size` alone). */
  readonly everyLine: boolean;
  readonly upbound: Frequency | null;
  readonly upboundAction: ActionModel | null;
  readonly downbound: Frequency | null;
  readonly downboundAction: ActionModel | null;
  readonly key: KeySpec;
  readonly maxKeys: number;
  readonly size: number | null;
  readonly sizeAction: ActionModel | null;
  readonly clock: 'arrival' | 'log';
  readonly timestamp: TimestampSpec;
  readonly lineMax: number;
  readonly rotateWait: number;
  readonly actionTimeout: number;
}

/** One `=~ /re/` (or negated `!~`) test of a MailLog match. */
export interface MatchOperandModel {
  readonly negated: boolean;
  readonly regex: RegexModel;
}

/** A MailLog `ignore`/`filter` match: its operands, all of which must hold. */
export interface MatchGroupModel {
  readonly operands: readonly MatchOperandModel[];
  readonly span: Span;
}

/** A checked MailLog or Pigear block; the daemon of this release does not run them. */
export type BlockModel =
  | {
      readonly kind: 'command';
      readonly span: Span;
      readonly exec: string;
      readonly description: string | null;
      readonly mimeFile: string | null;
    }
  | {
      readonly kind: 'monitor';
      readonly span: Span;
      readonly dirs: readonly string[];
      readonly description: string | null;
      readonly mimeFile: string | null;
    }
  | {
      readonly kind: 'watch';
      readonly span: Span;
      readonly logfile: string;
      readonly description: string | null;
      readonly mimeFile: string | null;
      readonly trim: boolean;
      readonly ignore: readonly MatchGroupModel[];
      readonly filter: readonly MatchGroupModel[];
    }
  | {
      readonly kind: 'snort';
      readonly span: Span;
      readonly logdir: string;
      readonly variant: 'snort2' | 'snort3' | 'legacy';
      readonly handlers: readonly { readonly name: string; readonly options: Readonly<Record<string, string>> }[];
    }
  | {
      readonly kind: 'custom';
      readonly span: Span;
      readonly alias: string;
      readonly module: string;
      readonly path: string;
      readonly directives: readonly { readonly name: string; readonly args: readonly string[] }[];
    };

/** A MailLog `module NAME alias PATH` line, recorded for the runtime to resolve. */
export interface ModuleDeclaration {
  readonly name: string;
  readonly alias: string;
  readonly path: string;
  readonly span: Span;
}

/** The checked program: one entry file with its `source` includes merged in order. */
export interface RuleModel {
  /** The entry file name as given (relative). */
  readonly name: string;
  /** Every file read, entry first, in include order (relative names as resolved). */
  readonly files: readonly string[];
  readonly settings: Readonly<Record<string, string>>;
  readonly engine: EngineSettings;
  readonly items: readonly ItemModel[];
  readonly blocks: readonly BlockModel[];
  readonly modules: readonly ModuleDeclaration[];
}
