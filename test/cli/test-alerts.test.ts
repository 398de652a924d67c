/** `rulec test FILE --alerts ALERTS`, in this process through the CLI's `main`, over the corpus's unified2 files and datagram. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { snortCorpus, snortCorpusPath } from '../runtime/sources/snort/helpers.js';
import { tempDir } from './run-cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function rulec(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

function ruleFile(body: (dir: string) => string): { dir: string; file: string } {
  const { dir, remove } = tempDir('rulec-test-alerts-');
  cleanups.push(remove);
  const file = join(dir, 'ids.rules');
  writeFileSync(file, body(dir));
  return { dir, file };
}

const IDS = (dir: string): string => `[ERRORS]
path = /var/log/app.log
regex = ERROR (\\w+)
upbound_action = /bin/echo "$1"

snort <<__S
    logdir ${dir}
    classification_config ${snortCorpusPath('idstools_classification.config.txt')}
    handler json file=${join(dir, 'alerts.jsonl')}
    rule WEB_SOURCE <<__R
        gid 1
        sid 498
        src 172.16.0.0/12
        key $src
        upbound_freq 3/60
        upbound_action /usr/local/sbin/block "$src" "$classification"
    __R
    rule ICMPV6 <<__R
        proto icmpv6
        upbound_action /usr/bin/logger -t snort "$0"
    __R
    rule SIP <<__R
        msg ^VOIP-SIP
        dport 5060
        upbound_action /usr/bin/logger "$msg"
    __R
__S
`;

describe('rulec test --alerts', () => {
  it('replays a unified2 file to the snort blocks: fires in the alerts\' time, counts per rule, handlers fed', async () => {
    const { dir, file } = ruleFile(IDS);
    const result = await rulec(['test', file, '--alerts', snortCorpusPath('idstools_merged.unified2')]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toBe([
      'fire WEB_SOURCE upbound alert 4 key 172.16.1.10 at 2013-07-15T21:49:19.364Z: ["/usr/local/sbin/block","172.16.1.10","bad-unknown"]',
      `${file} over ${snortCorpusPath('idstools_merged.unified2')} (snort ${dir}, unified2): 6 alert(s) read, 6 decoded, 0 bad`,
      'WEB_SOURCE: 6 alert(s) matched, 1 distinct key(s), 1 fire(s) (upbound 1); 2 match(es) held off after a fire (upbound_holdoff)',
      'ICMPV6: 0 alert(s) matched, 0 distinct key(s), 0 fire(s)',
      'SIP: 0 alert(s) matched, 0 distinct key(s), 0 fire(s)',
      `handler json ${join(dir, 'alerts.jsonl')}: 6 handled`,
      '',
    ].join('\n'));
    const records = readFileSync(join(dir, 'alerts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.event_id, r.src, r.dport])).toEqual([1, 2, 3, 4, 5, 6].map((id, i) => [id, '172.16.1.10', 39376 + 2 * i]));
  });

  it('decodes the IPv6 file and the real datagram, and gives JSON lines with --format json', async () => {
    const { dir, file } = ruleFile(IDS);
    const v6 = await rulec(['test', file, '--alerts', snortCorpusPath('idstools_ipv6-alert.unified2'), '--format', 'json']);
    expect(v6.code).toBe(0);
    const lines = v6.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['match', 'fire', 'alerts', 'rule', 'rule', 'rule', 'handler']);
    expect(lines[1]).toMatchObject({ rule: 'ICMPV6', alert: 1, time: '2016-11-01T15:50:04.918Z', argv: ['/usr/bin/logger', '-t', 'snort', '[1:18474:3]  [Classification: misc-activity] [Priority: 3] {ICMPv6} fe80::dacb:8aff:feed:a146 -> fe80::215:17ff:fe0d:6f7'] });
    expect(lines[2]).toEqual({ type: 'alerts', file, logdir: dir, format: 'unified2', read: 1, decoded: 1, bad: 0 });

    const real = await rulec(['test', file, '--alerts', snortCorpusPath('test_alert.bin')]);
    expect(real.out).toContain('fire SIP upbound alert 1 at 2012-05-29T09:23:33.482Z: ["/usr/bin/logger","VOIP-SIP-UDP From header unquoted tokens in field attempt"]\n');
    expect(real.out).toContain('snort2 datagrams): 1 alert(s) read, 1 decoded, 0 bad\n');
  });

  it('gives unified2 events their messages from --sid-msg maps, so msg conditions match them', async () => {
    const { dir, file } = ruleFile((d) => `snort <<__S\n    logdir ${d}\n    rule ROOT <<__R\n        msg ^ATTACK-RESPONSES\n        upbound_action /bin/echo "$msg"\n    __R\n__S\n`);
    const merged = snortCorpusPath('idstools_merged.unified2');
    const without = await rulec(['test', file, '--alerts', merged]);
    expect(without.out).toContain('ROOT: 0 alert(s) matched');
    const map = join(dir, 'sid-msg.map');
    writeFileSync(map, '498 || ATTACK-RESPONSES id check returned root || url,www.example.org\nbroken line\n');
    const gen = join(dir, 'gen-msg.map');
    writeFileSync(gen, '120 || 3 || http_inspect: NO CONTENT-LENGTH OR TRANSFER-ENCODING IN HTTP RESPONSE\n');
    const withMap = await rulec(['test', file, '--alerts', merged, '--sid-msg', map, '--sid-msg', gen]);
    expect(withMap.err).toBe(`${map}:2: 1 line(s) that are no sid-msg.map or gen-msg.map line skipped\n`);
    expect(withMap.out).toContain('fire ROOT upbound alert 1 at 2013-07-15T21:49:18.307Z: ["/bin/echo","ATTACK-RESPONSES id check returned root"]\n');
    expect(withMap.out).toContain('ROOT: 6 alert(s) matched');
    const alone = await rulec(['test', file, '--sid-msg', map]);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--sid-msg gives unified2 alerts their messages: it goes with --alerts');
  });

  it('counts what does not decode as bad and says why, exit 0; a file with no snort block, or no alerts file, is an error', async () => {
    const { dir, file } = ruleFile(IDS);
    const alerts = join(dir, 'two.bin');
    writeFileSync(alerts, Buffer.concat([snortCorpus('test_alert.bin'), snortCorpus('test_alert.bin').subarray(0, 4000)]));
    const result = await rulec(['test', file, '--alerts', alerts]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('bad alert 2 (snort ');
    expect(result.out).toContain('4000 byte(s) at the end are too few for a 65864-byte snort2 datagram (nor is it a unified2 file)\n');
    expect(result.out).toContain('2 alert(s) read, 1 decoded, 1 bad\n');

    const plain = ruleFile(() => '[A]\npath = /var/log/x\nregex = x\nupbound_action = /bin/true\n');
    const none = await rulec(['test', plain.file, '--alerts', alerts]);
    expect(none).toEqual({ code: 1, out: '', err: `${plain.file}: no snort block or snort rule to replay ${alerts} to\n` });
    const missing = await rulec(['test', file, '--alerts', join(dir, 'nope.u2')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`cannot read ${join(dir, 'nope.u2')}: ENOENT`);
  });
});
