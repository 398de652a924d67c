import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendDatagrams } from '../../bench/snort-sender.js';
import { waitFor } from '../helpers/wait-for.js';
import { snortCorpus, snortCorpusPath } from '../runtime/sources/snort/helpers.js';
import { BIN, tempDir } from './run-cli.js';
import { snortInProcess } from './snort-here.js';

const REAL = snortCorpus('test_alert.bin');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** `rulec snort` as a real process, with what it printed so far. */
function startSnort(args: string[]) {
  const { dir, remove } = tempDir('rulec-snort-cli-');
  const child: ChildProcess = spawn(process.execPath, [BIN, 'snort', '--logdir', dir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '', code: null as number | null, exited: false };
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out.stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out.stderr += c));
  child.on('exit', (code) => {
    out.code = code;
    out.exited = true;
  });
  cleanups.push(() => {
    child.kill('SIGKILL');
    remove();
  });
  return { child, out, socket: join(dir, 'snort_alert'), dir };
}

/**
 * `rulec snort` in this process through the CLI's `main`; `stop()` is SIGTERM as its handler
 * sees it (the event, not a signal: nothing else in this process is stopped).
 */
function snortHere(args: string[]) {
  const { dir, remove } = tempDir('rulec-snort-here-');
  cleanups.push(remove);
  return { ...snortInProcess(['--logdir', dir, ...args], cleanups), socket: join(dir, 'snort_alert'), dir };
}

describe('rulec snort', () => {
  it('prints each alert as a JSON line by default, every field under Pigear\'s names', async () => {
    const snort = startSnort(['--classification-config', snortCorpusPath('idstools_classification.config.txt')]);
    expect(await waitFor(() => snort.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(snort.socket, [REAL]);
    expect(await waitFor(() => snort.out.stdout.includes('\n'), 20_000)).toBe(true);
    const record = JSON.parse(snort.out.stdout.split('\n')[0]!) as Record<string, unknown>;
    expect(Object.keys(record).slice(0, 20)).toEqual([
      'msg', 'ts_sec', 'ts_usec', 'caplen', 'pktlen', 'dlthdr', 'nethdr', 'transhdr', 'data', 'val',
      'sig_generator', 'sig_id', 'sig_rev', 'classification', 'priority', 'event_id', 'event_reference', 'tv_sec', 'tv_usec', 'pkt',
    ]);
    expect(record).toMatchObject({
      msg: 'VOIP-SIP-UDP From header unquoted tokens in field attempt', ts_sec: 1338283413, ts_usec: 482540, caplen: 347,
      sig_id: 20326, classification: 7, classification_name: 'attempted-dos', priority: 2,
      src: '127.0.0.1', sport: 58896, dst: '127.0.0.1', dport: 5060, proto: 'UDP',
    });
    expect(Buffer.from(record.pkt as string, 'base64')).toEqual(REAL.subarray(292, 292 + 347));
    snort.child.kill('SIGTERM');
    expect(await waitFor(() => snort.out.exited, 20_000)).toBe(true);
    expect(snort.out.code).toBe(0);
    expect(snort.out.stderr).toContain(`${snort.dir}: 1 datagram(s) received, 1 alert(s), 0 bad`);
  });

  it('stops at a datagram that is no alert, with a clear message; --serve-forever logs it and goes on', async () => {
    const strict = snortHere([]);
    expect(await waitFor(() => strict.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(strict.socket, [REAL.subarray(0, 100)]);
    expect(await strict.done).toBe(1);
    expect(strict.out.stderr).toContain(`${strict.socket}: a datagram that is no alert: datagram of 100 bytes, variant snort2 sends 65864\n`);
    expect(strict.out.stderr).toContain('stopping at a datagram that is no alert (with --serve-forever');

    const forever = snortHere(['--serve-forever']);
    expect(await waitFor(() => forever.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(forever.socket, [REAL.subarray(0, 100), REAL]);
    expect(await waitFor(() => forever.out.stdout.includes('\n'), 20_000)).toBe(true);
    expect(forever.out.code).toBeNull();
    expect(forever.out.stderr).toContain('datagram of 100 bytes, variant snort2 sends 65864\n');
    expect(forever.out.stderr).toContain('listening goes on (--serve-forever)');
    expect(await forever.stop()).toBe(0);
    expect(forever.out.stderr).toContain(`${forever.dir}: 2 datagram(s) received, 1 alert(s), 1 bad`);
  });

  it('POSTs each alert as JSON to an HTTP server, retrying a 503', async () => {
    const bodies: Record<string, unknown>[] = [];
    let refusals = 1;
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => {
        if (refusals-- > 0) {
          res.writeHead(503).end();
          return;
        }
        expect(req.headers['content-type']).toBe('application/json');
        bodies.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
    const snort = snortHere(['--handler', 'pigear.contrib.HttpSendHandler', `url=${url}`, 'backoff=50']);
    expect(await waitFor(() => snort.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(snort.socket, [REAL]);
    expect(await waitFor(() => bodies.length === 1, 20_000)).toBe(true);
    expect(bodies[0]).toMatchObject({ sig_id: 20326, src: '127.0.0.1', dport: 5060 });
    expect(await snort.stop()).toBe(0);
    expect(snort.out.stdout).toBe('');
  });

  it('never prints the credentials or the query of an http URL: in retries, failures, refusals and the stop summary', async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits += 1;
      req.resume().on('end', () => res.writeHead(500).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const snort = snortHere(['--handler', 'http', `url=https://bob:PASS-MARK@127.0.0.1:${port}/?key=TOKEN-MARK`, 'retries=2', 'backoff=10ms']);
    expect(await waitFor(() => snort.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(snort.socket, [REAL]);
    // https to a plain HTTP server: each try fails below HTTP, in fetch, whose error text is printed.
    expect(await waitFor(() => snort.out.stderr.includes('failed after 3 tries'), 20_000)).toBe(true);
    expect(await snort.stop()).toBe(0);
    const refused = snortHere(['--handler', 'http', 'url=http://bob:PASS-MARK@127.0.0.1:99999/?key=TOKEN-MARK']);
    expect(await refused.done).not.toBe(0);
    expect(refused.out.stderr).toContain('url=http://***@127.0.0.1:99999/?*** must be an http:// or https:// URL');
    const printed = `${snort.out.stdout}${snort.out.stderr}${refused.out.stdout}${refused.out.stderr}`;
    expect(printed).toContain(`POST to https://***@127.0.0.1:${port}/?*** failed after 3 tries`);
    expect(printed).toContain(`handler http https://***@127.0.0.1:${port}/?***: 0 handled, 1 failed, 0 dropped`);
    for (const mark of ['bob', 'PASS-MARK', 'TOKEN-MARK']) expect(printed).not.toContain(mark);
    expect(hits).toBe(0);
  });

  it('refuses a handler option it does not know, a value of the wrong form, a stray key=value, and a mail handler without a rule file', async () => {
    const bad = snortHere(['--handler', 'http', 'ur=http://x']);
    expect(await bad.done).toBe(1);
    expect(bad.out.stderr).toContain('handler http takes url=, timeout=, retries=, backoff=, queue=, concurrency=, not ur=');
    const value = snortHere(['--handler', 'http', 'url=http://127.0.0.1:9/', 'retries=lots']);
    expect(await value.done).toBe(1);
    expect(value.out.stderr).toContain('handler http: retries=lots must be a whole number from 0 to 100');
    const mail = snortHere(['--handler', 'mail']);
    expect(await mail.done).toBe(1);
    expect(mail.out.stderr).toContain('handler mail takes its settings (set to, set pgp, set smtp) from a rule file');
    const stray = snortHere(['url=x']);
    expect(await stray.done).toBe(2);
    expect(stray.out.stderr).toContain('url=x: key=value options follow the --handler they are for');
  });
});
