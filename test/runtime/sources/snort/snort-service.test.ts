/** `SnortService`: blocks served over real sockets, and what a reload keeps. */
import { lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendDatagrams } from '../../../../bench/snort-sender.js';
import { loadRuleFile } from '../../../../cli/load-rules.js';
import type { ActionRequest } from '../../../../runtime/actions/action-sink.js';
import { LiveClock } from '../../../../runtime/clock/clock.js';
import type { RuleModule } from '../../../../runtime/contract.js';
import { Logger } from '../../../../runtime/log/logger.js';
import { SnortService } from '../../../../runtime/sources/snort/snort-service.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { scratchDirs, snortCorpus } from './helpers.js';

const scratch = scratchDirs();
const REAL = snortCorpus('test_alert.bin');
let service: SnortService | null = null;
afterEach(async () => {
  await service?.stop();
  service = null;
});

async function module(dir: string, text: string): Promise<RuleModule> {
  const file = join(dir, 'snort.rules');
  writeFileSync(file, text);
  const loaded = await loadRuleFile(file);
  if (loaded.module === null) throw new Error(loaded.report);
  return loaded.module;
}

/** A block on `dir` with a json handler to a file and one rule whose action names it. */
function block(dir: string, rule: string, extra = ''): string {
  return `snort <<__S
    logdir ${dir}
    byte_order little
    handler json file=${join(dir, 'alerts.jsonl')}
    ${extra}
    rule ${rule} <<__R
        dport 5060
        upbound_action /bin/echo ${rule}
    __R
__S
`;
}

function start(dir: string, fired: string[], logged: string[]): SnortService {
  const actions = { submit: (request: ActionRequest) => void fired.push(request.item.name) };
  const log = new Logger({ level: 'info', stdout: { write: (t: string) => logged.push(t) } });
  return new SnortService({ log, clock: new LiveClock(), actions, output: 'no output in a test', terminal: 'no terminal in a test', baseDir: dir });
}

describe('SnortService', () => {
  it('keeps its sockets bound across a reload that does not change them, and swaps rules; the same handler goes on', async () => {
    const dir = scratch();
    const fired: string[] = [];
    const logged: string[] = [];
    service = start(dir, fired, logged);
    await service.start([await module(dir, block(dir, 'BEFORE'))]);
    const socket = join(dir, 'snort_alert');
    const inode = lstatSync(socket).ino;
    sendDatagrams(socket, [REAL]);
    expect(await waitFor(() => fired.length === 1)).toBe(true);

    await service.replace([await module(dir, block(dir, 'AFTER'))]);
    // The very socket: nothing Snort sends during a reload is refused.
    expect(lstatSync(socket).ino).toBe(inode);
    expect(logged.join('')).toContain(`${dir}: sockets kept bound; 1 rule(s), handlers: json`);
    sendDatagrams(socket, [REAL]);
    expect(await waitFor(() => fired.length === 2)).toBe(true);
    expect(fired).toEqual(['BEFORE', 'AFTER']);
    const [stats] = service.stats();
    // Counters run on across the reload; the json handler named alike was handed over, not made again.
    expect(stats).toMatchObject({ received: 2, decoded: 2, bad: 0 });
    expect(stats!.handlers).toEqual([{ name: `json ${join(dir, 'alerts.jsonl')}`, handled: 2, failed: 0, dropped: 0 }]);
    expect(stats!.rules.map((r) => [r.name, r.matched])).toEqual([['BEFORE', 1], ['AFTER', 1]]);
  });

  it('gives the handlers it took over back when a later block of the reload cannot be made', async () => {
    const [one, two] = [scratch(), scratch()];
    const fired: string[] = [];
    service = start(one, fired, []);
    await service.start([await module(one, block(one, 'ONE') + block(two, 'TWO'))]);
    const broken = block(two, 'TWO').replace(`file=${join(two, 'alerts.jsonl')}`, `file=${join(two, 'gone', 'x.jsonl')}`);
    await expect(service.replace([await module(one, block(one, 'ONE') + broken)])).rejects.toThrow(`${two}: ENOENT`);
    sendDatagrams(join(one, 'snort_alert'), [REAL]);
    expect(await waitFor(() => fired.length === 1)).toBe(true);
    // The json handler of the first block was taken by the failed reload and given back, still open.
    expect(service.stats()[0]!.handlers).toEqual([{ name: `json ${join(one, 'alerts.jsonl')}`, handled: 1, failed: 0, dropped: 0 }]);
  });

  it('binds again when the sockets change, and keeps the running blocks when the new ones cannot be set up', async () => {
    const dir = scratch();
    const fired: string[] = [];
    service = start(dir, fired, []);
    await service.start([await module(dir, block(dir, 'ONE'))]);
    const threaded = await module(dir, block(dir, 'THREADS', 'threads 2'));
    await service.replace([threaded]);
    expect(() => lstatSync(join(dir, 'snort_alert'))).toThrow();
    sendDatagrams(join(dir, '1_snort_alert'), [REAL]);
    expect(await waitFor(() => fired.length === 1)).toBe(true);
    expect(fired).toEqual(['THREADS']);

    // A handler that cannot be made: the reload fails and what ran goes on, on the same sockets.
    const broken = await module(dir, block(dir, 'BROKEN').replace(`file=${join(dir, 'alerts.jsonl')}`, `file=${join(dir, 'no-such-dir', 'x.jsonl')}`));
    await expect(service.replace([broken])).rejects.toThrow(`${dir}: ENOENT`);
    sendDatagrams(join(dir, '0_snort_alert'), [REAL]);
    expect(await waitFor(() => fired.length === 2)).toBe(true);
    expect(fired).toEqual(['THREADS', 'THREADS']);
    await service.stop();
    expect(() => lstatSync(join(dir, '0_snort_alert'))).toThrow();
    // What the stop reported stays for the daemon's summary.
    expect(service.stats()[0]).toMatchObject({ received: 2, decoded: 2 });
  });
});
