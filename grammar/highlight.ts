/**
 * What each stretch of a `.rules` file is, for an editor's highlighting (the language server's
 * semantic tokens): read from the lexer's tokens, heredoc bodies included, so it agrees with the
 * parser on every line, even on a file with errors.
 */
import type { IToken } from 'chevrotain';
import { tokenize } from './lexer.js';
import type { EntryPayload, HeaderPayload, HeredocPayload, RegexPayload } from './scanners.js';
import { MAX_BLOCK_DEPTH } from './to-ast.js';

/** A highlighted stretch `[start, end)` of the text. */
export interface Highlight {
  readonly start: number;
  readonly end: number;
  readonly kind: 'comment' | 'section' | 'key' | 'value' | 'regex' | 'operator' | 'keyword' | 'word' | 'tag';
}

const WORDS = new Set(['Word', 'KwDo', 'KwEnd', 'KwIgnore', 'KwFilter']);

/** Every highlighted stretch, in text order. */
export function highlightRules(text: string): Highlight[] {
  const out: Highlight[] = [];
  highlightRange(text, 0, text.length, 0, out);
  return out.sort((a, b) => a.start - b.start);
}

function highlightRange(text: string, base: number, stop: number, depth: number, out: Highlight[]): void {
  const { tokens } = tokenize(text.slice(base, stop), depth === 0);
  let lineStart = true;
  const add = (start: number, end: number, kind: Highlight['kind']): void => {
    if (end > start) out.push({ start: base + start, end: base + end, kind });
  };
  for (const token of tokens) {
    const name = token.tokenType.name;
    const start = token.startOffset;
    const end = start + token.image.length;
    if (name === 'Newline') {
      lineStart = true;
      continue;
    }
    const first = lineStart;
    lineStart = false;
    if (name === 'Comment') add(start, end, 'comment');
    else if (name === 'Header') {
      const p = token.payload as HeaderPayload;
      add(p.nameStart, p.nameEnd, 'section');
    } else if (name === 'Entry') {
      const p = token.payload as EntryPayload;
      add(start, p.keyEnd, 'key');
      add(p.valueStart, p.valueEnd, p.key === 'regex' || p.key === 'msg' ? 'regex' : 'value');
    } else if (name === 'MatchOp') add(start, end, 'operator');
    else if (name === 'RegexLiteral') {
      const p = token.payload as RegexPayload;
      add(p.patternStart, p.patternEnd, 'regex');
    } else if (name === 'Heredoc') heredoc(text, base, token, first, depth, add, out);
    else if (WORDS.has(name)) add(start, end, first || name !== 'Word' ? 'keyword' : 'word');
  }
}

/** A block's tags and body, or a heredoc comment as one comment. */
function heredoc(
  text: string,
  base: number,
  token: IToken,
  first: boolean,
  depth: number,
  add: (start: number, end: number, kind: Highlight['kind']) => void,
  out: Highlight[],
): void {
  const p = token.payload as HeredocPayload;
  if (first) {
    add(token.startOffset, token.startOffset + token.image.length, 'comment');
    return;
  }
  add(token.startOffset, p.tagEnd, 'tag');
  if (p.restEnd > p.restStart) add(p.restStart, p.restEnd, 'comment');
  if (depth < MAX_BLOCK_DEPTH) highlightRange(text, base + p.bodyStart, base + p.bodyEnd, depth + 1, out);
  if (p.terminated) add(token.startOffset + token.image.length - p.tag.length, token.startOffset + token.image.length, 'tag');
}
