/**
 * The one place where checks turn "this node, characters a..b of its value" into a file span.
 * A value is what the checker sees (an entry value, a word with quotes removed, a regex
 * pattern); its span covers the source text it came from. When the two differ (quotes,
 * escapes, a value continued on the next line) the value is aligned to its source text.
 */
import { span as makeSpan } from '../../grammar/diagnostic.js';
import type { Span } from '../../grammar/diagnostic.js';

/** A value as the checker reads it, with the span of the source text it came from. */
export interface Located {
  readonly text: string;
  readonly span: Span;
}

/**
 * The span of `[start, end)` inside `value`, given the text of the file the value lives in.
 * Without a range it is the value's whole span.
 */
export function spanWithin(
  fileText: string | undefined,
  value: Located,
  start = 0,
  end = value.text.length,
): Span {
  const whole = value.span;
  const from = clamp(start, 0, value.text.length);
  const to = clamp(end, from, value.text.length);
  // The whole value is the whole node, quotes included.
  if (from === 0 && to === value.text.length) return whole;
  const source = fileText?.slice(whole.start, whole.end);
  if (source === undefined || source === value.text || source.length !== whole.end - whole.start) {
    // Source identical (or unavailable): offsets map one to one, capped at the value's span.
    return makeSpan(whole.file, Math.min(whole.start + from, whole.end), Math.min(whole.start + to, whole.end));
  }
  const { starts, ends } = align(value.text, source);
  const first = starts[from]!;
  const last = to > from ? ends[to - 1]! : first;
  return makeSpan(whole.file, whole.start + first, whole.start + Math.max(first, last));
}

/** The smallest span covering two spans of the same file. */
export function cover(a: Span, b: Span): Span {
  return makeSpan(a.file, Math.min(a.start, b.start), Math.max(a.end, b.end));
}

// For each character of `text`, where it starts and ends in `source` (plus one start for the
// end of the text). Characters the source spells differently (quotes, a line break read as one
// space) are skipped in the source up to the next character that can stand for the value's
// character; a backslash escape right before it belongs to that character.
function align(text: string, source: string): { starts: number[]; ends: number[] } {
  const starts = new Array<number>(text.length + 1);
  const ends = new Array<number>(text.length);
  let j = 0;
  for (let i = 0; i < text.length; i++) {
    const wanted = text[i]!;
    let k = j;
    while (k < source.length && !sameChar(wanted, source[k]!)) k++;
    if (k < source.length) {
      starts[i] = k > j && source[k - 1] === '\\' ? k - 1 : k;
      ends[i] = k + 1;
      j = k + 1;
    } else {
      // Not found (an escape that produced another character): stay where we are.
      const here = Math.min(j, Math.max(0, source.length - 1));
      starts[i] = here;
      ends[i] = Math.min(source.length, here + 1);
    }
  }
  starts[text.length] = text.length === 0 ? 0 : ends[text.length - 1]!;
  return { starts, ends };
}

function sameChar(wanted: string, found: string): boolean {
  if (wanted === found) return true;
  // A continued value joins its lines with one space where the source has a line break.
  return wanted === ' ' && (found === '\n' || found === '\r' || found === '\t');
}

function clamp(n: number, low: number, high: number): number {
  return Number.isFinite(n) ? Math.max(low, Math.min(high, Math.trunc(n))) : low;
}
