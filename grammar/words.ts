/** Shell word decoding: the meaning of the raw text `scanWord` delimited. */

export interface DecodedWord {
  readonly value: string;
  readonly quoted: boolean;
  /** Offset in the raw text of a quote left open at the end of the line, if any. */
  readonly unclosedQuote?: number;
}

/** Characters a backslash escapes inside double quotes, as sh does; others keep the backslash. */
const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`']);

/**
 * Decodes a word as sh does: `'...'` literal, `"..."` with `\" \\ \$ \`` escapes,
 * backslash-newline removed everywhere, a bare backslash escaping the next character.
 */
export function decodeWord(raw: string): DecodedWord {
  let value = '';
  let quoted = false;
  let unclosedQuote: number | undefined;
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'") {
      quoted = true;
      const close = raw.indexOf("'", i + 1);
      if (close < 0) {
        unclosedQuote = i;
        value += raw.slice(i + 1);
        break;
      }
      value += raw.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      quoted = true;
      const r = decodeDoubleQuoted(raw, i + 1);
      value += r.value;
      if (!r.closed) {
        unclosedQuote = i;
        break;
      }
      i = r.next;
    } else if (c === '\\') {
      const n = newlineAt(raw, i + 1);
      if (n > 0) i += 1 + n;
      else {
        value += raw.slice(i + 1, i + 2);
        i += 2;
      }
    } else {
      value += c;
      i++;
    }
  }
  return unclosedQuote === undefined ? { value, quoted } : { value, quoted, unclosedQuote };
}

/** Length of a line break at `i` (`\n` or `\r\n`), or 0. */
function newlineAt(raw: string, i: number): number {
  if (raw[i] === '\n') return 1;
  if (raw[i] === '\r' && raw[i + 1] === '\n') return 2;
  return 0;
}

function decodeDoubleQuoted(raw: string, start: number): { value: string; closed: boolean; next: number } {
  let value = '';
  let i = start;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '"') return { value, closed: true, next: i + 1 };
    if (c === '\\' && i + 1 < raw.length) {
      const n = newlineAt(raw, i + 1);
      const next = raw[i + 1]!;
      if (n > 0) i += 1 + n;
      else if (DOUBLE_QUOTE_ESCAPES.has(next)) {
        value += next;
        i += 2;
      } else {
        value += c + next;
        i += 2;
      }
      continue;
    }
    value += c;
    i++;
  }
  return { value, closed: false, next: i };
}
