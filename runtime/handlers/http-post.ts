/**
 * Each alert POSTed as JSON (`alertRecord`, `Content-Type: application/json`). Pigear posted a
 * form field `alert=<json>`; a JSON body with the decoded addresses is what receivers parse
 * today (docs/differences.md). Requests run from a bounded queue; a network error, a 5xx or a
 * 429 is retried with doubling back-off, anything else non-2xx fails at once; failures and
 * drops are counted, and nothing here can stop the listener. Credentials in the URL
 * (`https://user:password@host/`) are sent as HTTP Basic authorization, which fetch does not
 * take from a URL; the URL is only ever printed with them (and its query) redacted.
 */
import { safeJson } from '../log/escape.js';
import type { Logger } from '../log/logger.js';
import { alertRecord, type SnortAlert } from '../sources/snort/snort-alert.js';
import type { AlertHandler, HandlerStats } from './alert-handler.js';
import { redactUrl } from './redact-url.js';

/** Settings of the HTTP handler; all but `url` have defaults. */
export interface HttpPostOptions {
  readonly url: string;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
  /** Tries after the first; default 5. */
  readonly retries?: number;
  /** First back-off, doubled each retry up to 30 s; default 500 ms. */
  readonly backoffMs?: number;
  /** Alerts waiting; beyond it the oldest is dropped. Default 1000. */
  readonly queueCap?: number;
  /** Requests at once; default 2. */
  readonly concurrency?: number;
}

const MAX_BACKOFF_MS = 30_000;

/** POSTs alerts to `url`. */
export class HttpPostHandler implements AlertHandler {
  readonly name = 'http';
  private readonly queue: string[] = [];
  private readonly waiting = new Set<() => void>();
  private readonly aborts = new Set<AbortController>();
  private running = 0;
  private closing = false;
  private counts = { handled: 0, failed: 0, dropped: 0 };

  /** The URL requests go to, without credentials. */
  private readonly target: string;
  /** The URL as printed (redactUrl). */
  private readonly shown: string;
  private readonly headers: Record<string, string> = { 'content-type': 'application/json' };
  /** The credentials as written, scrubbed from any error text before it is printed. */
  private readonly secrets: string[] = [];

  constructor(private readonly options: HttpPostOptions, private readonly log: Logger) {
    this.shown = redactUrl(options.url);
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`url ${this.shown}: only http and https can be posted to`);
    if (url.username !== '' || url.password !== '') {
      let user: string;
      let password: string;
      try {
        user = decodeURIComponent(url.username);
        password = decodeURIComponent(url.password);
      } catch {
        throw new Error(`url ${this.shown}: its user or password is not valid %-encoding`);
      }
      this.headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      this.secrets.push(options.url, url.username, url.password, user, password, this.headers.authorization);
      url.username = '';
      url.password = '';
    }
    this.target = url.href;
    this.secrets.push(url.search.slice(1));
    // Longest first, so a secret that holds another is replaced whole (`scrub`).
    this.secrets.sort((a, b) => b.length - a.length);
  }

  handle(alert: SnortAlert): void {
    if (this.closing) return;
    if (this.queue.length >= (this.options.queueCap ?? 1000)) {
      this.queue.shift();
      this.counts.dropped++;
      if ((this.counts.dropped & (this.counts.dropped - 1)) === 0) this.log.warn(null, `http handler: queue full, dropped the oldest alert (${this.counts.dropped} so far)`);
    }
    this.queue.push(safeJson(alertRecord(alert)));
    this.pump();
  }

  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    if (this.running > 0 || this.queue.length > 0) {
      await new Promise<void>((done) => {
        const timer = setTimeout(done, timeoutMs);
        this.waiting.add(() => {
          clearTimeout(timer);
          done();
        });
      });
    }
    this.counts.failed += this.queue.splice(0).length;
    for (const abort of this.aborts) abort.abort();
  }

  stats(): HandlerStats {
    return { name: `${this.name} ${this.shown}`, ...this.counts };
  }

  private pump(): void {
    while (this.running < (this.options.concurrency ?? 2) && this.queue.length > 0) {
      const body = this.queue.shift()!;
      this.running++;
      void this.deliver(body).then(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) for (const wake of this.waiting) wake();
      });
    }
  }

  private async deliver(body: string): Promise<void> {
    const retries = this.options.retries ?? 5;
    let backoff = this.options.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.post(body);
      if (outcome === 'ok') {
        this.counts.handled++;
        return;
      }
      if (outcome.retry && attempt < retries && !this.closing) {
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        continue;
      }
      this.counts.failed++;
      // Log the 1st, 2nd, 4th... failure: an unreachable receiver must not flood the log.
      if ((this.counts.failed & (this.counts.failed - 1)) === 0) {
        this.log.error(null, `http handler: POST to ${this.shown} failed after ${attempt + 1} tries: ${this.scrub(outcome.error)} (${this.counts.failed} alerts failed so far)`);
      }
      return;
    }
  }

  private async post(body: string): Promise<'ok' | { retry: boolean; error: string }> {
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(), this.options.timeoutMs ?? 10_000);
    try {
      const response = await fetch(this.target, { method: 'POST', headers: this.headers, body, signal: abort.signal });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return 'ok';
      return { retry: response.status >= 500 || response.status === 429, error: `HTTP ${response.status}` };
    } catch (error) {
      return { retry: true, error: abort.signal.aborted ? 'timed out' : String((error as Error).cause ?? error) };
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
  }

  /** `text` with every credential (and the query) replaced by `***`. */
  private scrub(text: string): string {
    let clean = text.split(this.target).join(this.shown);
    for (const secret of this.secrets) if (secret.length >= 3) clean = clean.split(secret).join('***');
    return clean;
  }
}
