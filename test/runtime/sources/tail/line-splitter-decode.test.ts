import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../../runtime/sources/tail/line-splitter.js';

describe('LineSplitter decoding per chunk', () => {
  it('gives the same lines as decoding the whole text, for ASCII and non-ASCII chunks and every chunk size', () => {
    const ascii = readFileSync(new URL('../../../../../shared/corpus/loghub/OpenSSH_2k.log', import.meta.url), 'utf8').split('\n').slice(0, 200);
    const lines = [...ascii, 'ünï 😀 line', 'tab\there\r', '', 'x\u2028y', ...ascii.slice(0, 50)];
    const bytes = Buffer.concat([Buffer.from(lines.join('\n'), 'utf8'), Buffer.from([0x0a, 0x61, 0xff, 0x0a])]);
    const expected = [...lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), 'a\ufffd'];
    for (const size of [1, 2, 3, 7, 64, 4096, bytes.length]) {
      const sp = new LineSplitter(65536, 0);
      const out: string[] = [];
      for (let at = 0; at < bytes.length; at += size) out.push(...sp.push(bytes.subarray(at, at + size)).lines);
      expect(out, `chunks of ${size}`).toEqual(expected);
      expect(sp.consumed).toBe(bytes.length);
    }
  });
});
