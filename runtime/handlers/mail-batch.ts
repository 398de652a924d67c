/**
 * The `mail` handler: alerts collected and mailed in batches, each batch one OpenPGP-encrypted
 * attachment (the alerts as JSON lines) sent by the report mailer (runtime/report) with the rule
 * file's mail settings. A batch goes when `count` alerts wait or when the oldest has waited
 * `every`; one mail is on its way at a time. Never plaintext: the keys are proved when the
 * handler opens, and a batch that cannot be encrypted is not sent. A batch the SMTP server does
 * not take is spooled, encrypted, like a report, and sent first by the next batch (or by
 * `rulec report --flush`). Waiting alerts are bounded in number and bytes; beyond, the oldest
 * are dropped and counted. On close what waits is spooled first, then the spool is sent while
 * time allows: nothing held is lost to a slow server.
 */
import type { Logger } from '../log/logger.js';
import { safeJson } from '../log/escape.js';
import type { ReportEntry, ReportOutput } from '../report/report-entry.js';
import { Reporter } from '../report/reporter.js';
import { alertRecord, type SnortAlert } from '../sources/snort/snort-alert.js';
import type { AlertHandler, HandlerStats } from './alert-handler.js';

/** The rule file's mail settings, as `rulec report` reads them. */
export interface MailContext {
  /** `set` settings: `to`, `pgp`, `smtp` and the rest of docs/report.md. */
  readonly settings: Readonly<Record<string, string>>;
  /** Relative key, auth and spool paths are read from here (the rule file's directory). */
  readonly baseDir: string;
  /** `[general] state`, for the default spool directory. */
  readonly stateDir: string | null;
}

/** How batches are made; every field has a default. */
export interface MailBatchOptions {
  /** Alerts in one mail; default 100. */
  readonly count?: number;
  /** The longest an alert waits for its mail, in seconds; default 600. */
  readonly every?: number;
  /** Alerts waiting at most; default 10,000. */
  readonly max?: number;
  /** The attachment's name; default `snort-alerts.jsonl`. */
  readonly mimeFile?: string;
  /** Default `DEFAULT_ALERT_SUBJECT`. */
  readonly subject?: string;
}

/** The subject of an alert mail without `subject=`: no alert text, as report subjects. */
export const DEFAULT_ALERT_SUBJECT = 'rulec: Snort alerts from {host}, {date} {time}';

/** The settings a mail handler cannot go without. */
export const MAIL_SETTINGS_NEEDED = ['to', 'pgp', 'smtp'] as const;

/** Bytes of JSON waiting at most, whatever `max` says (an alert's packet alone can be 87 KiB). */
const WAITING_BYTES_MAX = 64 * 1024 * 1024;

/** Mails alerts in encrypted batches. Call `open` before the first `handle`. */
export class MailBatchHandler implements AlertHandler {
  readonly name = 'mail';
  private reporter: Reporter | null = null;
  private readonly waiting: string[] = [];
  private waitingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private due = false;
  private sending: Promise<void> | null = null;
  private closing = false;
  private counts = { handled: 0, failed: 0, dropped: 0 };

  constructor(
    private readonly context: MailContext,
    private readonly options: MailBatchOptions,
    private readonly log: Logger,
  ) {}

  /** Proves the settings, keys and spool (throws saying what is wrong), then sends what an earlier run spooled, in the background. */
  async open(): Promise<void> {
    const settings = { ...this.context.settings, subject: this.options.subject ?? DEFAULT_ALERT_SUBJECT };
    const reporter = await Reporter.open({
      settings,
      baseDir: this.context.baseDir,
      stateDir: this.context.stateDir,
      dryRun: false,
      // The mailer's lines: spooling and refusals are warnings, the rest (sent N spooled) news.
      log: (line) => (/^warning:|did not take|refused|cannot/.test(line) ? this.log.warn(null, `mail handler: ${line}`) : this.log.info(null, `mail handler: ${line}`)),
    });
    this.reporter = reporter;
    this.track(this.flush(reporter));
  }

  handle(alert: SnortAlert): void {
    if (this.closing) return;
    const line = `${safeJson(alertRecord(alert))}\n`;
    this.waiting.push(line);
    this.waitingBytes += line.length;
    while (this.waiting.length > this.max || (this.waitingBytes > WAITING_BYTES_MAX && this.waiting.length > 1)) {
      this.waitingBytes -= this.waiting.shift()!.length;
      this.counts.dropped++;
      if ((this.counts.dropped & (this.counts.dropped - 1)) === 0) this.log.warn(null, `mail handler: ${this.waiting.length} alerts waiting for a mail; dropped the oldest (${this.counts.dropped} so far)`);
    }
    if (this.waiting.length >= this.count) this.due = true;
    else this.arm();
    this.pump();
  }

  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    this.disarm();
    const deadline = Date.now() + timeoutMs;
    const left = (): number => Math.max(0, deadline - Date.now());
    if (this.sending !== null) await within(this.sending, left());
    const reporter = this.reporter;
    if (reporter === null) {
      this.counts.failed += this.waiting.splice(0).length;
      return;
    }
    if (this.waiting.length === 0) return;
    // Spooled first: a server that is slow now must not cost these alerts.
    while (this.waiting.length > 0) await this.deliver(this.take(), true);
    await within(this.flush(reporter), left());
  }

  stats(): HandlerStats {
    return { name: this.name, ...this.counts };
  }

  private get count(): number {
    return this.options.count ?? 100;
  }

  private get every(): number {
    return this.options.every ?? 600;
  }

  private get max(): number {
    return this.options.max ?? 10_000;
  }

  /** The oldest waiting alert's mail goes `every` seconds from now at the latest. */
  private arm(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.due = true;
      this.pump();
    }, this.every * 1000);
  }

  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    if (this.sending !== null || !this.due || this.closing || this.waiting.length === 0) return;
    this.disarm();
    const batch = this.take();
    this.due = this.waiting.length >= this.count;
    this.track(this.deliver(batch, false));
  }

  /** One mail is on its way at a time; when it is done, what waits is looked at again. */
  private track(work: Promise<void>): void {
    const sending = work.finally(() => {
      this.sending = null;
      if (this.closing) return;
      if (this.waiting.length > 0 && !this.due) this.arm();
      this.pump();
    });
    this.sending = sending;
  }

  /** Sends what the spool holds; a failure is the reporter's to log, and leaves the spool as it is. */
  private flush(reporter: Reporter): Promise<void> {
    return reporter.flush().then(
      () => undefined,
      (error: unknown) => this.log.warn(null, `mail handler: the spool was not sent: ${(error as Error).message}`),
    );
  }

  private take(): string[] {
    const batch = this.waiting.splice(0, this.count);
    for (const line of batch) this.waitingBytes -= line.length;
    return batch;
  }

  private async deliver(batch: readonly string[], spoolOnly: boolean): Promise<void> {
    const reporter = this.reporter!;
    try {
      const result = await reporter.report([batchEntry(batch, this.options.mimeFile ?? 'snort-alerts.jsonl')], { spoolOnly });
      this.counts.handled += batch.length;
      if (!spoolOnly && result.spooled === null) reporter.debug(`mailed ${batch.length} alert(s)`);
    } catch (error) {
      // Nothing was sent or stored: encryption or the spool failed.
      this.counts.failed += batch.length;
      this.log.error(null, `mail handler: ${batch.length} alert(s) not mailed: ${(error as Error).message}`);
    }
  }
}

/** A batch as the one attachment of a mail. */
function batchEntry(batch: readonly string[], mimeFile: string): ReportEntry {
  return {
    mime_file: mimeFile,
    description: `${batch.length} Snort alert${batch.length === 1 ? '' : 's'}`,
    validate: () => undefined,
    run: (out: ReportOutput) => out.print(...batch),
    finish: () => undefined,
    encrypted: () => true,
  };
}

/** Waits for `work`, at most `ms`. */
function within(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    void work.finally(() => {
      clearTimeout(timer);
      done();
    });
  });
}
