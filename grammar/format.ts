/**
 * The canonical layout of a `.rules` file, shared by `rulec fmt` and the language server.
 * It works on the tokens, line by line, so it never changes what a line means:
 *
 * - top-level lines start at column 0; a block's body is indented 4 spaces per level and its
 *   terminator stands at the block's own indent; a `do` group's operands 4 more than `do`;
 * - words are separated by one space, a trailing comment by one space; `key = value` and
 *   `[name]` get one space around `=` and none inside the brackets;
 * - runs of blank lines become one, blank lines at the start and end of the file and of a body
 *   go; LF line ends, no trailing blanks, one final newline.
 *
 * Tokens keep their text: quotes, escapes, values and patterns are never touched. A line joined
 * to the next by a backslash-newline, and a heredoc comment's body, are kept as written (only
 * the first line is indented). A file with lexing or parsing errors is not formatted: without
 * its tree there is no telling what a line means.
 */
import type { IToken } from 'chevrotain';
import { hasErrors, type Diagnostic, type Result } from './diagnostic.js';
import { parse } from './index.js';
import { tokenize } from './lexer.js';
import type { EntryPayload, HeaderPayload, HeredocPayload } from './scanners.js';

const INDENT = '    ';

/**
 * The file in canonical layout, or null (with the errors) when it does not parse. The
 * diagnostics are the parser's, so a caller can show why a file was left alone.
 */
export function formatRules(text: string, file: string): Result<string | null> {
  const normal = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n/g, '\n');
  const parsed = parse(normal, file);
  const errors: Diagnostic[] = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (hasErrors(errors)) return { value: null, diagnostics: errors };
  const lines = formatRange(normal, 0, normal.length, 0);
  return { value: lines.length === 0 ? '' : `${lines.join('\n')}\n`, diagnostics: [] };
}

/** Splits tokens into lines at Newline tokens (the Newline itself dropped). */
function linesOf(tokens: readonly IToken[]): IToken[][] {
  const lines: IToken[][] = [[]];
  for (const token of tokens) {
    if (token.tokenType.name === 'Newline') lines.push([]);
    else lines[lines.length - 1]!.push(token);
  }
  return lines;
}

const end = (token: IToken): number => token.startOffset + token.image.length;
const kind = (token: IToken | undefined): string => token?.tokenType.name ?? '';

/** Formats `[start, stop)` of `text`, a whole file (depth 0) or a block's body. */
function formatRange(text: string, start: number, stop: number, depth: number): string[] {
  const slice = text.slice(start, stop);
  const tokens = tokenize(slice, depth === 0).tokens;
  const out: string[] = [];
  let inGroup = false;
  for (const line of linesOf(tokens)) {
    const first = line[0];
    if (first === undefined) {
      out.push('');
      continue;
    }
    if (kind(first) === 'KwEnd' && inGroup) inGroup = false;
    const indent = INDENT.repeat(depth + (inGroup ? 1 : 0));
    out.push(...formatLine(text, start, slice, line, indent, depth));
    if (kind(first) === 'KwDo') inGroup = true;
  }
  return tidyBlankLines(out);
}

/** One line of tokens (a block's opener brings its body and terminator along). */
function formatLine(text: string, base: number, slice: string, line: readonly IToken[], indent: string, depth: number): string[] {
  const first = line[0]!;
  const last = line[line.length - 1]!;
  const comment = kind(last) === 'Comment' ? last.image.trimEnd() : undefined;
  const body = comment === undefined ? line : line.slice(0, -1);
  const withComment = (head: string): string => (comment === undefined ? head : head === '' ? comment : `${head} ${comment}`);

  switch (kind(first)) {
    case 'Comment':
      return [`${indent}${comment ?? first.image.trimEnd()}`];
    case 'Header':
      return [withComment(`[${(first.payload as HeaderPayload).name}]`)];
    case 'Entry':
      return entryLines(slice, first, indent);
    case 'Heredoc':
      // A heredoc comment: its body is never parsed, so it stays exactly as written.
      return [`${indent}${slice.slice(first.startOffset, end(last)).trimEnd()}`];
  }
  const heredoc = kind(body[body.length - 1]) === 'Heredoc' ? body[body.length - 1]! : undefined;
  const words = heredoc === undefined ? body : body.slice(0, -1);
  // A line continued by backslash-newline: kept as written, its first line indented.
  if (joinsLines(slice, words)) {
    const tail = heredoc === undefined ? last : words[words.length - 1]!;
    const kept = `${indent}${slice.slice(first.startOffset, end(tail))}`;
    return heredoc === undefined ? [kept] : blockLines(text, base, heredoc, indent, depth, kept);
  }
  const head = words.map((token) => token.image).join(' ');
  if (heredoc !== undefined) return blockLines(text, base, heredoc, indent, depth, `${indent}${head}`);
  return [withComment(`${indent}${head}`)];
}

/** Whether a line's tokens run over several physical lines (a backslash-newline). */
function joinsLines(slice: string, tokens: readonly IToken[]): boolean {
  const firstToken = tokens[0];
  const lastToken = tokens[tokens.length - 1];
  if (firstToken === undefined || lastToken === undefined) return false;
  return slice.slice(firstToken.startOffset, end(lastToken)).includes('\n');
}

/** `key = value`, and the lines its value continues on, trimmed. */
function entryLines(slice: string, token: IToken, indent: string): string[] {
  const p = token.payload as EntryPayload;
  const firstEnd = p.continuations.length === 0 ? p.valueEnd : slice.slice(p.valueStart, slice.indexOf('\n', p.valueStart)).trimEnd().length + p.valueStart;
  const value = slice.slice(p.valueStart, firstEnd);
  const head = value === '' ? `${indent}${p.key} =` : `${indent}${p.key} = ${value}`;
  return [head, ...p.continuations.map((c) => `${indent}${slice.slice(c.start, c.end)}`)];
}

/** A block: its opener (`head <<TAG # comment`), its body one level deeper, its terminator. */
function blockLines(text: string, base: number, token: IToken, indent: string, depth: number, head: string): string[] {
  const p = token.payload as HeredocPayload;
  const slice = text.slice(base);
  const rest = p.restEnd > p.restStart ? ` ${slice.slice(p.restStart, p.restEnd)}` : '';
  const body = formatRange(text, base + p.bodyStart, base + p.bodyEnd, depth + 1);
  return [`${head} <<${p.tag}${rest}`, ...body, `${indent}${p.tag}`];
}

/** One blank line at most in a row, none first or last. */
function tidyBlankLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
