/**
 * Token types, in the order the lexer tries them. Context (line start, the token before)
 * is decided inside custom patterns rather than lexer modes: every context-dependent
 * construct here is one token long, so a mode would be pushed and popped around one token.
 */
import { createToken, Lexer } from './chevrotain.js';
import type { CustomPatternMatcherFunc, CustomPatternMatcherReturn, IToken, TokenType } from 'chevrotain';
import { lexContext } from './lex-context.js';
import { atLineStart, lineStartOf, scanComment, scanEntry, scanHeader, scanHeredoc, scanRegex, scanWord } from './scanners.js';

function matched(text: string, offset: number, end: number, payload?: unknown): CustomPatternMatcherReturn {
  const result = [text.slice(offset, end)] as CustomPatternMatcherReturn;
  if (payload !== undefined) result.payload = payload;
  return result;
}

/** A line that a backslash-newline joined to the command before it is no fresh line. */
function fresh(text: string, offset: number): boolean {
  return lexContext.isFresh(lineStartOf(text, offset));
}

/** Remembers the lines a backslash-newline inside `image` (at `offset`) continues. */
function markContinued(image: string, offset: number): void {
  for (let nl = image.indexOf('\n'); nl >= 0; nl = image.indexOf('\n', nl + 1)) {
    lexContext.markContinued(offset + nl + 1);
  }
}

const heredoc: CustomPatternMatcherFunc = (text, offset) => {
  const scan = scanHeredoc(text, offset);
  return scan ? matched(text, offset, scan.end, scan.payload) : null;
};

const header: CustomPatternMatcherFunc = (text, offset) => {
  const scan = scanHeader(text, offset);
  return scan && fresh(text, offset) ? matched(text, offset, scan.end, scan.payload) : null;
};

const entry: CustomPatternMatcherFunc = (text, offset, tokens: IToken[]) => {
  if (!atLineStart(text, offset) || !fresh(text, offset)) return null;
  const aliases = lexContext.continuation ? lexContext.aliases(tokens) : undefined;
  const scan = scanEntry(text, offset, aliases);
  return scan ? matched(text, offset, scan.end, scan.payload) : null;
};

const comment: CustomPatternMatcherFunc = (text, offset) => {
  const end = scanComment(text, offset);
  if (end < 0 || (text.charCodeAt(offset) === 59 && !fresh(text, offset))) return null;
  return matched(text, offset, end);
};

const word: CustomPatternMatcherFunc = (text, offset) => {
  const end = scanWord(text, offset);
  if (end < 0) return null;
  const result = matched(text, offset, end);
  markContinued(result[0], offset);
  return result;
};

const BACKSLASH_NEWLINE = /\\\r?\n/y;
const lineContinuation: CustomPatternMatcherFunc = (text, offset) => {
  BACKSLASH_NEWLINE.lastIndex = offset;
  if (!BACKSLASH_NEWLINE.test(text)) return null;
  const end = BACKSLASH_NEWLINE.lastIndex;
  lexContext.markContinued(end);
  return matched(text, offset, end);
};

export const Newline = createToken({ name: 'Newline', pattern: /\r?\n/, line_breaks: true });
export const Blank = createToken({ name: 'Blank', pattern: /(?:[ \t\f\v\ufeff]|\r(?!\n))+/, group: Lexer.SKIPPED });
/** Backslash-newline between words joins the lines, as in sh. */
export const LineContinuation = createToken({
  name: 'LineContinuation',
  pattern: { exec: lineContinuation },
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const Heredoc = createToken({ name: 'Heredoc', pattern: { exec: heredoc }, line_breaks: true });
export const Header = createToken({ name: 'Header', pattern: { exec: header } });
export const Entry = createToken({ name: 'Entry', pattern: { exec: entry }, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: { exec: comment } });
export const MatchOp = createToken({ name: 'MatchOp', pattern: /[=!]~/ });

const regex: CustomPatternMatcherFunc = (text, offset, tokens: IToken[]) => {
  if (tokens[tokens.length - 1]?.tokenType !== MatchOp) return null;
  const scan = scanRegex(text, offset);
  return scan ? matched(text, offset, scan.end, scan.payload) : null;
};
export const RegexLiteral = createToken({ name: 'RegexLiteral', pattern: { exec: regex } });

/** Any shell word, keywords included: command arguments accept them all. */
export const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA });
const keyword = (name: string, text: string): TokenType =>
  createToken({ name, pattern: new RegExp(`${text}(?![^ \\t\\r\\n\\f\\v])`), categories: [AnyWord] });
export const KwDo = keyword('KwDo', 'do');
export const KwEnd = keyword('KwEnd', 'end');
export const KwIgnore = keyword('KwIgnore', 'ignore');
export const KwFilter = keyword('KwFilter', 'filter');
export const Word = createToken({ name: 'Word', pattern: { exec: word }, categories: [AnyWord], line_breaks: true });

/** The lexer's order: first match wins, so line-start constructs come before words. */
export const allTokens: TokenType[] = [
  Newline,
  Blank,
  LineContinuation,
  Heredoc,
  Header,
  Entry,
  Comment,
  MatchOp,
  RegexLiteral,
  KwDo,
  KwEnd,
  KwIgnore,
  KwFilter,
  Word,
  AnyWord,
];
