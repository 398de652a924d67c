import { describe, expect, it } from 'vitest';
import { escapeName, unescapeName } from '../../../../runtime/sources/monitor/name-escape.js';

/** A small deterministic generator, so a failure names its seed. */
function bytesFrom(seed: number, length: number): Buffer {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('listing name escapes', () => {
  it('keeps printable names and UTF-8 as they are', () => {
    expect(escapeName(Buffer.from('/etc/passwd'))).toBe('/etc/passwd');
    expect(escapeName(Buffer.from('/srv/a b/réunion ☺.txt'))).toBe('/srv/a b/réunion ☺.txt');
  });

  it('escapes tabs, newlines, controls, backslashes, C1 and bidi controls, and bytes that are not UTF-8', () => {
    expect(escapeName(Buffer.from('a\tb\nc\rd\\e'))).toBe('a\\tb\\nc\\rd\\\\e');
    expect(escapeName(Buffer.from('x\x1b[31my\x7f'))).toBe('x\\x1b[31my\\x7f');
    expect(escapeName(Buffer.from('n\u0085l\u202eevil\u2028'))).toBe('n\\xc2\\x85l\\xe2\\x80\\xaeevil\\xe2\\x80\\xa8');
    expect(escapeName(Buffer.from([0x66, 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]))).toBe('f\\xff\\xc3(\\xed\\xa0\\x80');
  });

  it('reads back exactly the bytes it wrote, for any bytes', () => {
    const failed: number[] = [];
    for (let seed = 1; seed <= 3000; seed++) {
      const bytes = bytesFrom(seed, 1 + (seed % 40));
      const text = escapeName(bytes);
      if (/[\t\n\r\x00-\x1f\x7f]/.test(text) || !unescapeName(text).equals(bytes)) failed.push(seed);
    }
    expect(failed).toEqual([]);
  });

  it('refuses escapes it never writes', () => {
    expect(() => unescapeName('a\\qb')).toThrow(/unknown escape/);
    expect(() => unescapeName('a\\x4')).toThrow(/bad \\x escape/);
    expect(() => unescapeName('trailing\\')).toThrow(/unknown escape/);
  });
});
