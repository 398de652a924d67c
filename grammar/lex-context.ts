/**
 * What the line-start scanners must know about the file read so far: which lines continue a
 * command through a backslash-newline, whether INI values may continue on following lines
 * (top level only), and which aliases earlier `module` lines declared.
 * Reset before each tokenize call; updated incrementally from the tokens matched so far.
 */
import type { IToken } from 'chevrotain';
import { decodeWord } from './words.js';

const WORD_TYPES = new Set(['Word', 'KwDo', 'KwEnd', 'KwIgnore', 'KwFilter']);

export class LexContext {
  continuation = true;
  private aliasSet = new Set<string>();
  private seen = 0;
  private lineWords: string[] = [];
  private continued = new Set<number>();

  reset(continuation: boolean): void {
    this.continued = new Set();
    this.continuation = continuation;
    this.aliasSet = new Set();
    this.seen = 0;
    this.lineWords = [];
  }

  /** Records that the line starting at `lineStart` continues a command (backslash-newline). */
  markContinued(lineStart: number): void {
    this.continued.add(lineStart);
  }

  /** Whether the line starting at `lineStart` is a fresh line rather than a continued one. */
  isFresh(lineStart: number): boolean {
    return !this.continued.has(lineStart);
  }

  /** Aliases declared by `module Name alias path` lines among `tokens`. */
  aliases(tokens: readonly IToken[]): ReadonlySet<string> {
    for (; this.seen < tokens.length; this.seen++) {
      const token = tokens[this.seen]!;
      const name = token.tokenType.name;
      if (name === 'Newline') this.lineWords = [];
      else if (WORD_TYPES.has(name)) {
        this.lineWords.push(decodeWord(token.image).value);
        if (this.lineWords.length === 3 && this.lineWords[0] === 'module') this.aliasSet.add(this.lineWords[2]!);
      } else this.lineWords.push('');
    }
    return this.aliasSet;
  }
}

/** The one context the lexer's custom patterns read; the lexer resets it per call. */
export const lexContext = new LexContext();
