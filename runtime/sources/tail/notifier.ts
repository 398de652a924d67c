import { statSync, type BigIntStats } from 'node:fs';
import type { TailHandlers, TailNotice } from './types.js';

/**
 * The notices of one followed path, for the file and the FIFO follower alike. A throwing
 * notice handler is ignored: there is nowhere else to report it, and it must not break reading.
 * An error that repeats (a poll retrying a path that stays broken) is reported once, until
 * `recovered()`.
 */
export class Notifier {
  private lastError = '';
  private missingNoticed = false;

  constructor(
    private readonly path: string,
    private readonly handlers: TailHandlers,
  ) {}

  /** Passes `event` to the notice handler, if there is one. */
  notice(event: TailNotice): void {
    try {
      this.handlers.notice?.(event);
    } catch {
      // See the class comment: a failing handler must not stop the reading.
    }
  }

  /** An `error` notice for the followed path. */
  error(message: string): void {
    this.notice({ kind: 'error', path: this.path, message });
  }

  /** An `error` notice, unless it is the same as the last one since `recovered()`. */
  errorOnce(message: string): void {
    if (message === this.lastError) return;
    this.lastError = message;
    this.error(message);
  }

  /** The path opened again: the next error is news even when it repeats an older one. */
  recovered(): void {
    this.lastError = '';
  }

  /** A `missing` notice, unless one was given since the path was last `present()`. */
  missing(): void {
    if (this.missingNoticed) return;
    this.missingNoticed = true;
    this.notice({ kind: 'missing', path: this.path });
  }

  /** The path exists again: its next disappearance is news. */
  present(): void {
    this.missingNoticed = false;
  }

  /**
   * What `abs` (the followed path, resolved) names now: undefined when nothing, null after
   * another error, which is reported once.
   */
  stat(abs: string): BigIntStats | undefined | null {
    try {
      return statSync(abs, { bigint: true, throwIfNoEntry: false });
    } catch (err) {
      this.errorOnce((err as Error).message);
      return null;
    }
  }
}
