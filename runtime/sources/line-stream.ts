import { closeSync, createReadStream, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LineSplitter } from './tail/line-splitter.js';
import { DEFAULT_LINE_MAX, type AsciiLineBytes } from './tail/types.js';

/** One batch of complete lines, in order, as the tailer hands them to the engine. */
export interface LineBatch {
  /** The lines without their line breaks (one trailing CR dropped), each at most `lineMax` bytes. */
  readonly lines: string[];
  /** Indices in `lines` of the lines that were longer than `lineMax` and were cut to it; usually empty. */
  readonly cut: readonly number[];
  /** Byte offset just past the batch's last line (its newline, or the rest of a cut line, included). */
  readonly endOffset: number;
  /** The lines' bytes when they were read in an ASCII chunk; valid only until the next batch is asked for. */
  readonly ascii: AsciiLineBytes | null;
}

/** Where a stream stopped: read on from `offset` (with `discarding`) to get the lines after the last batch. */
export interface StreamPosition {
  readonly offset: number;
  /** The byte at `offset` is inside a line whose start was cut: the rest of it up to its newline is dropped. */
  readonly discarding: boolean;
}

/** How a log is streamed. */
export interface LineStreamOptions {
  /** Bytes a line is cut to, as the daemon's reader cuts (default 64 KiB). */
  readonly lineMax?: number;
  /** Where to begin: a regular file is read from there; from anything else that many bytes are skipped. */
  readonly from?: StreamPosition;
  /**
   * What to do with a last line that has no newline at the end of the input: `deliver` it (a log
   * read once, `rulec test`), or `keep` it unread, so the next read from `position` gets it whole
   * (a log still being written, read again later).
   */
  readonly unterminated?: 'deliver' | 'keep';
}

/** Bytes of one read of a regular file, as the tailer reads. */
const READ_BUFFER = 256 * 1024;
/** Bytes read before the event loop gets a turn, so a daemon streaming a huge file keeps serving. */
const TURN_BUDGET = 4 * 1024 * 1024;
const CR = 0x0d;
const NONE: readonly number[] = Object.freeze([]);

/**
 * Streams a log (a file, or standard input, whatever it is) from an offset in batches of lines
 * through the tailer's reader and splitter: the same lines, cuts and offsets the daemon gets,
 * in memory that does not grow with the log's length. `rulec test` runs the engine on it, a
 * report reads a log from where the last one stopped. Open with `LineStream.open`, iterate once
 * with `for await`, then read `position` and `cutLines`. Iterating to the end, or leaving the
 * loop early, closes what was opened.
 */
export class LineStream implements AsyncIterable<LineBatch> {
  private cuts = 0;
  private where: StreamPosition;
  private readonly splitter: LineSplitter;
  private readonly lineMax: number;
  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly owned: boolean,
    /** The input's status when it was opened: a regular file's size and mtime, or what else it is; null for a stream given as such. */
    readonly stat: Stats | null,
    private readonly options: LineStreamOptions,
    private readonly input: AsyncIterable<Buffer | string> | null = null,
  ) {
    this.lineMax = Math.max(16, Math.floor(options.lineMax ?? DEFAULT_LINE_MAX));
    this.where = options.from ?? { offset: 0, discarding: false };
    this.splitter = new LineSplitter(this.lineMax, this.where.offset, this.where.discarding);
  }

  /**
   * Opens `path`, or standard input when it is null. Throws the open's error (ENOENT, EACCES,
   * EISDIR for a directory) for the caller to word.
   */
  static open(path: string | null, options: LineStreamOptions = {}): LineStream {
    const fd = path === null ? 0 : openSync(path, 'r');
    try {
      const stat = fstatSync(fd);
      if (stat.isDirectory()) throw Object.assign(new Error('EISDIR: illegal operation on a directory'), { code: 'EISDIR' });
      return new LineStream(fd, path !== null, stat, options);
    } catch (error) {
      if (path !== null) closeSync(fd);
      throw error;
    }
  }

  /**
   * Reads a stream the caller has (standard input of a command run in process, not the
   * process's own): read as a pipe is, the first `from.offset` bytes skipped.
   */
  static fromStream(input: AsyncIterable<Buffer | string>, options: LineStreamOptions = {}): LineStream {
    return new LineStream(-1, false, null, options, input);
  }

  /** Where the lines delivered so far end: a later stream `from` it reads on without loss or repeat. */
  get position(): StreamPosition {
    return this.where;
  }

  /** Lines cut at `lineMax` so far. */
  get cutLines(): number {
    return this.cuts;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LineBatch> {
    if (this.closed) return;
    try {
      const chunks = this.stat?.isFile() === true ? this.fileChunks() : this.streamChunks();
      for await (const chunk of chunks) {
        const { lines, cut, ascii } = this.splitter.push(chunk);
        this.cuts += cut.length;
        this.where = { offset: this.splitter.consumed, discarding: this.splitter.discarding };
        if (lines.length > 0) yield { lines, cut, endOffset: this.where.offset, ascii };
      }
      if (this.options.unterminated !== 'keep') {
        const last = this.splitter.flush();
        this.where = { offset: this.splitter.consumed, discarding: false };
        if (last !== null) {
          const line = last.charCodeAt(last.length - 1) === CR ? last.slice(0, -1) : last;
          yield { lines: [line], cut: NONE, endOffset: this.where.offset, ascii: null };
        }
      }
    } finally {
      this.close();
    }
  }

  /** Closes what was opened, when the stream is not iterated to its end. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.owned) closeSync(this.fd);
  }

  /** A regular file: positioned reads from the start offset to its end as it is now, yielding the loop between budgets. */
  private async *fileChunks(): AsyncGenerator<Buffer> {
    const buf = Buffer.allocUnsafe(READ_BUFFER);
    let at = this.where.offset;
    let turn = 0;
    for (;;) {
      const n = readSync(this.fd, buf, 0, buf.length, at);
      if (n === 0) return;
      at += n;
      yield buf.subarray(0, n);
      turn += n;
      if (turn >= TURN_BUDGET) {
        turn = 0;
        await nextTurn();
      }
    }
  }

  /** A pipe, terminal or socket: read as a stream, the first `from.offset` bytes skipped. */
  private async *streamChunks(): AsyncGenerator<Buffer> {
    let skip = this.where.offset;
    const input = this.input ?? (this.fd === 0 ? process.stdin : createReadStream('', { fd: this.fd, autoClose: false }));
    for await (const data of input) {
      let chunk = typeof data === 'string' ? Buffer.from(data) : (data as Buffer);
      if (skip > 0) {
        const dropped = Math.min(skip, chunk.length);
        skip -= dropped;
        chunk = chunk.subarray(dropped);
        if (chunk.length === 0) continue;
      }
      yield chunk;
    }
  }
}
