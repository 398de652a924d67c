import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import { LineSplitter } from './line-splitter.js';
import { Notifier } from './notifier.js';
import type { TailHandlers } from './types.js';

/**
 * Reads a named pipe as a stream. The pipe is opened read-write and non-blocking: opening
 * never waits for a writer, and since we hold a write end ourselves the reader never sees
 * EOF when a writer closes, so writers may come and go with no reopen and no lost window.
 * Without write permission it falls back to read-only and reopens after each EOF on the
 * next poll. A pipe replaced by another (new inode) or removed is noticed by the poll.
 */
export class FifoFollower {
  private socket: Socket | null = null;
  private ino: bigint | null = null;
  private splitter: LineSplitter;
  private bytes = 0;
  private cutTotal = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly notices: Notifier;
  private readonly abs: string;

  constructor(
    private readonly settings: { readonly path: string; readonly lineMax: number; readonly pollMs: number },
    private readonly handlers: TailHandlers,
  ) {
    this.abs = resolve(settings.path);
    this.notices = new Notifier(settings.path, handlers);
    this.splitter = new LineSplitter(settings.lineMax, 0);
  }

  begin(): void {
    this.poll();
    // A notice handler may have stopped us meanwhile; a timer started now would never be cleared.
    if (this.stopped) return;
    this.pollTimer = setInterval(() => this.poll(), this.settings.pollMs);
  }

  halt(): void {
    this.stopped = true;
    if (this.pollTimer !== null) clearInterval(this.pollTimer);
    this.pollTimer = null;
    this.drop();
  }

  private poll(): void {
    if (this.stopped) return;
    const st = this.notices.stat(this.abs);
    if (st === null) return;
    if (st === undefined) {
      this.drop();
      this.notices.missing();
      return;
    }
    this.notices.present();
    if (!st.isFIFO()) {
      this.drop();
      this.notices.errorOnce('not a FIFO');
      return;
    }
    if (this.socket !== null && st.ino === this.ino) return;
    this.drop();
    this.open();
  }

  private open(): void {
    let fd: number;
    try {
      fd = openPipe(this.abs);
      const st = fstatSync(fd, { bigint: true });
      if (!st.isFIFO()) {
        closeSync(fd);
        this.notices.errorOnce('not a FIFO');
        return;
      }
      this.ino = st.ino;
    } catch (err) {
      this.notices.errorOnce((err as Error).message);
      return;
    }
    let socket: Socket;
    try {
      socket = new Socket({ fd, readable: true, writable: false });
    } catch (err) {
      closeSync(fd);
      this.notices.errorOnce((err as Error).message);
      return;
    }
    this.notices.recovered();
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Read-only fallback: the last writer closed. Reopen on the next poll.
    socket.on('end', () => this.drop(socket));
    socket.on('error', (err: Error) => {
      this.notices.error(err.message);
      this.drop(socket);
    });
    this.notices.notice({ kind: 'opened', path: this.settings.path, offset: this.bytes });
  }

  private onData(chunk: Buffer): void {
    if (this.stopped) return;
    this.bytes += chunk.length;
    const { lines, cut, ascii } = this.splitter.push(chunk);
    if (cut.length > 0) {
      this.cutTotal += cut.length;
      this.notices.notice({ kind: 'line-cut', path: this.settings.path, total: this.cutTotal, lineMax: this.settings.lineMax });
    }
    if (lines.length === 0) return;
    try {
      this.handlers.lines(lines, { path: this.settings.path, endOffset: this.splitter.consumed, rotated: false, ascii, cut });
    } catch (err) {
      this.notices.errorOnce(`lines handler threw: ${(err as Error).message}`);
    }
  }

  private drop(which: Socket | null = this.socket): void {
    if (which === null || which !== this.socket) return;
    this.socket = null;
    this.ino = null;
    which.destroy();
  }


}

function openPipe(path: string): number {
  try {
    return openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES') throw err;
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  }
}
