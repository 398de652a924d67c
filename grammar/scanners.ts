/**
 * Hand-written scanners behind the custom token patterns: each reads one construct starting
 * at `offset` and returns where it ends plus what it found. Offsets are into the text being
 * lexed (a heredoc body is lexed as a slice; the caller adds the slice's base offset).
 */

/** A heredoc from `<<` to the end of its terminator tag (or of the text when unterminated). */
export interface HeredocPayload {
  readonly tag: string;
  readonly tagEnd: number;
  /** The rest of the opener line after the tag, trimmed; only a `#` comment may stand here. */
  readonly restStart: number;
  readonly restEnd: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly terminated: boolean;
}

/** `[name]`; `closed` is false when the line has no `]`. */
export interface HeaderPayload {
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly closed: boolean;
}

/** `key = value`, possibly continued on following lines. */
export interface EntryPayload {
  readonly key: string;
  readonly keyEnd: number;
  readonly value: string;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** Trimmed spans of the continuation lines, each reported as R209. */
  readonly continuations: readonly { readonly start: number; readonly end: number }[];
}

/** `/pattern/flags` after `=~` or `!~`. */
export interface RegexPayload {
  readonly patternStart: number;
  readonly patternEnd: number;
  readonly flagsEnd: number;
  readonly terminated: boolean;
}

export interface Scan<P> {
  readonly end: number;
  readonly payload: P;
}

const TAG_START = /[A-Za-z_]/;
const TAG = /[A-Za-z_][A-Za-z0-9_]*/y;
const ENTRY_KEY = /[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=(?!~)/y;
const HEREDOC_ANYWHERE = /<<[A-Za-z_]/;

/** Words that start a statement: a line starting with one of them never continues a value. */
const TOP_LEVEL_WORDS: ReadonlySet<string> = new Set([
  'set', 'source', 'module', 'do', 'end', 'ignore', 'filter', 'command', 'monitor', 'watch', 'snort',
]);

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 12 || code === 11;
}

/** End of the line holding `offset`, before its `\n` and any `\r` preceding it. */
function lineEndOf(text: string, offset: number): number {
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return end > offset && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

/** Index after the `\n` ending the line holding `offset`, or the text length. */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** True when only blanks stand between the start of the line and `offset`. */
export function atLineStart(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 0xfeff) return false;
  }
  return true;
}

/** Offset of the first character of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function trimRange(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  return [s, e];
}

/** `<<TAG`: finds the first later line that is TAG alone (indent and trailing blanks allowed). */
export function scanHeredoc(text: string, offset: number): Scan<HeredocPayload> | null {
  if (text.charCodeAt(offset) !== 60 || text.charCodeAt(offset + 1) !== 60) return null;
  TAG.lastIndex = offset + 2;
  const m = TAG.exec(text);
  if (!m) return null;
  const tag = m[0];
  const tagEnd = offset + 2 + tag.length;
  const openerEnd = lineEndOf(text, tagEnd);
  const [restStart, restEnd] = trimRange(text, tagEnd, openerEnd);
  const bodyStart = nextLineStart(text, tagEnd);
  let lineStart = bodyStart;
  while (lineStart < text.length) {
    const lineEnd = lineEndOf(text, lineStart);
    const [s, e] = trimRange(text, lineStart, lineEnd);
    if (e - s === tag.length && text.startsWith(tag, s)) {
      return {
        end: e,
        payload: { tag, tagEnd, restStart, restEnd, bodyStart, bodyEnd: lineStart, terminated: true },
      };
    }
    lineStart = nextLineStart(text, lineStart);
  }
  return {
    end: text.length,
    payload: { tag, tagEnd, restStart, restEnd, bodyStart, bodyEnd: text.length, terminated: false },
  };
}

/** `[name]` at the start of a line. */
export function scanHeader(text: string, offset: number): Scan<HeaderPayload> | null {
  if (text.charCodeAt(offset) !== 91 || !atLineStart(text, offset)) return null;
  const lineEnd = lineEndOf(text, offset);
  const close = text.indexOf(']', offset + 1);
  const closed = close >= 0 && close < lineEnd;
  const innerEnd = closed ? close : lineEnd;
  const [nameStart, nameEnd] = trimRange(text, offset + 1, innerEnd);
  const end = closed ? close + 1 : trimRange(text, offset, lineEnd)[1];
  return { end, payload: { name: text.slice(nameStart, nameEnd), nameStart, nameEnd, closed } };
}

/** Whether the line at `lineStart` continues the value of the entry on the line before it. */
function isContinuationLine(text: string, lineStart: number, aliases: ReadonlySet<string>): boolean {
  const [s, e] = trimRange(text, lineStart, lineEndOf(text, lineStart));
  if (s === e) return false;
  const first = text.charCodeAt(s);
  if (first === 91 || first === 35 || first === 59) return false; // [ # ;
  ENTRY_KEY.lastIndex = s;
  if (ENTRY_KEY.test(text)) return false;
  const line = text.slice(s, e);
  if (HEREDOC_ANYWHERE.test(line)) return false;
  const word = /^[^ \t]*/.exec(line)![0];
  return !TOP_LEVEL_WORDS.has(word) && !aliases.has(word);
}

/**
 * `key = value` at the start of a line (`=~` excluded). When `aliases` is given, following
 * lines that qualify (see isContinuationLine) continue the value.
 */
export function scanEntry(
  text: string,
  offset: number,
  aliases: ReadonlySet<string> | undefined,
): Scan<EntryPayload> | null {
  ENTRY_KEY.lastIndex = offset;
  const m = ENTRY_KEY.exec(text);
  if (!m || !atLineStart(text, offset)) return null;
  const key = /^[A-Za-z0-9_.-]+/.exec(m[0])![0];
  const afterEq = offset + m[0].length;
  const [valueStart, firstEnd] = trimRange(text, afterEq, lineEndOf(text, afterEq));
  let value = text.slice(valueStart, firstEnd);
  let valueEnd = firstEnd;
  const continuations: { start: number; end: number }[] = [];
  let next = nextLineStart(text, afterEq);
  while (aliases && next < text.length && isContinuationLine(text, next, aliases)) {
    const [s, e] = trimRange(text, next, lineEndOf(text, next));
    value = value === '' ? text.slice(s, e) : `${value} ${text.slice(s, e)}`;
    continuations.push({ start: s, end: e });
    valueEnd = e;
    next = nextLineStart(text, next);
  }
  const end = valueEnd > valueStart ? valueEnd : afterEq;
  return { end, payload: { key, keyEnd: offset + key.length, value, valueStart, valueEnd, continuations } };
}

/** `#` to the end of the line; `;` only as a whole-line comment. */
export function scanComment(text: string, offset: number): number {
  const c = text.charCodeAt(offset);
  if (c !== 35 && !(c === 59 && atLineStart(text, offset))) return -1;
  return lineEndOf(text, offset);
}

/** `/pattern/flags`; `\/` stays in the pattern. Unterminated: the pattern runs to the line end. */
export function scanRegex(text: string, offset: number): Scan<RegexPayload> | null {
  if (text.charCodeAt(offset) !== 47) return null;
  const lineEnd = lineEndOf(text, offset);
  let i = offset + 1;
  while (i < lineEnd) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 47) break;
    else i++;
  }
  if (i >= lineEnd) {
    return { end: lineEnd, payload: { patternStart: offset + 1, patternEnd: lineEnd, flagsEnd: lineEnd, terminated: false } };
  }
  let f = i + 1;
  while (f < lineEnd && text.charCodeAt(f) >= 97 && text.charCodeAt(f) <= 122) f++;
  return { end: f, payload: { patternStart: offset + 1, patternEnd: i, flagsEnd: f, terminated: true } };
}

/** Characters that may not appear in a bare word: C0 controls other than blanks, and DEL. */
function isForbiddenControl(c: number): boolean {
  return (c < 32 && c !== 9 && c !== 10 && c !== 11 && c !== 12 && c !== 13) || c === 127;
}

/**
 * One shell word: bare characters, `'...'`, `"..."` and backslash escapes joined with no
 * blank between them. Quotes end at the end of the line when unclosed (reported later).
 * Returns the end offset, or -1 when no word starts here.
 */
export function scanWord(text: string, offset: number): number {
  const len = text.length;
  let i = offset;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (isBlank(c) || c === 10 || isForbiddenControl(c)) break;
    if (c === 35 && i === offset) break;
    if (c === 39) {
      const close = text.indexOf("'", i + 1);
      const lineEnd = lineEndOf(text, i);
      i = close >= 0 && close < lineEnd ? close + 1 : lineEnd;
      if (i === lineEnd) break;
    } else if (c === 34) {
      i = scanDoubleQuoted(text, i);
    } else if (c === 92) {
      if (i + 1 >= len) i++;
      else if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i += 3;
      else i += 2;
    } else if (c === 60 && text.charCodeAt(i + 1) === 60 && TAG_START.test(text.charAt(i + 2))) {
      break;
    } else {
      i++;
    }
  }
  return i > offset ? i : -1;
}

/** From an opening `"` to just after its closing `"`, or to the line end when unclosed. */
function scanDoubleQuoted(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92 && i + 1 < text.length) {
      i += text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
      continue;
    }
    if (c === 10) return text.charCodeAt(i - 1) === 13 ? i - 1 : i;
    i++;
  }
  return i;
}
