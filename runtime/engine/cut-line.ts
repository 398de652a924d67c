/**
 * `line_max` is a size: a line is cut to at most that many bytes of UTF-8, before a character
 * that would not fit, as the tailer cuts the bytes it reads (LineSplitter). Lines that reach the
 * engine some other way (`rulec test`) are cut here the same, so both see the same text.
 */
export function cutLine(line: string, maxBytes: number): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: nearly every line needs no counting.
  if (line.length * 3 <= maxBytes || Buffer.byteLength(line, 'utf8') <= maxBytes) return line;
  let bytes = 0;
  for (let i = 0; i < line.length; i++) {
    const unit = line.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && i + 1 < line.length && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    // A lone surrogate is written as U+FFFD, 3 bytes.
    const size = unit < 0x80 ? 1 : unit < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) return line.slice(0, i);
    bytes += size;
    if (pair) i++;
  }
  return line;
}
