import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { fingerprintOf, FINGERPRINT_BYTES } from './fingerprint.js';
import { LineSplitter } from './line-splitter.js';
import type { AsciiLineBytes, Fingerprint } from './types.js';

/** How a read pass ended: at end of file, out of budget (call again), or stopped by the sink. */
export type ReadOutcome = 'eof' | 'budget' | 'aborted';

/** Receives a batch; returns false to stop reading (the tailer was stopped meanwhile). */
export type LineSink = (lines: string[], endOffset: number, cut: readonly number[], ascii: AsciiLineBytes | null) => boolean;

/**
 * One open regular file read by descriptor, so it can still be read after it is renamed or
 * unlinked. Tracks the read position, the line splitter and the offset of handled lines.
 */
export class OpenFile {
  readPos: number;
  fingerprint: Fingerprint;
  /** Where lines were handled up to (the sink returned): what a checkpoint may record. */
  handled: { offset: number; discarding: boolean };
  /** Epoch ms after which a rotated-away file is closed; null while it is the followed file. */
  retireAt: number | null = null;
  /** Bytes read after the file was rotated away (the lines a naive tailer loses). */
  bytesAfterRotation = 0;
  private splitter: LineSplitter;
  private closed = false;

  private constructor(
    readonly fd: number,
    readonly dev: bigint,
    readonly ino: bigint,
    lineMax: number,
    position: number,
    discarding: boolean,
  ) {
    this.readPos = position;
    this.splitter = new LineSplitter(lineMax, position, discarding);
    this.handled = { offset: position, discarding };
    this.fingerprint = fingerprintOf(fd);
  }

  /**
   * Opens `path` (following symlinks) without blocking even if it turned into a FIFO, and
   * refuses anything but a regular file. `position` picks the start offset from the file's size.
   * Throws on I/O errors; the caller turns them into notices.
   */
  static open(
    path: string,
    lineMax: number,
    position: (fd: number, size: number, dev: bigint, ino: bigint) => { offset: number; discarding: boolean },
  ): OpenFile {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd, { bigint: true });
      if (!st.isFile()) throw new NotRegularFile();
      const at = position(fd, Number(st.size), st.dev, st.ino);
      return new OpenFile(fd, st.dev, st.ino, lineMax, at.offset, at.discarding);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Reads from `readPos` until end of file or until `budget` bytes were read, feeding `sink`. */
  read(buf: Buffer, budget: number, sink: LineSink): ReadOutcome {
    let total = 0;
    while (total < budget) {
      const n = readSync(this.fd, buf, 0, buf.length, this.readPos);
      if (n === 0) return 'eof';
      this.readPos += n;
      total += n;
      if (this.retireAt !== null) this.bytesAfterRotation += n;
      const { lines, cut, ascii } = this.splitter.push(buf.subarray(0, n));
      const more = lines.length === 0 && cut.length === 0 ? true : sink(lines, this.splitter.consumed, cut, ascii);
      this.handled = { offset: this.splitter.consumed, discarding: this.splitter.discarding };
      if (!more) return 'aborted';
      // A short read of a regular file means its end was reached; skip the extra syscall.
      if (n < buf.length) break;
    }
    if (this.fingerprint.length < FINGERPRINT_BYTES && this.readPos > this.fingerprint.length) {
      this.fingerprint = fingerprintOf(this.fd);
    }
    return total >= budget ? 'budget' : 'eof';
  }

  /** Starts over at offset 0 after truncation; returns the held bytes dropped. */
  rewind(): number {
    this.readPos = 0;
    this.handled = { offset: 0, discarding: false };
    const dropped = this.splitter.reset(0);
    this.fingerprint = fingerprintOf(this.fd);
    return dropped;
  }

  /** The held partial line, for a file that will get no more writes. */
  flush(): string | null {
    const line = this.splitter.flush();
    this.handled = { offset: this.splitter.consumed, discarding: false };
    return line;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // Already gone: nothing left to release.
    }
  }
}

/** True when the file `fd` of `size` bytes does not end with a newline (a line is still being written). */
export function endsInsideLine(fd: number, size: number): boolean {
  const one = Buffer.alloc(1);
  return readSync(fd, one, 0, 1, size - 1) !== 1 || one[0] !== 0x0a;
}

/** The path names something other than a regular file (a directory, a device): not the log yet. */
export class NotRegularFile extends Error {
  constructor() {
    super('not a regular file');
  }
}
