/**
 * Pigear's IPython handler, in Node: for each alert an interactive REPL with the alert in scope
 * as `msg` (its Alertpkt fields under Pigear's names, `pkt` as a Buffer, and the decoded
 * headers). `.exit` or Ctrl-D goes on to the next alert; alerts that arrive meanwhile wait in a
 * bounded queue. The REPL runs what the operator types; the alert's text is only ever data.
 */
import { start, type REPLServer } from 'node:repl';
import type { Logger } from '../log/logger.js';
import { fastAlertLine, type SnortAlert } from '../sources/snort/snort-alert.js';
import { escapeControl } from '../log/escape.js';
import type { AlertHandler, HandlerStats } from './alert-handler.js';

/** The banner Pigear printed, in our words. */
export const REPL_BANNER = 'REPL handler: for each Snort alert a Node REPL starts with the alert as `msg` in scope; .exit or Ctrl-D goes on to the next alert.';

const QUEUE_CAP = 100;

/** One REPL at a time on `input`/`output`, per alert. */
export class ReplHandler implements AlertHandler {
  readonly name = 'repl';
  private readonly queue: SnortAlert[] = [];
  private current: REPLServer | null = null;
  private counts = { handled: 0, failed: 0, dropped: 0 };
  private idle: (() => void) | null = null;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly log: Logger,
  ) {
    output.write(`${REPL_BANNER}\n`);
  }

  handle(alert: SnortAlert): void {
    if (this.queue.length >= QUEUE_CAP) {
      this.queue.shift();
      this.counts.dropped++;
      this.log.warn(null, `repl handler: ${QUEUE_CAP} alerts waiting; dropped the oldest (${this.counts.dropped} so far)`);
    }
    this.queue.push(alert);
    if (this.current === null) this.next();
  }

  /** Waits for the open REPL (the operator decides when it ends), at most `timeoutMs`, then closes it. */
  async close(timeoutMs: number): Promise<void> {
    this.queue.splice(0);
    if (this.current === null) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => {
        this.current?.close();
        done();
      }, timeoutMs);
      this.idle = () => {
        clearTimeout(timer);
        done();
      };
    });
  }

  stats(): HandlerStats {
    return { name: this.name, ...this.counts };
  }

  private next(): void {
    const alert = this.queue.shift();
    if (alert === undefined) {
      this.idle?.();
      return;
    }
    const waiting = this.queue.length === 0 ? '' : ` (${this.queue.length} more waiting)`;
    this.output.write(`\nalert ${escapeControl(fastAlertLine(alert))}${waiting}\n`);
    const repl = start({ input: this.input, output: this.output, prompt: 'msg> ', terminal: this.output.isTTY === true, useGlobal: false, ignoreUndefined: true });
    repl.context.msg = { ...alert.fields, classification_name: alert.classificationName, ...alert.packet, source: alert.source };
    this.current = repl;
    repl.on('exit', () => {
      this.current = null;
      this.counts.handled++;
      this.next();
    });
  }
}
