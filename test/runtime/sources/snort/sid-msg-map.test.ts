import { describe, expect, it } from 'vitest';
import { parseSidMessages, sidKey } from '../../../../runtime/sources/snort/sid-msg-map.js';

describe('Snort message maps', () => {
  it('reads sid-msg.map in both forms and gen-msg.map into one map by gid:sid, skipping lines that are none', () => {
    const { messages, skipped } = parseSidMessages([
      '# sid-msg.map',
      '498 || ATTACK-RESPONSES id check returned root || url,www.example.org',
      '2000 || POLICY || x || y',
      '',
      'not a line',
    ].join('\n'));
    parseSidMessages('120 || 3 || http_inspect: NO CONTENT-LENGTH OR TRANSFER-ENCODING IN HTTP RESPONSE\n', messages);
    const v2 = parseSidMessages('#v2\n1 || 18474 || 3 || misc-activity || 3 || PROTOCOL-ICMP IPv6 neighbor advertisement || url,x\n1 || 5 || 1 || none\n', messages);
    expect(skipped).toEqual([5]);
    expect(v2.skipped).toEqual([3]);
    expect([...messages]).toEqual([
      [sidKey(1, 498), 'ATTACK-RESPONSES id check returned root'],
      [sidKey(1, 2000), 'POLICY'],
      [sidKey(120, 3), 'http_inspect: NO CONTENT-LENGTH OR TRANSFER-ENCODING IN HTTP RESPONSE'],
      [sidKey(1, 18474), 'PROTOCOL-ICMP IPv6 neighbor advertisement'],
    ]);
  });
});
