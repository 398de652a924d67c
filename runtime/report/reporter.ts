import { isAbsolute, join } from 'node:path';
import { BodyBuffer } from './body-buffer.js';
import { composeReport, envelopeOf, type Attachment } from './compose.js';
import { openEncryptor, type Encryptor } from './encryptor.js';
import { fillSubject, readMailSettings, type MailSettings } from './mail-settings.js';
import type { ReportEntry } from './report-entry.js';
import { ReportError } from './report-error.js';
import { smtpClient, type SendOutcome, type SmtpClient } from './smtp.js';
import { Spool, spoolDirectory } from './spool.js';

/** Where a report's settings come from and what it may do. */
export interface ReporterOptions {
  /** The rule file's `set` settings. */
  readonly settings: Readonly<Record<string, string>>;
  /** Relative key, auth and CA files are read from here (the rule file's directory). */
  readonly baseDir: string;
  /** `[general] state`, for the default spool directory. */
  readonly stateDir: string | null;
  /** `--spool DIR`. */
  readonly spoolDir?: string | undefined;
  /** Build the message but neither send nor spool it (`--dry-run`): no SMTP server needed. */
  readonly dryRun: boolean;
  /** Lines for the operator (stderr); never log text. */
  readonly log: (line: string) => void;
  readonly now?: () => Date;
}

/** How a report or a flush went. `ok` is false when anything failed, was spooled or stayed spooled. */
export interface ReportResult {
  readonly ok: boolean;
  /** The finished message (null for a flush alone). */
  readonly message: Buffer | null;
  /** The spool file the message went to when the server could not take it. */
  readonly spooled: string | null;
  /** Spooled messages the server accepted on this run. */
  readonly flushed: number;
  /** What `--flush` did (null for a report). */
  readonly flush?: FlushSummary | null;
}

/** The spool after `--flush`: what was sent, what is left and why. */
export interface FlushSummary {
  readonly dir: string;
  /** `HOST:PORT` of the SMTP server. */
  readonly server: string;
  readonly sent: number;
  /** Messages still spooled (refused for good, or waiting behind a failure). */
  readonly left: number;
  /** When the oldest message left was spooled. */
  readonly oldestLeft: Date | null;
  /** Why the server could not take messages now (unreachable, timing out), or null. */
  readonly stopped: string | null;
  /** Messages the server refused for good (they stay). */
  readonly rejected: number;
  /** Another run holds the spool's lock: nothing was tried. */
  readonly busy: boolean;
}

/**
 * Sends reports. `open` proves everything a report needs before any entry runs: the settings,
 * the keys (or the pgp command), the spool directory. `report` then validates every entry,
 * runs them, encrypts each body, builds one message, sends the spool's older messages first
 * and then this one, spooling it when the server cannot take it, and calls `finish()` on the
 * entries once it was accepted or spooled. No body leaves or is stored unencrypted unless its
 * entry declared itself so.
 */
export class Reporter {
  private constructor(
    private readonly options: ReporterOptions,
    readonly mail: MailSettings,
    private readonly encryptor: Encryptor | null,
    private readonly spool: Spool | null,
  ) {}

  /** Opens a reporter; `encrypting` false skips the keys (a flush sends finished messages only). Throws ReportError. */
  static async open(options: ReporterOptions, encrypting = true): Promise<Reporter> {
    const mail = readMailSettings(options.settings, options.baseDir);
    if (!options.dryRun && mail.smtp === null) throw new ReportError('no `set smtp`: which server should the report go through? (--dry-run writes it instead)');
    let spool: Spool | null = null;
    if (!options.dryRun) {
      const written = Object.hasOwn(options.settings, 'spool') ? options.settings.spool : undefined;
      const setting = written === undefined || isAbsolute(written) ? written : join(options.baseDir, written);
      spool = new Spool(spoolDirectory({ flag: options.spoolDir, setting, stateDir: options.stateDir }));
      spool.open();
    }
    const encryptor = encrypting ? await openEncryptor(Object.hasOwn(options.settings, 'pgp') ? options.settings.pgp : undefined, options.baseDir) : null;
    for (const warning of encryptor?.warnings ?? []) options.log(`warning: ${warning}`);
    const reporter = new Reporter(options, mail, encryptor, spool);
    reporter.debug(`to ${mail.to.join(', ')}, encrypted to ${encryptor?.recipients ?? '(flush only)'}, spool ${spool?.dir ?? '(none)'}`);
    return reporter;
  }

  /**
   * Runs `entries` into one mail and delivers it; see the class comment. Throws ReportError
   * before anything runs when an entry does not validate. With `spoolOnly` the message goes
   * straight to the spool (a listener stopping: it cannot wait for a slow server, and must not
   * lose what it holds); `flush()` or the next report sends it.
   */
  async report(entries: readonly ReportEntry[], options: { readonly spoolOnly?: boolean } = {}): Promise<ReportResult> {
    const encryptor = this.encryptor;
    if (encryptor === null) throw new Error('this reporter was opened without keys');
    const problems: string[] = [];
    for (const entry of entries) {
      try {
        await entry.validate();
      } catch (error) {
        problems.push(`${entry.mime_file}: ${(error as Error).message}`);
      }
    }
    if (problems.length > 0) throw new ReportError(problems.join('\n'));

    const attachments: Attachment[] = [];
    const succeeded: ReportEntry[] = [];
    for (const entry of entries) {
      const body = new BodyBuffer();
      let failed = false;
      try {
        await entry.run(body);
        succeeded.push(entry);
      } catch (error) {
        failed = true;
        body.print(`\n[rulec: ${entry.mime_file} failed: ${(error as Error).message}]\n`);
        this.options.log(`${entry.mime_file} failed (its attachment says why)`);
      }
      const encrypted = entry.encrypted();
      const plain = body.bytes();
      // Encryption failing throws: the whole report stops, nothing is sent or stored.
      const bytes = encrypted ? await this.encrypt(encryptor, plain, entry.mime_file) : plain;
      attachments.push({ name: entry.mime_file, description: entry.description, body: bytes, encrypted, failed });
      this.debug(`${entry.mime_file}: ${plain.length} bytes${encrypted ? `, ${bytes.length} encrypted` : ', NOT encrypted'}`);
    }
    const date = this.now();
    const message = await composeReport(
      { from: this.mail.from, to: this.mail.to, subject: fillSubject(this.mail.subject, this.mail.host, date), host: this.mail.host, date, recipients: encryptor.recipients },
      attachments,
    );
    const failedEntries = attachments.some((a) => a.failed);
    if (this.options.dryRun) return { ok: !failedEntries, message, spooled: null, flushed: 0 };

    const delivered = options.spoolOnly === true ? this.spoolMessage(message) : await this.deliver(message);
    for (const entry of succeeded) {
      try {
        await entry.finish();
      } catch (error) {
        this.options.log(`${entry.mime_file}: finish failed: ${(error as Error).message}`);
        delivered.ok = false;
      }
    }
    return { ...delivered, ok: delivered.ok && !failedEntries, message };
  }

  /** Sends the spooled messages, oldest first (`--flush`), and says what is left. */
  async flush(): Promise<ReportResult> {
    const spool = this.spool!;
    const summary = (sent: number, rejected: number, stopped: string | null, busy: boolean): ReportResult => {
      const left = spool.list();
      const oldest = left.length === 0 ? null : spool.addedAt(left[0]!);
      const flush: FlushSummary = { dir: spool.dir, server: `${this.mail.smtp!.host}:${this.mail.smtp!.port}`, sent, left: left.length, oldestLeft: oldest, stopped, rejected, busy };
      return { ok: stopped === null && rejected === 0, message: null, spooled: null, flushed: sent, flush };
    };
    if (spool.list().length === 0) return summary(0, 0, null, false);
    const client = await this.client();
    try {
      const locked = spool.lock();
      if (locked === null) return summary(0, 0, null, true);
      try {
        const flushed = await this.sendSpooled(client, false);
        return summary(flushed.sent, flushed.rejected, flushed.stopped, false);
      } finally {
        locked();
      }
    } finally {
      client.close();
    }
  }

  private async deliver(message: Buffer): Promise<{ ok: boolean; spooled: string | null; flushed: number }> {
    const spool = this.spool!;
    const client = await this.client();
    try {
      const locked = spool.lock();
      let flushed = { sent: 0, rejected: 0, stopped: null as string | null };
      if (locked !== null) {
        try {
          flushed = await this.sendSpooled(client);
        } finally {
          locked();
        }
      }
      // After a failure the older messages wait, so this one waits behind them.
      const outcome: SendOutcome = flushed.stopped === null ? await client.send({ from: this.mail.from, to: this.mail.to }, message) : { kind: 'failed', error: flushed.stopped };
      if (outcome.kind === 'sent') {
        this.refused(outcome.refused);
        this.debug(`sent: ${outcome.response}`);
        return { ok: flushed.stopped === null && flushed.rejected === 0, spooled: null, flushed: flushed.sent };
      }
      let name: string;
      try {
        name = spool.add(message);
      } catch (error) {
        throw new ReportError(`the SMTP server did not take the report (${outcome.error}) and it cannot be spooled: ${(error as Error).message}`);
      }
      this.options.log(`the SMTP server did not take the report (${outcome.error}); spooled as ${spool.dir}/${name}, sent by the next run or rulec report --flush`);
      return { ok: false, spooled: name, flushed: flushed.sent };
    } finally {
      client.close();
    }
  }

  private spoolMessage(message: Buffer): { ok: boolean; spooled: string | null; flushed: number } {
    const spool = this.spool!;
    let name: string;
    try {
      name = spool.add(message);
    } catch (error) {
      throw new ReportError(`the message cannot be spooled: ${(error as Error).message}`);
    }
    this.debug(`spooled as ${spool.dir}/${name}`);
    return { ok: true, spooled: name, flushed: 0 };
  }

  /**
   * Sends the spool oldest first; stops at the first message the server cannot take now, skips
   * (and keeps) one it refuses for good. `say` logs how many went (a flush prints its own summary).
   */
  private async sendSpooled(client: SmtpClient, say = true): Promise<{ sent: number; rejected: number; stopped: string | null }> {
    const spool = this.spool!;
    let sent = 0;
    let rejected = 0;
    for (const name of spool.list()) {
      let raw: Buffer;
      try {
        raw = spool.read(name);
      } catch (error) {
        // ENOENT: another run sent and removed it meanwhile.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.log(`cannot read the spooled ${spool.dir}/${name}: ${(error as Error).message}`);
        continue;
      }
      const outcome = await client.send(envelopeOf(raw), raw);
      if (outcome.kind === 'sent') {
        spool.remove(name);
        sent += 1;
        this.refused(outcome.refused);
        this.debug(`sent spooled ${name}: ${outcome.response}`);
      } else if (outcome.kind === 'rejected') {
        rejected += 1;
        this.options.log(`the SMTP server refused the spooled ${spool.dir}/${name} (${outcome.error}); it stays there`);
      } else {
        return { sent, rejected, stopped: outcome.error };
      }
    }
    if (say && sent > 0) this.options.log(`sent ${sent} spooled report${sent === 1 ? '' : 's'}`);
    return { sent, rejected, stopped: null };
  }

  private async encrypt(encryptor: Encryptor, body: Buffer, name: string): Promise<Buffer> {
    try {
      return await encryptor.encrypt(body, name);
    } catch (error) {
      if (error instanceof ReportError) throw error;
      throw new ReportError(`cannot encrypt ${name}: ${(error as Error).message}`);
    }
  }

  private refused(addresses: readonly string[]): void {
    if (addresses.length > 0) this.options.log(`the SMTP server refused ${addresses.join(', ')} (the other recipients got the report)`);
  }

  private client(): Promise<SmtpClient> {
    return smtpClient(this.mail.smtp!, this.mail.host);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** A `set debug` line. */
  debug(line: string): void {
    if (this.mail.debug) this.options.log(`debug: ${line}`);
  }
}
