import type { ReportOutput } from './report-entry.js';

/** Bytes one attachment's body may hold before the rest is dropped (and that is said in it). */
export const BODY_MAX = 64 * 1024 * 1024;

/**
 * The `out` an entry's `run` prints to: keeps the body as bytes, up to `max`; past it the rest
 * is dropped and the body ends with a line that says so, so a runaway command cannot take the
 * process's memory.
 */
export class BodyBuffer implements ReportOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private cut = false;

  constructor(private readonly max: number = BODY_MAX) {}

  print(...chunks: (string | Uint8Array)[]): void {
    for (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      const room = this.max - this.size;
      if (bytes.length > room) this.cut = true;
      if (room <= 0) continue;
      const kept = bytes.length > room ? Buffer.from(bytes.subarray(0, room)) : Buffer.from(bytes);
      this.chunks.push(kept);
      this.size += kept.length;
    }
  }

  /** The body, with a closing note when it was cut. */
  bytes(): Buffer {
    const body = Buffer.concat(this.chunks);
    return this.cut ? Buffer.concat([body, Buffer.from(`\n[rulec: cut at ${this.max} bytes]\n`)]) : body;
  }
}
