/**
 * The rule model: what `check` makes of a program and what `generate` turns into code.
 * Plain data with spans back into the sources; no functions, so it can be snapshotted.
 */
import type { Span } from '../grammar/diagnostic.js';
import type { ActionSpec, AlertFilterSpec, BlockSpec, EngineSettings, ItemSpec } from '../runtime/contract.js';

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
  /**
   * `js` is a rewrite into V8's linear-time subset whose trailing lookahead consumes its text as
   * this capture group: `$0` ends where the group starts, and groups from it on are one higher
   * (compiler/regex/linear-rewrite.ts).
   */
  readonly lookGroup?: number;
  /** Outside V8's linear-time engine even rewritten: the runtime runs it under a per-line deadline. */
  readonly deadline?: boolean;
}

/** An action as written plus its compiled form. */
export interface ActionModel {
  readonly spec: ActionSpec;
  readonly span: Span;
}

/**
 * One checked item (a logNOT `[SECTION]`), every default filled in: the module's `ItemSpec` with
 * the checked regex in place of the functions generated from it, and actions with their spans.
 */
export interface ItemModel
  extends Omit<ItemSpec, 'match' | 'test' | 'groupCount' | 'everyLine' | 'upboundAction' | 'downboundAction' | 'sizeAction' | 'alert'> {
  readonly span: Span;
  readonly regex: RegexModel;
  /** No `regex` of its own: every line is a match (an item kept for its `size` alone). */
  readonly everyLine: boolean;
  readonly upboundAction: ActionModel | null;
  readonly downboundAction: ActionModel | null;
  readonly sizeAction: ActionModel | null;
  /** A rule over Snort alerts: its conditions, with the message's regex checked. */
  readonly alert?: AlertFilterModel;
}

/** The contract's `AlertFilterSpec` with a checked regex in place of the `msg` test. */
export interface AlertFilterModel extends Omit<AlertFilterSpec, 'msg'> {
  readonly msg: RegexModel | null;
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

/** Adds a span to each member of a union (distributes, so `Extract<.., { kind }>` still works). */
type Spanned<T> = T extends unknown ? T & { readonly span: Span } : never;

/** A checked MailLog or Pigear block: the contract's `BlockSpec` holding regex models, with its span. */
export type BlockModel = Spanned<BlockSpec<MatchGroupModel, ItemModel>>;

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
