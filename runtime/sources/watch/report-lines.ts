/**
 * The reported lines of a watch pass as the bytes of its attachment, each followed by a newline
 * and escaped as `escapeControl` escapes (controls, ANSI and bidi sequences, backslashes). Most
 * reports are mostly lines as they were read: an ASCII line that needs no escape is copied from
 * the reader's chunk, and a run of such lines that lie back to back there (the usual case) is
 * one copy, so no string is built per reported line. Other lines are escaped and encoded.
 */
import { escapeControl } from '../../log/escape.js';
import type { AsciiLineBytes } from '../tail/types.js';

/** Ends a reported line the reader cut at line_max (a log line's own `[` cannot end it: the mark follows the cut). */
export const CUT_MARK = ' [rulec: cut at line_max]';

/** An ASCII line that holds none of these needs no escape: it is written as its bytes. */
const NEEDS_ESCAPE = /[^\x20-\x5b\x5d-\x7e]/;
const NEWLINE = 0x0a;
/** Bytes gathered before they are handed on (and the least a buffer holds). */
const FLUSH_AT = 64 * 1024;

/**
 * Gathers a pass's report bytes and hands them to `out` in pieces of about FLUSH_AT bytes; a
 * piece is valid only during the call (its buffer is filled again next).
 */
export class ReportLines {
  private buffer = Buffer.allocUnsafe(FLUSH_AT * 2);
  private used = 0;
  private total = 0;

  constructor(private readonly out: (bytes: Uint8Array) => void) {}

  /**
   * Adds the lines `picked[0..count)` of a batch. `texts[k]` is line k as judged (trimmed, when
   * the block trims); `trimmedFrom[k]` how many characters trimming took from its start (null
   * when nothing was trimmed). `ascii` places the batch's ASCII lines in the chunk they came from.
   * `cut`: the indices, in order, of the lines cut at line_max, which end in CUT_MARK.
   */
  lines(texts: readonly string[], picked: Int32Array, count: number, ascii: AsciiLineBytes | null, trimmedFrom: Int32Array | null, cut: readonly number[] = []): void {
    let runStart = -1;
    let runEnd = -1;
    let nextCut = 0;
    for (let p = 0; p < count; p++) {
      const k = picked[p]!;
      const text = texts[k]!;
      while (nextCut < cut.length && cut[nextCut]! < k) nextCut++;
      if (cut[nextCut] === k) {
        this.run(ascii?.bytes ?? null, runStart, runEnd);
        runStart = -1;
        this.text(`${escapeControl(text)}${CUT_MARK}\n`);
        continue;
      }
      let start = ascii === null ? -1 : ascii.starts[k]!;
      if (start !== -1 && !NEEDS_ESCAPE.test(text)) {
        if (trimmedFrom !== null) start += trimmedFrom[k]!;
        // Back to back with the run's last line, its newline between them: one copy.
        if (runStart === -1 || start !== runEnd + 1 || ascii!.bytes[runEnd] !== NEWLINE) {
          this.run(ascii!.bytes, runStart, runEnd);
          runStart = start;
        }
        runEnd = start + text.length;
        continue;
      }
      this.run(ascii?.bytes ?? null, runStart, runEnd);
      runStart = -1;
      this.text(`${escapeControl(text)}\n`);
    }
    this.run(ascii?.bytes ?? null, runStart, runEnd);
  }

  /** Adds text as it is (notes made by rulec, escaped already). */
  text(text: string): void {
    // UTF-8 takes at most three bytes for each UTF-16 code unit.
    if (text.length * 3 > this.buffer.length - this.used) this.drain(text.length * 3);
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.after();
  }

  /** Hands out what is gathered. */
  flush(): void {
    if (this.used === 0) return;
    this.out(this.buffer.subarray(0, this.used));
    this.total += this.used;
    this.used = 0;
  }

  /** Bytes gathered and handed out. */
  get size(): number {
    return this.total + this.used;
  }

  /** Adds the lines in `source[start, end)` and the newline after them (copied when it is there). */
  private run(source: Uint8Array | null, start: number, end: number): void {
    if (start === -1 || source === null) return;
    const newline = source[end] === NEWLINE;
    this.bytes(source, start, newline ? end + 1 : end);
    if (!newline) this.newline();
  }

  private bytes(source: Uint8Array, start: number, end: number): void {
    if (end - start > this.buffer.length - this.used) this.drain(end - start);
    this.buffer.set(source.subarray(start, end), this.used);
    this.used += end - start;
    this.after();
  }

  private newline(): void {
    if (this.used === this.buffer.length) this.drain(1);
    this.buffer[this.used++] = NEWLINE;
  }

  /** Makes room for `bytes` more. */
  private drain(bytes: number): void {
    this.flush();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(bytes, FLUSH_AT * 2));
  }

  private after(): void {
    if (this.used >= FLUSH_AT) this.flush();
  }
}
