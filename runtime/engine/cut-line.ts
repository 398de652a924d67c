import type { ItemSpec } from '../contract.js';

/**
 * `line_max` is a size: a line is cut to at most that many bytes of UTF-8, before a character
 * that would not fit, as the tailer cuts the bytes it reads (LineSplitter). Lines that reach the
 * engine some other way (`rulec test`) are cut here the same, so both see the same text.
 *
 * U+FFFD counts as one byte: it is what an invalid byte in the log decodes to, and counted as
 * the three bytes it would take re-encoded, a line padded with invalid bytes would be cut here
 * at a third of what the tailer let through. A U+FFFD written as such in the log is three
 * bytes: the reader's cut at the path's largest line_max (the tailer's, and `rulec test`'s
 * through DryRun) counts those exactly; an item's smaller line_max, cut here, counts them as one.
 */
export function cutLine(line: string, maxBytes: number): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8, and the UTF-8 length (U+FFFD as 3) is at
  // least the size counted here: nearly every line needs no counting.
  if (line.length * 3 <= maxBytes || Buffer.byteLength(line, 'utf8') <= maxBytes) return line;
  let bytes = 0;
  for (let i = 0; i < line.length; i++) {
    const unit = line.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < line.length && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    // A lone surrogate is written as U+FFFD, 3 bytes.
    const size = unit < 0x80 || unit === 0xfffd ? 1 : unit < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) return line.slice(0, i);
    bytes += size;
    if (pair) i++;
  }
  return line;
}

/**
 * The bytes of a line a path's reader keeps: the largest `line_max` of the items reading it
 * (0, or nonsense, means no cap; no items, none either).
 */
export function sourceLineCap(items: readonly ItemSpec[]): number {
  const caps = items.map((item) => (item.lineMax > 0 ? item.lineMax : Infinity));
  return caps.length === 0 ? Infinity : Math.max(...caps);
}

/**
 * The rule for a line cut at `line_max` (issue 15 §7): its text ends where the line does not,
 * so an end anchor must not match there; else `(a+)+$` "matches" a megabyte of `a`s that ends
 * in `!`, and `!$` could never be told from the line's real end. Given a JavaScript pattern
 * as the regex translation writes it (every end anchor a `$` outside a class, no `m` flag),
 * returns it with each end anchor replaced by `[]`, which matches nothing and keeps the
 * pattern inside V8's linear-time engine; null when it has no end anchor, so it needs no
 * other pattern for cut lines. The daemon, `rulec test` (compiled into each item's `cut`) and
 * `rulec regex` all match cut lines with it.
 */
export function endBlind(source: string): string | null {
  let out = '';
  let from = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      i++;
    } else if (inClass) {
      if (c === 0x5d /* ] */) inClass = false;
    } else if (c === 0x5b /* [ */) {
      inClass = true;
    } else if (c === 0x24 /* $ */) {
      out += `${source.slice(from, i)}[]`;
      from = i + 1;
    }
  }
  return from === 0 ? null : out + source.slice(from);
}
