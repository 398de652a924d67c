/** `replayAlerts`: a unified2 file or a file of datagrams replayed to a rule file's snort blocks. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleFile } from '../../../../cli/load-rules.js';
import type { RuleModule } from '../../../../runtime/contract.js';
import type { HandlerDeps } from '../../../../runtime/handlers/create-handler.js';
import { Logger } from '../../../../runtime/log/logger.js';
import { decodeAlertpkt, encodeAlertpkt } from '../../../../runtime/sources/snort/alertpkt.js';
import { replayAlerts, type AlertReplayEvent } from '../../../../runtime/sources/snort/replay-alerts.js';
import { scratchDirs, snortCorpus, snortCorpusPath } from './helpers.js';

const scratch = scratchDirs();
const REAL = snortCorpus('test_alert.bin');

async function rules(dir: string, text: string): Promise<RuleModule> {
  const file = join(dir, 'replay.rules');
  writeFileSync(file, text);
  const loaded = await loadRuleFile(file);
  if (loaded.module === null) throw new Error(loaded.report);
  return loaded.module;
}

function deps(out: string[]): HandlerDeps {
  return { log: new Logger({ level: 'error' }), output: { write: (t: string) => out.push(t) }, terminal: 'no terminal in a test', mail: null };
}

/** The real datagram again with its time moved to `second` (and its event's reference time). */
function datagramAt(second: number): Buffer {
  const decoded = decodeAlertpkt(REAL, 'snort2', 'little');
  if (!decoded.ok) throw new Error(decoded.error);
  return encodeAlertpkt({ ...decoded.alert, ts_sec: second, tv_sec: second }, 'snort2', 'little');
}

describe('replayAlerts', () => {
  it('replays a unified2 file: handlers get every event, rules count in the events\' own time', async () => {
    const dir = scratch();
    const module = await rules(dir, `snort <<__S
    logdir ${dir}
    classification_config ${snortCorpusPath('idstools_classification.config.txt')}
    handler json
    rule WEB <<__R
        sid 498
        key $src
        upbound_freq 3/60
        upbound_action /bin/echo "$src" "$classification"
    __R
    rule NONE <<__R
        proto udp
        upbound_action /bin/echo never
    __R
__S
`);
    const events: AlertReplayEvent[] = [];
    const out: string[] = [];
    const [block] = await replayAlerts(module, 'merged.unified2', snortCorpus('idstools_merged.unified2'), { handlers: deps(out), onEvent: (e) => events.push(e) });
    expect(block).toMatchObject({ logdir: dir, format: 'unified2', read: 6, decoded: 6, bad: 0 });
    expect(block!.rules.map((r) => [r.name, r.matched, r.keys, r.upboundFires])).toEqual([['WEB', 6, 1, 1], ['NONE', 0, 0, 0]]);
    expect(block!.handlers).toEqual([{ name: 'json', handled: 6, failed: 0, dropped: 0 }]);
    expect(out.map((line) => (JSON.parse(line) as { event_id: number }).event_id)).toEqual([1, 2, 3, 4, 5, 6]);
    // The 4th alert within 60 s of the first fires; the time shown is the alert's, from 2013.
    const fires = events.filter((e) => e.type === 'fire');
    expect(fires).toEqual([expect.objectContaining({ rule: 'WEB', alert: 4, key: '172.16.1.10', time: Date.UTC(2013, 6, 15, 21, 49, 19, 364), argv: ['/bin/echo', '172.16.1.10', 'bad-unknown'] })]);
    // Each match is reported before what it fires.
    expect(events.findIndex((e) => e.type === 'match' && e.alert === 4)).toBeLessThan(events.indexOf(fires[0]!));
  });

  it('counts windows in the alerts\' time, not in how fast they are read', async () => {
    const dir = scratch();
    const module = await rules(dir, `[SIP]\nsnort = ${dir}\ndport = 5060\nupbound_freq = 1/60\nupbound_holdoff = 0\nupbound_action = /bin/echo "$src"\n`);
    // Three alerts 100 s apart, then two a second apart: only the last pair is 2 within 60 s.
    const file = Buffer.concat([1_000_000, 1_000_100, 1_000_200, 1_000_300, 1_000_301].map(datagramAt));
    const events: AlertReplayEvent[] = [];
    const [block] = await replayAlerts(module, 'spread.bin', file, { handlers: deps([]), onEvent: (e) => events.push(e) });
    expect(block).toMatchObject({ format: 'snort2 datagrams', read: 5, decoded: 5, bad: 0 });
    expect(events.filter((e) => e.type === 'fire').map((e) => [e.alert, e.type === 'fire' ? e.time : null])).toEqual([[5, 1_000_301_482]]);
  });

  it('counts a datagram that does not decode and a file cut short as bad, and goes on', async () => {
    const dir = scratch();
    const module = await rules(dir, `[ANY]\nsnort = ${dir}\nupbound_action = /bin/echo "$sid"\n`);
    const broken = Buffer.from(REAL);
    broken.writeUInt32LE(70_000, 264); // caplen beyond pkt
    const file = Buffer.concat([REAL, broken, REAL, REAL.subarray(0, 100)]);
    const events: AlertReplayEvent[] = [];
    const [block] = await replayAlerts(module, 'mixed.bin', file, { handlers: deps([]), onEvent: (e) => events.push(e) });
    expect(block).toMatchObject({ read: 4, decoded: 2, bad: 2 });
    expect(block!.rules[0]).toMatchObject({ name: 'ANY', matched: 2 });
    expect(events.filter((e) => e.type === 'bad').map((e) => [e.alert, e.type === 'bad' ? e.error : ''])).toEqual([
      [2, expect.stringContaining('caplen 70000')],
      [4, '100 byte(s) at the end are too few for a 65864-byte snort2 datagram (nor is it a unified2 file)'],
    ]);
  });

  it('refuses handlers it cannot give what they need, before any alert', async () => {
    const dir = scratch();
    const module = await rules(dir, `snort <<__S\n    logdir ${dir}\n    handler repl\n__S\n`);
    await expect(replayAlerts(module, 'a.bin', REAL, { handlers: deps([]), onEvent: () => {} })).rejects.toThrow(
      `${dir}: handler repl needs a terminal, and no terminal in a test (rulec snort FILE --repl runs one)`,
    );
  });
});
