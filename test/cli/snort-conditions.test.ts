/**
 * Runtime matching of the rule conditions the other snort tests leave out: classification (by
 * name and by number, refused with `!`), rev, priority beyond 1-2, sport, dst and IPv6 networks,
 * through `rulec test --alerts` (in this process, `main`) over datagrams built from the corpus:
 * the real Snort 2.9 datagram with event and packet fields rewritten at SOURCES.md's offsets, and
 * the IPv6 packet record of idstools_ipv6-alert.unified2 wrapped in the same Alertpkt layout
 * (issue 18 §3).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { snortCorpus, snortCorpusPath } from '../runtime/sources/snort/helpers.js';
import { tempDir } from './run-cli.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

// Alertpkt offsets (SOURCES.md; little-endian, as the real datagram was sent).
const PKT = 292;
const EVENT = 65828;
const SIZE = 65864;

/** Sets the event's rev, classification and priority. */
function withEvent(datagram: Buffer, fields: { sid?: number; rev: number; classification: number; priority: number; eventId: number }): Buffer {
  if (fields.sid !== undefined) datagram.writeUInt32LE(fields.sid, EVENT + 4);
  datagram.writeUInt32LE(fields.rev, EVENT + 8);
  datagram.writeUInt32LE(fields.classification, EVENT + 12);
  datagram.writeUInt32LE(fields.priority, EVENT + 16);
  datagram.writeUInt32LE(fields.eventId, EVENT + 20);
  return datagram;
}

/** 1: the real datagram as sent: rev 1, classification 7 (attempted-dos), priority 2, UDP 127.0.0.1:58896 -> 127.0.0.1:5060. */
function realAlert(): Buffer {
  const real = Buffer.from(snortCorpus('test_alert.bin'));
  expect(real.length).toBe(SIZE);
  return real;
}

/** 2: the real one with rev 5, classification 29 (misc-activity), priority 4, sport 40000 and dst 10.1.2.3. */
function rewrittenV4(): Buffer {
  const datagram = withEvent(realAlert(), { rev: 5, classification: 29, priority: 4, eventId: 2 });
  const ip = PKT + 14;
  Buffer.from([10, 1, 2, 3]).copy(datagram, ip + 16);
  datagram.writeUInt16BE(40000, PKT + 34);
  return datagram;
}

/** 3: the IPv6 ICMPv6 packet of the corpus's unified2 file (fe80::dacb:8aff:feed:a146 -> fe80::215:17ff:fe0d:6f7) as an Alertpkt. */
function ipv6Alert(src?: Buffer): Buffer {
  const unified2 = snortCorpus('idstools_ipv6-alert.unified2');
  // Record 2 (the packet) starts at 92: 8-byte record header, 28 bytes of packet header, then 118 packet bytes.
  expect(unified2.readUInt32BE(92)).toBe(2);
  const packet = Buffer.from(unified2.subarray(92 + 8 + 28, 92 + 8 + 28 + 118));
  expect(packet.readUInt16BE(12)).toBe(0x86dd);
  if (src !== undefined) src.copy(packet, 14 + 8);
  const datagram = Buffer.alloc(SIZE);
  datagram.write('PROTOCOL-ICMP IPv6 echo request', 0, 'latin1');
  datagram.writeUInt32LE(1478015404, 256);
  datagram.writeUInt32LE(918528, 260);
  datagram.writeUInt32LE(packet.length, 264);
  datagram.writeUInt32LE(packet.length, 268);
  datagram.writeUInt32LE(0, 272); // dlthdr
  datagram.writeUInt32LE(14, 276); // nethdr
  datagram.writeUInt32LE(54, 280); // transhdr
  datagram.writeUInt32LE(62, 284); // data
  packet.copy(datagram, PKT);
  datagram.writeUInt32LE(1, EVENT);
  withEvent(datagram, { sid: 18474, rev: 3, classification: 20, priority: 3, eventId: src === undefined ? 3 : 4 });
  datagram.writeUInt32LE(1478015404, EVENT + 28);
  datagram.writeUInt32LE(918528, EVENT + 32);
  return datagram;
}

/** 4: the IPv6 one from 2001:db8::5. */
function ipv6Global(): Buffer {
  return ipv6Alert(Buffer.from('20010db8000000000000000000000005', 'hex'));
}

/** Each rule and the alerts (1-4 above) it must match. */
const RULES: readonly [name: string, condition: string, expected: number[]][] = [
  ['CLASS_NAME', 'classification attempted-dos', [1]],
  ['CLASS_NUMBER', 'classification 29', [2]],
  ['CLASS_NAME_OR_NUMBER', 'classification misc-activity, 20', [2, 3, 4]],
  ['CLASS_NOT_NUMBER', 'classification !7', [2, 3, 4]],
  ['CLASS_NOT_NAME', 'classification !misc-activity !tcp-connection', [1]],
  ['REV_RANGE', 'rev 2-5', [2, 3, 4]],
  ['REV_NOT', 'rev !3', [1, 2]],
  ['PRIORITY_LOW', 'priority 3-4', [2, 3, 4]],
  ['PRIORITY_FOUR', 'priority 4', [2]],
  ['SPORT', 'sport 40000', [2]],
  ['SPORT_RANGE', 'sport 50000-60000', [1]],
  // ICMPv6 has no ports: a refusal alone does not refuse it, an accepted list does.
  ['SPORT_NOT', 'sport !40000', [1, 3, 4]],
  ['DST_NET', 'dst 10.0.0.0/8', [2]],
  ['DST_HOST', 'dst 127.0.0.1', [1]],
  ['DST_NOT', 'dst !10.1.2.3', [1, 3, 4]],
  ['V4_NOT_V6', 'src 127.0.0.0/8', [1, 2]],
  ['V6_LINK_LOCAL', 'src fe80::/10', [3]],
  ['V6_NARROW', 'src fe80::dacb:8aff:feed:a100/120', [3]],
  ['V6_MISS', 'src fe80::dacb:8aff:feed:a200/120', []],
  ['V6_DOC_NET', 'src 2001:db8::/32', [4]],
  ['V6_NOT', 'src fe80::/10 2001:db8::/32 !2001:db8::5', [3]],
  ['V6_DST', 'dst fe80::215:17ff:fe0d:600/120', [3, 4]],
  ['V6_DST_HOST', 'dst fe80::215:17ff:fe0d:6f7', [3, 4]],
  ['MIXED', 'classification misc-activity\n        rev 5\n        priority 4\n        sport 40000\n        dst 10.1.2.3', [2]],
];

function ruleFile(dir: string): string {
  const rules = RULES.map(([name, condition]) => `    rule ${name} <<__R\n        ${condition}\n        upbound_action /bin/echo "$classification" "$rev" "$priority" "$sport" "$dst"\n    __R`);
  const file = join(dir, 'ids.rules');
  writeFileSync(file, [
    'snort <<__S',
    `    logdir ${dir}`,
    `    classification_config ${snortCorpusPath('idstools_classification.config.txt')}`,
    ...rules,
    '__S',
    '',
    // The INI form of the same conditions.
    '[INI_CLASS_REV]',
    `snort = ${dir}`,
    'classification = misc-activity, 20',
    'rev = 3-5',
    'upbound_action = /bin/echo "$classification"',
    '',
    '[INI_V6_DST]',
    `snort = ${dir}`,
    'dst = fe80::/16, !fe80::215:17ff:fe0d:6f7',
    'upbound_action = /bin/echo "$dst"',
    '',
  ].join('\n'));
  return file;
}

/** A scratch directory with the rule file and the four alerts (real, rewritten v4, two IPv6). */
function scratchAlerts(): { dir: string; file: string; alerts: string } {
  const { dir, remove } = tempDir('rulec-snort-conditions-');
  cleanups.push(remove);
  const alerts = join(dir, 'alerts.bin');
  writeFileSync(alerts, Buffer.concat([realAlert(), rewrittenV4(), ipv6Alert(), ipv6Global()]));
  return { dir, file: ruleFile(dir), alerts };
}

describe('rulec test --alerts: classification, rev, priority, sport, dst and IPv6 networks', () => {
  it('matches each rule to exactly the alerts its conditions hold for', async () => {
    const { dir, file, alerts } = scratchAlerts();

    let out = '';
    let err = '';
    const code = await main(['test', file, '--alerts', alerts, '--format', 'json'], { out: (t) => void (out += t), err: (t) => void (err += t), cwd: dir });
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.type === 'alerts')).toMatchObject({ read: 4, decoded: 4, bad: 0 });

    const matched = new Map<string, number[]>();
    for (const line of lines.filter((l) => l.type === 'match')) {
      const list = matched.get(line.rule as string) ?? [];
      list.push(line.alert as number);
      matched.set(line.rule as string, list);
    }
    const expected = [...RULES.map(([name, , alerts]) => [name, alerts] as const), ['INI_CLASS_REV', [2, 3, 4]] as const, ['INI_V6_DST', []] as const];
    expect(expected.map(([name]) => [name, matched.get(name) ?? []])).toEqual(expected.map(([name, alerts]) => [name, alerts]));
    // The per-rule summary agrees with the matches.
    const summary = new Map(lines.filter((l) => l.type === 'rule').map((l) => [l.rule as string, l.matched as number]));
    expect(expected.map(([name]) => [name, summary.get(name)])).toEqual(expected.map(([name, alerts]) => [name, alerts.length]));
  });

  it('gives the rewritten fields as captures: classification by name, rev, priority, sport and dst', async () => {
    const { dir, file, alerts } = scratchAlerts();
    let out = '';
    const code = await main(['test', file, '--alerts', alerts], { out: (t) => void (out += t), err: () => undefined, cwd: dir });
    expect(code).toBe(0);
    expect(out).toContain('fire CLASS_NUMBER upbound alert 2 at 2012-05-29T09:23:33.482Z: ["/bin/echo","misc-activity","5","4","40000","10.1.2.3"]\n');
    expect(out).toContain('fire CLASS_NAME upbound alert 1 at 2012-05-29T09:23:33.482Z: ["/bin/echo","attempted-dos","1","2","58896","127.0.0.1"]\n');
    expect(out).toMatch(/fire V6_LINK_LOCAL upbound alert 3 at 2016-11-01T15:50:04\.918Z: \["\/bin\/echo","tcp-connection","3","3","","fe80::215:17ff:fe0d:6f7"\]\n/);
    expect(out).toContain('V6_MISS: 0 alert(s) matched, 0 distinct key(s), 0 fire(s)\n');
  });
});
