/**
 * `rulec run` serving file items and snort blocks in one process: the real CLI, a real file
 * appended to, real datagrams over the real socket, a reload by SIGUSR1 and the stop summary.
 * The refusals that end before a daemon serves run in this process through `main`.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendDatagrams } from '../../bench/snort-sender.js';
import { main } from '../../cli/main.js';
import { snortCorpus } from '../runtime/sources/snort/helpers.js';
import { MARKER, itemText, records, startRun, waitFor, type Daemon } from './run-helpers.js';
import { tempDir } from './run-cli.js';

const REAL = snortCorpus('test_alert.bin');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function scratch(): string {
  const { dir, remove } = tempDir('rulec-run-snort-');
  cleanups.push(remove);
  return dir;
}

/** A file item on `log` and a snort block on `dir` whose rule records `word`, the source and the sid. */
function rules(dir: string, log: string, recordsFile: string, word: string, handler = `json file=${join(dir, 'alerts.jsonl')}`): string {
  return `${itemText('ERRORS', log, 'ERROR (\\w+)', MARKER, recordsFile, 'item "$1"')}
snort <<__S
    logdir ${dir}
    handler ${handler}
    rule SIP <<__R
        msg ^VOIP-SIP
        dport 5060
        upbound_action ${process.execPath} ${MARKER} ${recordsFile} ${word} "$src" $sid
    __R
__S
`;
}

describe('rulec run with items and snort blocks', () => {
  it('fires a file item and a snort rule in one process, keeps the socket through a reload, and sums the listener up at the stop', async () => {
    const dir = scratch();
    const log = join(dir, 'app.log');
    const recordsFile = join(dir, 'records');
    const ruleFile = join(dir, 'ids.rules');
    writeFileSync(log, '');
    writeFileSync(ruleFile, rules(dir, log, recordsFile, 'snort'));
    const daemon: Daemon = startRun([ruleFile, '-s'], dir);
    cleanups.push(() => daemon.child.kill('SIGKILL'));
    expect(await waitFor(() => daemon.output().includes('running 1 item(s) and 1 snort block from ids.rules'), 20_000)).toBe(true);
    expect(daemon.output()).not.toContain('not run here');

    appendFileSync(log, 'ERROR disk\n');
    expect(sendDatagrams(join(dir, 'snort_alert'), [REAL])).toMatchObject({ sent: 1 });
    expect(await waitFor(() => records(recordsFile).length === 2)).toBe(true);
    expect(records(recordsFile).sort()).toEqual([['item', 'disk'], ['snort', '127.0.0.1', '20326']]);

    writeFileSync(ruleFile, rules(dir, log, recordsFile, 'reloaded'));
    daemon.child.kill('SIGUSR1');
    expect(await waitFor(() => daemon.output().includes('reloaded: 1 item(s)'))).toBe(true);
    expect(daemon.output()).toContain(`${dir}: sockets kept bound; 1 rule(s), handlers: json`);
    sendDatagrams(join(dir, 'snort_alert'), [REAL]);
    expect(await waitFor(() => records(recordsFile).length === 3)).toBe(true);
    expect(records(recordsFile)[2]).toEqual(['reloaded', '127.0.0.1', '20326']);

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.output()).toContain('stopped: 1 line(s) read, 3 action(s) submitted; snort listener: 2 datagram(s) received, 2 alert(s), 0 bad, 0 dropped while behind, 0 handler failure(s)');
    expect(existsSync(join(dir, 'snort_alert'))).toBe(false);
  });
});

describe('rulec run with an http handler whose URL holds credentials', () => {
  it('posts with them as Basic authorization and never prints them: not in retries, errors, the stop summary or its own log', async () => {
    const dir = scratch();
    const auth: (string | undefined)[] = [];
    // A receiver that fails every request, so that every retry and failure message is printed.
    const server = createServer((req, res) => {
      auth.push(req.headers.authorization);
      req.resume().on('end', () => res.writeHead(503).end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const url = `http://alice-USER-MARK:s3cr%40t-PASS-MARK@127.0.0.1:${port}/alerts?token=TOKEN-MARK`;
    const log = join(dir, 'app.log');
    const ruleFile = join(dir, 'ids.rules');
    const ownLog = join(dir, 'rulec.log');
    writeFileSync(log, '');
    writeFileSync(ruleFile, rules(dir, log, join(dir, 'records'), 'snort', `http url=${url} retries=1 backoff=10ms timeout=5s`));
    const daemon: Daemon = startRun([ruleFile, '-l', ownLog, '-v'], dir);
    cleanups.push(() => daemon.child.kill('SIGKILL'));
    expect(await waitFor(() => daemon.output().includes('running 1 item(s) and 1 snort block') || readLog(ownLog).includes('running 1 item(s) and 1 snort block'), 20_000)).toBe(true);
    expect(sendDatagrams(join(dir, 'snort_alert'), [REAL, REAL])).toMatchObject({ sent: 2 });
    expect(await waitFor(() => auth.length >= 4, 20_000)).toBe(true);
    expect(await waitFor(() => readLog(ownLog).includes('failed after 2 tries'), 20_000)).toBe(true);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(auth[0]).toBe(`Basic ${Buffer.from('alice-USER-MARK:s3cr@t-PASS-MARK').toString('base64')}`);
    const printed = `${daemon.output()}\n${readLog(ownLog)}`;
    expect(printed).toContain(`POST to http://***@127.0.0.1:${port}/alerts?*** failed after 2 tries: HTTP 503`);
    expect(printed).toMatch(/handler http http:\/\/\*\*\*@127\.0\.0\.1:\d+\/alerts\?\*\*\*: 0 handled, 2 failed, 0 dropped/);
    for (const mark of ['USER-MARK', 'PASS-MARK', 's3cr', 'TOKEN-MARK', Buffer.from('alice-USER-MARK:s3cr@t-PASS-MARK').toString('base64')]) expect(printed).not.toContain(mark);
  });
});

function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

describe('rulec run refuses handlers it cannot serve, before it starts', () => {
  async function rulec(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
    return { code, out, err };
  }

  it('a repl under -d: said on the terminal, exit 1, no background copy started', async () => {
    const dir = scratch();
    const ruleFile = join(dir, 'repl.rules');
    const ownLog = join(dir, 'rulec.log');
    writeFileSync(ruleFile, rules(dir, join(dir, 'app.log'), join(dir, 'records'), 'x', 'repl'));
    const result = await rulec(['run', ruleFile, '-d', '-l', ownLog]);
    expect(result).toEqual({ code: 1, out: '', err: `rulec: snort block on ${dir}: handler repl needs a terminal, and rulec run -d has none (rulec snort FILE --repl runs one)\n` });
    expect(existsSync(ownLog)).toBe(false);
  });

  it('JSON lines to standard output where the own log is (-d, -s): give it file=', async () => {
    const dir = scratch();
    const ruleFile = join(dir, 'stdout.rules');
    writeFileSync(ruleFile, rules(dir, join(dir, 'app.log'), join(dir, 'records'), 'x', 'json'));
    const quiet = await rulec(['run', ruleFile, '-s']);
    expect(quiet).toEqual({ code: 1, out: '', err: `rulec: snort block on ${dir}: handler json without file= writes to standard output, and with -s standard output carries rulec's own log: give it file=\n` });
    const detached = await rulec(['run', ruleFile, '-d', '-l', join(dir, 'rulec.log')]);
    expect(detached.err).toContain('handler json without file= writes to standard output, and under rulec run -d standard output is the log file: give it file=');
  });
});
