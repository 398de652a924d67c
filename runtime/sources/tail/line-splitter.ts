import { isAscii } from 'node:buffer';
import type { AsciiLineBytes } from './types.js';

/** What one `push` produced. */
export interface SplitResult {
  readonly lines: string[];
  /** Indices in `lines` of the lines cut to the cap: a cut line must not look whole to a pattern anchored at its end (engine/cut-line.ts). */
  readonly cut: readonly number[];
  /** Where each line's bytes are in the pushed chunk, when it is ASCII; valid until the next push. */
  readonly ascii: AsciiLineBytes | null;
}

const NEWLINE = 0x0a;
const NONE: readonly number[] = Object.freeze([]);
const CR = 0x0d;
/** Bytes of an ASCII chunk decoded at once (see `segment`). */
const SEGMENT_BYTES = 32 * 1024;
/**
 * In a chunk that is not all ASCII, blocks of this many bytes are checked each at once: a line
 * inside ASCII blocks is ASCII, and only the lines touching another block are checked one by one.
 */
const ASCII_BLOCK = 4096;
const ASCII_BLOCK_SHIFT = 12;

/** `end`, or one less when the bytes from `start` to `end` end in a CR. */
function withoutCR(bytes: Buffer, start: number, end: number): number {
  return end > start && bytes[end - 1] === CR ? end - 1 : end;
}

/**
 * The first bytes of a line, as many as a cap lets through (`bytes`), as text; `next` is the
 * line's byte after them. A character the cap splits is left out rather than decoded as U+FFFD.
 * `rulec test` cuts the lines of its log with it, as this splitter cuts what the tailer reads.
 */
export function decodeCut(bytes: Buffer, next: number | undefined): string {
  let stop = bytes.length;
  if (next !== undefined && (next & 0xc0) === 0x80) {
    let back = stop;
    while (back > 0 && stop - back < 3 && ((bytes[back - 1] ?? 0) & 0xc0) === 0x80) back--;
    if (back > 0 && ((bytes[back - 1] ?? 0) & 0xc0) === 0xc0) stop = back - 1;
  }
  return bytes.toString('utf8', 0, stop);
}

/**
 * Turns a byte stream into lines: splits on `\n`, strips one trailing `\r`, decodes UTF-8
 * (invalid bytes become U+FFFD), holds a partial last line until its newline, and caps line
 * length so a newline-free flood neither stalls nor grows memory past `lineMax`.
 *
 * `consumed` is the stream offset up to which every byte is either part of a returned line or
 * deliberately dropped; with `discarding` it is the exact resume point for a checkpoint.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private discardingNow: boolean;
  /**
   * ASCII chunks are decoded a segment at a time and their lines taken as substrings: one
   * decoding call per segment instead of one per line (~45 vs ~95 ns per line on the bench
   * log). Segments stay under V8's large-object size (a 256 KiB text made it as slow as
   * decoding per line). V8 makes the substrings views of the segment, so whatever keeps a line
   * for long copies it (WindowTable keys, queued actions: own-copy.ts).
   */
  private segment: string | null = null;
  private segmentStart = 0;
  private segmentEnd = 0;
  private consumedOffset: number;
  private starts: Int32Array = new Int32Array(1024);
  private ends: Int32Array = new Int32Array(1024);
  /** For a chunk that is not all ASCII: whether each ASCII_BLOCK of it is (1) or not (0). */
  private blocks: Uint8Array = new Uint8Array(64);

  constructor(
    private readonly lineMax: number,
    startOffset: number,
    discarding = false,
  ) {
    this.consumedOffset = startOffset;
    this.discardingNow = discarding;
  }

  get consumed(): number {
    return this.consumedOffset;
  }

  get discarding(): boolean {
    return this.discardingNow;
  }

  /** Bytes of an unfinished line held back. */
  get held(): number {
    return this.pendingLength;
  }

  /** Splits `chunk`, which must follow directly on the bytes pushed before. `chunk` may be reused afterwards. */
  push(chunk: Buffer): SplitResult {
    const lines: string[] = [];
    let cut: number[] | null = null;
    // Log chunks are mostly ASCII: then latin1 decodes them (the same text, cheaper than UTF-8).
    // One non-ASCII byte in a chunk leaves its other lines ASCII: they keep their bytes too.
    const allAscii = isAscii(chunk);
    if (!allAscii) this.markBlocks(chunk);
    let placed = false;
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, pos);
      if (this.discardingNow) {
        const next = nl === -1 ? chunk.length : nl + 1;
        this.consumedOffset += next - pos;
        pos = next;
        if (nl !== -1) this.discardingNow = false;
        continue;
      }
      const end = nl === -1 ? chunk.length : nl;
      const room = this.lineMax - this.pendingLength;
      // A CR before the newline is not part of the line; one that ends the chunk may turn out so.
      const last = end > pos ? chunk[end - 1] : this.lastPendingByte();
      if (end - pos - (last === CR ? 1 : 0) > room) {
        this.place(lines.length, -1, -1);
        (cut ??= []).push(lines.length);
        lines.push(this.cut(chunk, pos, room));
        this.consumedOffset += this.pendingLength + (end - pos);
        this.clearPending();
        if (nl === -1) {
          this.discardingNow = true;
          pos = chunk.length;
        } else {
          this.consumedOffset += 1;
          pos = nl + 1;
        }
      } else if (nl === -1) {
        // Copy: the caller reuses its read buffer.
        this.pending.push(Buffer.from(chunk.subarray(pos)));
        this.pendingLength += chunk.length - pos;
        pos = chunk.length;
      } else {
        const whole = this.pendingLength === 0;
        const ascii = allAscii || (whole && this.lineIsAscii(chunk, pos, end));
        this.place(lines.length, whole && ascii ? pos : -1, withoutCR(chunk, pos, end));
        placed ||= whole && ascii;
        lines.push(this.complete(chunk, pos, end, ascii));
        this.consumedOffset += this.pendingLength + (end - pos) + 1;
        this.clearPending();
        pos = nl + 1;
      }
    }
    const bytes = placed ? { bytes: chunk, starts: this.starts, ends: this.ends } : null;
    this.segment = null;
    return { lines, cut: cut ?? NONE, ascii: bytes };
  }

  /** Returns the held partial line (or null) and counts it as consumed: for a file nobody writes to any more. */
  flush(): string | null {
    if (this.pendingLength === 0) return null;
    const line = Buffer.concat(this.pending, this.pendingLength).toString('utf8');
    this.consumedOffset += this.pendingLength;
    this.clearPending();
    return line;
  }

  /** Starts over at `offset` (after truncation); returns how many held bytes were dropped. */
  reset(offset: number): number {
    const dropped = this.pendingLength;
    this.clearPending();
    this.discardingNow = false;
    this.consumedOffset = offset;
    return dropped;
  }

  /** Marks which ASCII_BLOCKs of `chunk` are ASCII. */
  private markBlocks(chunk: Buffer): void {
    const count = (chunk.length + ASCII_BLOCK - 1) >>> ASCII_BLOCK_SHIFT;
    if (this.blocks.length < count) this.blocks = new Uint8Array(count);
    for (let b = 0; b < count; b++) this.blocks[b] = isAscii(chunk.subarray(b << ASCII_BLOCK_SHIFT, (b + 1) << ASCII_BLOCK_SHIFT)) ? 1 : 0;
  }

  /** Whether `chunk[start, end)` is ASCII, in a chunk that is not all ASCII (markBlocks ran). */
  private lineIsAscii(chunk: Buffer, start: number, end: number): boolean {
    const last = end > start ? (end - 1) >>> ASCII_BLOCK_SHIFT : start >>> ASCII_BLOCK_SHIFT;
    let b = start >>> ASCII_BLOCK_SHIFT;
    while (b <= last && this.blocks[b] === 1) b++;
    return b > last || isAscii(chunk.subarray(start, end));
  }

  private place(line: number, start: number, end: number): void {
    if (line === this.starts.length) {
      const grown = (from: Int32Array): Int32Array => {
        const to = new Int32Array(from.length * 2);
        to.set(from);
        return to;
      };
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
    }
    this.starts[line] = start;
    this.ends[line] = end;
  }

  private complete(chunk: Buffer, start: number, end: number, ascii: boolean): string {
    // The common case: the whole line is in this chunk; decode it in place.
    if (this.pendingLength === 0) {
      const stop = withoutCR(chunk, start, end);
      if (!ascii) return chunk.toString('utf8', start, stop);
      if (this.segment === null || stop > this.segmentEnd) {
        this.segmentStart = start;
        this.segmentEnd = Math.max(stop, Math.min(chunk.length, start + SEGMENT_BYTES));
        this.segment = chunk.toString('latin1', start, this.segmentEnd);
      }
      return this.segment.substring(start - this.segmentStart, stop - this.segmentStart);
    }
    const bytes = Buffer.concat([...this.pending, chunk.subarray(start, end)], this.pendingLength + end - start);
    return bytes.toString('utf8', 0, withoutCR(bytes, 0, bytes.length));
  }

  private cut(chunk: Buffer, start: number, room: number): string {
    const bytes = Buffer.concat([...this.pending, chunk.subarray(start, start + room)], this.lineMax);
    return decodeCut(bytes, chunk[start + room]);
  }

  private lastPendingByte(): number | undefined {
    const piece = this.pending.at(-1);
    return piece?.[piece.length - 1];
  }

  private clearPending(): void {
    this.pending = [];
    this.pendingLength = 0;
  }
}
