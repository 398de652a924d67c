/** Starts test/helpers/smtp-sink.mjs (a real SMTP server process on loopback) and follows what it says. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

/** A message the sink received: its file in `dir`, the envelope and the authenticated user. */
export interface Received {
  readonly received: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly user: string | null;
  /** The message came over TLS. */
  readonly secure: boolean;
}

/** The SMTP server child: `down()` refuses connections, `up()` listens again on the same port. */
export class SmtpSink {
  port = 0;
  readonly received: Received[] = [];
  private downs = 0;
  private ups = 0;

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { port?: number; down?: boolean } & Partial<Received>;
      if (event.port !== undefined) {
        this.port = event.port;
        this.ups += 1;
      }
      if (event.down === true) this.downs += 1;
      if (event.received !== undefined) this.received.push(event as Received);
    });
  }

  /** Starts the server writing messages into `dir` (offering STARTTLS with `tls`); resolves once it listens. */
  static async start(dir: string, tls?: { key: string; cert: string }): Promise<SmtpSink> {
    const script = fileURLToPath(new URL('./smtp-sink.mjs', import.meta.url));
    const args = tls === undefined ? [script, dir] : [script, dir, tls.key, tls.cert];
    const sink = new SmtpSink(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] }));
    if (!(await waitFor(() => sink.ups === 1, 10_000))) throw new Error('the SMTP sink did not start');
    return sink;
  }

  /**
   * The messages received, once there are `count` (the server says so on its stdout, which may
   * come in after the client saw its reply); then a moment more, so that a duplicate would show.
   */
  async settled(count: number): Promise<readonly Received[]> {
    await waitFor(() => this.received.length >= count, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return this.received;
  }

  async down(): Promise<void> {
    const before = this.downs;
    this.child.stdin.write('down\n');
    if (!(await waitFor(() => this.downs > before, 10_000))) throw new Error('the SMTP sink did not go down');
  }

  async up(): Promise<void> {
    const before = this.ups;
    this.child.stdin.write('up\n');
    if (!(await waitFor(() => this.ups > before, 10_000))) throw new Error('the SMTP sink did not come back');
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
