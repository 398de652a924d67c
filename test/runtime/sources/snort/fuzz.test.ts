import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../compiler/seeded-random.js';
import { decodeSnortAlert, fastAlertLine, alertRecord } from '../../../../runtime/sources/snort/snort-alert.js';
import { snortCorpus } from './helpers.js';

const REAL = snortCorpus('test_alert.bin');
const SIZE = 65_864;

/** What the decoder must refuse, worked out independently of it. */
function oracleBad(bytes: Buffer): boolean {
  if (bytes.length !== SIZE) return true;
  const caplen = bytes.readUInt32LE(264);
  if (caplen > 65_535 || caplen > bytes.readUInt32LE(268)) return true;
  if ((bytes.readUInt32LE(288) & 1) !== 0) return false;
  return [272, 276, 280, 284].some((at) => bytes.readUInt32LE(at) > caplen);
}

describe('fuzz: 10,000 mutated and truncated datagrams', () => {
  it('never throws, and counts exactly the bad ones', () => {
    const random = seededRandom(18);
    const pick = (n: number): number => Math.floor(random() * n);
    let bad = 0;
    let expectedBad = 0;
    let decoded = 0;
    for (let i = 0; i < 10_000; i++) {
      let bytes = Buffer.from(REAL);
      switch (pick(5)) {
        case 0: // truncated or extended
          bytes = pick(2) === 0 ? bytes.subarray(0, pick(SIZE)) : Buffer.concat([bytes, Buffer.alloc(1 + pick(64))]);
          break;
        case 1: // header words set to anything
          for (let k = 0; k < 1 + pick(4); k++) bytes.writeUInt32LE(pick(2) === 0 ? pick(0x1_0000_0000) : pick(400), 256 + 4 * pick(9));
          break;
        case 2: // random bytes in the packet's headers and the message
          for (let k = 0; k < 1 + pick(40); k++) bytes[292 + pick(80)] = pick(256);
          for (let k = 0; k < pick(8); k++) bytes[pick(256)] = pick(256);
          break;
        case 3: // the packet walked from the link layer, with a random ethertype and IP version
          bytes.writeUInt32LE(0, 276);
          bytes.writeUInt32LE(0, 280);
          bytes.writeUInt16BE([0x86dd, 0x8100, 0x0800, pick(0x10000)][pick(4)]!, 292 + 12);
          bytes[292 + 14] = pick(256);
          bytes[292 + 20] = [0, 43, 44, 51, 60, 6, 17, 58][pick(8)]!;
          bytes.writeUInt32LE(pick(60), 264);
          break;
        default: // event words, including a classification no config knows
          for (let k = 0; k < 1 + pick(9); k++) bytes.writeUInt32LE(pick(0x1_0000_0000), 65_828 + 4 * pick(9));
      }
      if (oracleBad(bytes)) expectedBad++;
      const result = decodeSnortAlert(bytes, 'fuzz', { variant: 'snort2', byteOrder: 'little', classifications: new Map() });
      if ('error' in result) {
        bad++;
        continue;
      }
      decoded++;
      // What handlers do with it must not throw either.
      fastAlertLine(result);
      JSON.stringify(alertRecord(result));
    }
    expect(bad).toBe(expectedBad);
    expect(bad).toBeGreaterThan(1000);
    expect(decoded).toBeGreaterThan(1000);
  });
});
