import type { SnortAlert } from '../sources/snort/snort-alert.js';

/** Counters of one handler since start. */
export interface HandlerStats {
  readonly name: string;
  readonly handled: number;
  /** Alerts the handler could not deliver (a failed POST after its retries, a full queue...). */
  readonly failed: number;
  /** Alerts dropped from a full queue without being tried. */
  readonly dropped: number;
}

/**
 * What is done with each alert (Pigear's data handlers). `handle` must return at once and never
 * throw: a slow handler queues (bounded) and counts what it drops.
 */
export interface AlertHandler {
  readonly name: string;
  /** Proves and takes what the handler needs before the first alert (the mail handler's keys); throws saying what is wrong. */
  open?(): Promise<void>;
  handle(alert: SnortAlert): void;
  /** Finishes what is queued, waiting at most `timeoutMs`; then lets go of files and connections. */
  close(timeoutMs: number): Promise<void>;
  stats(): HandlerStats;
}
