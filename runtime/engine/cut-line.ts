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
