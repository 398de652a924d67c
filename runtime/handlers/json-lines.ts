/** The default handler: each alert as one line of JSON, to standard output or appended to a file. */
import { closeSync, writeSync } from 'node:fs';
import { openAppend } from '../fs/open-append.js';
import { safeJson } from '../log/escape.js';
import { alertRecord, type SnortAlert } from '../sources/snort/snort-alert.js';
import type { AlertHandler, HandlerStats } from './alert-handler.js';

/** Writes `alertRecord` JSON lines; text from the packet is escaped by `safeJson`, one alert per line. */
export class JsonLinesHandler implements AlertHandler {
  readonly name = 'json';
  private fd: number | null = null;
  private handled = 0;
  private failed = 0;

  /**
   * @param file a file to append to (created 0640), or null for `out`; a symlink there is refused
   *   (openAppend): whoever can write its directory must not make root append to another file
   * @param out where lines go without a file (standard output)
   */
  constructor(private readonly file: string | null, private readonly out: { write(text: string): unknown } | null) {
    if (file !== null) this.fd = openAppend(file, 0o640);
  }

  handle(alert: SnortAlert): void {
    const line = `${safeJson(alertRecord(alert))}\n`;
    try {
      if (this.fd !== null) writeSync(this.fd, line);
      else this.out!.write(line);
      this.handled++;
    } catch {
      this.failed++;
    }
  }

  close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    return Promise.resolve();
  }

  stats(): HandlerStats {
    return { name: this.file === null ? this.name : `${this.name} ${this.file}`, handled: this.handled, failed: this.failed, dropped: 0 };
  }
}
