/**
 * The Chevrotain parser: one statement per line. Every token a line can start with has an
 * alternative, and stray text at the end of a line is consumed as `junk`, so a mistake is
 * reported once, on its own line, and parsing goes on with the next line.
 *
 *     file      := statement*
 *     statement := blank | comment | header | entry | group | match | strayEnd
 *                | strayOperand | heredocComment | command
 *     group     := 'do' ('ignore'|'filter')? lineEnd groupLine* ('end' lineEnd)?
 *     groupLine := Newline | Comment Newline? | operand lineEnd
 *     match     := ('ignore'|'filter') operand lineEnd
 *     operand   := MatchOp RegexLiteral?
 *     command   := (Word|'ignore'|'filter') AnyWord* Heredoc? lineEnd
 *     lineEnd   := junk* Comment? Newline?
 */
import { CstParser } from './chevrotain.js';
import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import {
  AnyWord, allTokens, Comment, Entry, Header, Heredoc, KwDo, KwEnd, KwFilter, KwIgnore, MatchOp, Newline,
  RegexLiteral, Word,
} from './tokens.js';

class RulesParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.CONSUME(Newline, { LABEL: 'blank' }) },
      { ALT: () => this.SUBRULE(this.commentLine) },
      { ALT: () => this.SUBRULE(this.header) },
      { ALT: () => this.SUBRULE(this.entry) },
      { ALT: () => this.SUBRULE(this.group) },
      { ALT: () => this.SUBRULE(this.match) },
      { ALT: () => this.SUBRULE(this.strayEnd) },
      { ALT: () => this.SUBRULE(this.strayOperand) },
      { ALT: () => this.SUBRULE(this.heredocComment) },
      { ALT: () => this.SUBRULE(this.command) },
    ]);
  });

  commentLine = this.RULE('commentLine', () => {
    this.CONSUME(Comment);
    this.OPTION(() => this.CONSUME(Newline));
  });

  header = this.RULE('header', () => {
    this.CONSUME(Header);
    this.SUBRULE(this.lineEnd);
  });

  entry = this.RULE('entry', () => {
    this.CONSUME(Entry);
    this.SUBRULE(this.lineEnd);
  });

  group = this.RULE('group', () => {
    this.CONSUME(KwDo);
    this.OPTION(() => this.SUBRULE(this.mode));
    this.SUBRULE(this.lineEnd);
    this.MANY(() => this.SUBRULE(this.groupLine));
    this.OPTION2(() => {
      this.CONSUME(KwEnd);
      this.SUBRULE2(this.lineEnd);
    });
  });

  groupLine = this.RULE('groupLine', () => {
    this.OR([
      { ALT: () => this.CONSUME(Newline) },
      { ALT: () => this.SUBRULE(this.commentLine) },
      {
        ALT: () => {
          this.SUBRULE(this.operand);
          this.SUBRULE(this.lineEnd);
        },
      },
    ]);
  });

  mode = this.RULE('mode', () => {
    this.OR([{ ALT: () => this.CONSUME(KwIgnore) }, { ALT: () => this.CONSUME(KwFilter) }]);
  });

  match = this.RULE('match', () => {
    this.SUBRULE(this.mode);
    this.SUBRULE(this.operand);
    this.SUBRULE(this.lineEnd);
  });

  operand = this.RULE('operand', () => {
    this.CONSUME(MatchOp);
    this.OPTION(() => this.CONSUME(RegexLiteral));
  });

  strayEnd = this.RULE('strayEnd', () => {
    this.CONSUME(KwEnd);
    this.SUBRULE(this.lineEnd);
  });

  strayOperand = this.RULE('strayOperand', () => {
    this.SUBRULE(this.operand);
    this.SUBRULE(this.lineEnd);
  });

  heredocComment = this.RULE('heredocComment', () => {
    this.CONSUME(Heredoc);
    this.SUBRULE(this.lineEnd);
  });

  command = this.RULE('command', () => {
    this.OR([
      { ALT: () => this.CONSUME(Word, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME(KwIgnore, { LABEL: 'name' }) },
      { ALT: () => this.CONSUME(KwFilter, { LABEL: 'name' }) },
    ]);
    this.MANY(() => this.CONSUME(AnyWord, { LABEL: 'args' }));
    this.OPTION(() => this.CONSUME(Heredoc));
    this.SUBRULE(this.lineEnd);
  });

  lineEnd = this.RULE('lineEnd', () => {
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(AnyWord, { LABEL: 'junk' }) },
        { ALT: () => this.CONSUME(Heredoc, { LABEL: 'junk' }) },
        { ALT: () => this.CONSUME(RegexLiteral, { LABEL: 'junk' }) },
      ]),
    );
    this.OPTION(() => this.CONSUME(Comment));
    this.OPTION2(() => this.CONSUME(Newline));
  });
}

const parser = new RulesParser();

export interface Parsed {
  readonly cst: CstNode;
  readonly errors: readonly IRecognitionException[];
}

/** Parses tokens into a CST; recognition errors come back with the tree, never thrown. */
export function parseTokens(tokens: IToken[]): Parsed {
  parser.input = tokens;
  const cst = parser.file();
  return { cst, errors: parser.errors };
}
