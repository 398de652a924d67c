import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPostHandler } from '../../../runtime/handlers/http-post.js';
import { Logger } from '../../../runtime/log/logger.js';
import { decodeSnortAlert, type SnortAlert } from '../../../runtime/sources/snort/snort-alert.js';
import { waitFor } from '../../helpers/wait-for.js';
import { snortCorpus } from '../sources/snort/helpers.js';

const decoded = decodeSnortAlert(snortCorpus('test_alert.bin'), 'test', { variant: 'snort2', byteOrder: 'little', classifications: new Map() });
const ALERT = decoded as SnortAlert;
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(status: (n: number) => number): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume().on('end', () => res.writeHead(status(++hits)).end());
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits: () => hits };
}

const quiet = new Logger({ level: 'error', stdout: { write: () => undefined } });

describe('the HTTP handler', () => {
  it('retries a 5xx with back-off and counts the alert failed after its retries', async () => {
    const server = await serve(() => 500);
    const handler = new HttpPostHandler({ url: server.url, retries: 2, backoffMs: 10 }, quiet);
    handler.handle(ALERT);
    expect(await waitFor(() => handler.stats().failed === 1, 20_000)).toBe(true);
    expect(server.hits()).toBe(3);
    expect(handler.stats()).toMatchObject({ handled: 0, failed: 1, dropped: 0 });
  });

  it('does not retry a 4xx, and counts an unreachable receiver as failed', async () => {
    const server = await serve(() => 400);
    const handler = new HttpPostHandler({ url: server.url, retries: 3, backoffMs: 10 }, quiet);
    handler.handle(ALERT);
    expect(await waitFor(() => handler.stats().failed === 1, 20_000)).toBe(true);
    expect(server.hits()).toBe(1);
    const closed = await serve(() => 200);
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 50));
    const down = new HttpPostHandler({ url: closed.url, retries: 1, backoffMs: 10 }, quiet);
    down.handle(ALERT);
    expect(await waitFor(() => down.stats().failed === 1, 20_000)).toBe(true);
  });

  it('keeps a bounded queue: the oldest are dropped and counted, the rest delivered', async () => {
    const server = await serve(() => 200);
    const handler = new HttpPostHandler({ url: server.url, queueCap: 5, concurrency: 1 }, quiet);
    for (let i = 0; i < 20; i++) handler.handle(ALERT);
    await handler.close(5000);
    // One went out at once; of the 19 queued behind it, 14 were dropped.
    expect(handler.stats()).toMatchObject({ handled: 6, dropped: 14, failed: 0 });
    expect(server.hits()).toBe(6);
  });

  it('refuses a URL it cannot post to', () => {
    expect(() => new HttpPostHandler({ url: 'file:///etc/passwd' }, quiet)).toThrow('only http and https');
  });
});
