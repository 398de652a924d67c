/** Starts test/helpers/smtp-strict.mjs (a real SMTP server process on loopback that can require AUTH, speak smtps and refuse a sender) and follows what it says. */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Received } from './smtp-sink.js';
import { waitFor } from './wait-for.js';

export interface StrictOptions {
  /** Where each message is written (N.eml). */
  readonly dir: string;
  /** Implicit TLS (smtps) with this key and certificate (PEM files). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Refuse mail without AUTH as reporter / "right pass". */
  readonly requireAuth?: boolean;
}

export class StrictSmtp {
  port = 0;
  readonly received: Received[] = [];
  /** Senders refused (550 to MAIL FROM), in order. */
  readonly refused: string[] = [];
  private readonly acks: string[] = [];

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { port?: number; refused?: string; ok?: string } & Partial<Received>;
      if (event.port !== undefined) this.port = event.port;
      if (event.refused !== undefined) this.refused.push(event.refused);
      if (event.ok !== undefined) this.acks.push(event.ok);
      if (event.received !== undefined) this.received.push(event as Received);
    });
  }

  static async start(options: StrictOptions): Promise<StrictSmtp> {
    const script = fileURLToPath(new URL('./smtp-strict.mjs', import.meta.url));
    const config = { dir: options.dir, requireAuth: options.requireAuth === true, ...(options.tls === undefined ? {} : { secure: true, key: options.tls.key, cert: options.tls.cert }) };
    const server = new StrictSmtp(spawn(process.execPath, [script, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] }));
    if (!(await waitFor(() => server.port !== 0, 20_000))) throw new Error('the SMTP server did not start');
    return server;
  }

  /** Answers 550 to MAIL FROM:<address> from now on. */
  refuse(address: string): Promise<void> {
    return this.command(`refuse ${address}`);
  }

  /** Takes mail from `address` again (undefined: from every sender). */
  accept(address?: string): Promise<void> {
    return this.command(address === undefined ? 'accept' : `accept ${address}`);
  }

  private async command(command: string): Promise<void> {
    const before = this.acks.length;
    this.child.stdin.write(`${command}\n`);
    if (!(await waitFor(() => this.acks.length > before, 20_000))) throw new Error(`the SMTP server did not take ${command}`);
  }

  /** The messages received once there are `count`, and a moment more so that a duplicate would show. */
  async settled(count: number): Promise<readonly Received[]> {
    await waitFor(() => this.received.length >= count, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return this.received;
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
