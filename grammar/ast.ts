/**
 * The syntax tree of one `.rules` file. Every node carries a span into the whole file,
 * heredoc bodies included. Nodes are discriminated unions on `kind`.
 *
 * Sample input covering every form:
 *
 *     set to "ops@example.com"          # command: name + words
 *     source "common.rules"             # command (resolved by compiler/load.ts)
 *     [SSH_AUTH]                        # section: INI entries until the next header or command
 *     regex = Failed password for (\S+) from (\S+)
 *     watch <<__END                     # block: name, words, heredoc body of statements
 *         logfile /var/log/messages
 *         ignore =~ /MARK/              # match
 *         do ignore                     # group (AND of operands)
 *             =~ /sshd/
 *             !~ /session opened/
 *         end
 *     __END
 *     <<__EOC                           # heredoc comment: no command before `<<`
 *     anything
 *     __EOC
 */
import type { Span } from './diagnostic.js';

/** A shell word: quotes removed, escapes applied, adjacent parts joined as a shell joins them. */
export interface Word {
  readonly kind: 'word';
  readonly value: string;
  /** The source text of the word, quotes included. */
  readonly raw: string;
  /** True when any part of the word was quoted (so `""` is an empty word, not nothing). */
  readonly quoted: boolean;
  readonly span: Span;
}

/** `=~ /re/flags` or `!~ /re/flags`. */
export interface MatchOperand {
  readonly kind: 'operand';
  readonly negated: boolean;
  /** The text between the slashes, with `\/` kept as written. */
  readonly pattern: string;
  readonly flags: string;
  /** Span of the pattern text only (inside the slashes), for errors inside the pattern. */
  readonly patternSpan: Span;
  readonly flagsSpan: Span;
  readonly span: Span;
}

/** `name word word ...` on one line, e.g. `set to x`, `dir /a /b`, `exec 'ls -l'`. */
export interface CommandStatement {
  readonly kind: 'command';
  readonly name: Word;
  readonly args: readonly Word[];
  readonly span: Span;
}

/** `name words <<TAG` ... `TAG`: a block whose body is itself parsed into statements. */
export interface BlockStatement {
  readonly kind: 'block';
  readonly name: Word;
  readonly args: readonly Word[];
  readonly tag: string;
  readonly body: readonly Statement[];
  /** From the first character after the opener line to the start of the terminator line. */
  readonly bodySpan: Span;
  /** Span of `<<TAG` on the opener line. */
  readonly openerSpan: Span;
  readonly span: Span;
}

/** `<<TAG` ... `TAG` with no command: a comment, its body never parsed. */
export interface HeredocComment {
  readonly kind: 'heredoc-comment';
  readonly tag: string;
  readonly span: Span;
}

/** `ignore =~ /re/` or `filter !~ /re/` on one line: a group of one operand. */
export interface MatchStatement {
  readonly kind: 'match';
  readonly mode: 'ignore' | 'filter';
  readonly modeSpan: Span;
  readonly operand: MatchOperand;
  readonly span: Span;
}

/** `do ignore|filter` ... `end`: operands AND-ed together. */
export interface GroupStatement {
  readonly kind: 'group';
  readonly mode: 'ignore' | 'filter';
  readonly modeSpan: Span;
  readonly operands: readonly MatchOperand[];
  readonly span: Span;
}

/** `key = value` inside an INI section; the value is raw text to the end of the line, trimmed. */
export interface Entry {
  readonly kind: 'entry';
  readonly key: string;
  readonly keySpan: Span;
  readonly value: string;
  /**
   * Span of the value text. When the value was continued on following lines (see
   * docs/language.md) this runs to the end of the last continuation line; the value then
   * holds the lines joined by one space.
   */
  readonly valueSpan: Span;
  readonly span: Span;
}

/** `[name]` and its entries. Entries before any header form an implicit `[general]`. */
export interface Section {
  readonly kind: 'section';
  readonly name: string;
  readonly nameSpan: Span;
  readonly implicit: boolean;
  readonly entries: readonly Entry[];
  readonly span: Span;
}

/** Any top-level statement of a rule file. */
export type Statement =
  | CommandStatement
  | BlockStatement
  | HeredocComment
  | MatchStatement
  | GroupStatement
  | Section;

/** One parsed rule file. */
export interface RulesFile {
  readonly kind: 'file';
  /** The file name as given to the parser (kept relative for deterministic output). */
  readonly file: string;
  readonly text: string;
  readonly statements: readonly Statement[];
  readonly span: Span;
}
