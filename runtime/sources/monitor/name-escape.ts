/**
 * How a file name (bytes) is written in a monitor listing, and read back. A name may hold any
 * byte but `/` and NUL: tabs and newlines would break the line format, control characters could
 * drive a terminal or forge report lines (AIDE CVE-2025-54389), and bytes that are not UTF-8
 * cannot be written as text at all. So the listing writes:
 *
 * - `\\` for a backslash, `\t`, `\n`, `\r` for those three;
 * - `\xHH` for every other byte of a C0 control or DEL, for each byte of a character that is a
 *   C1 control, a line or paragraph separator or a bidi control, and for each byte that is not
 *   part of a valid UTF-8 sequence;
 * - every other character as it is (UTF-8).
 *
 * Escapes are per byte, so `unescapeName(escapeName(b))` is `b` for every byte string.
 */

const BACKSLASH = 0x5c;
const NAMED: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x5c: '\\\\' };
const NAMED_BACK: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, r: 0x0d, '\\': 0x5c };

/** Code points written as bytes even though they are valid UTF-8 (see escape.ts's list). */
function unsafeCodePoint(cp: number): boolean {
  return (
    (cp >= 0x80 && cp <= 0x9f) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x061c ||
    cp === 0x200e ||
    cp === 0x200f ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  );
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function utf8Length(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b0 >= 0xe1 && b0 <= 0xec) || b0 === 0xee || b0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

const hex = (b: number): string => `\\x${b.toString(16).padStart(2, '0')}`;

/** True when `bytes` need no escape at all (printable ASCII without a backslash): the common case. */
function plainAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20 || b >= 0x7f || b === BACKSLASH) return false;
  }
  return true;
}

/** A name's bytes as listing text (see the top of this file). */
export function escapeName(bytes: Uint8Array): string {
  if (plainAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      const named = NAMED[b];
      out += named ?? (b < 0x20 || b === 0x7f ? hex(b) : String.fromCharCode(b));
      i += 1;
      continue;
    }
    const length = utf8Length(bytes, i);
    if (length === 0) {
      out += hex(b);
      i += 1;
      continue;
    }
    const text = Buffer.from(bytes.buffer, bytes.byteOffset + i, length).toString('utf8');
    if (unsafeCodePoint(text.codePointAt(0)!)) {
      for (let k = 0; k < length; k++) out += hex(bytes[i + k]!);
    } else {
      out += text;
    }
    i += length;
  }
  return out;
}

/** Thrown by `unescapeName` for text no `escapeName` call writes. */
export class NameSyntaxError extends Error {}

/** The bytes `escapeName` wrote `text` for; throws NameSyntaxError on a stray or unknown escape. */
export function unescapeName(text: string): Buffer {
  if (!text.includes('\\')) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let plain = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== BACKSLASH) continue;
    parts.push(Buffer.from(text.slice(plain, i), 'utf8'));
    const next = text[i + 1];
    if (next === 'x') {
      const digits = text.slice(i + 2, i + 4);
      if (!/^[0-9a-f]{2}$/.test(digits)) throw new NameSyntaxError(`bad \\x escape at character ${i + 1}`);
      parts.push(Buffer.of(parseInt(digits, 16)));
      i += 3;
    } else if (next !== undefined && Object.hasOwn(NAMED_BACK, next)) {
      parts.push(Buffer.of(NAMED_BACK[next]!));
      i += 1;
    } else {
      throw new NameSyntaxError(`unknown escape \\${next ?? ''} at character ${i + 1}`);
    }
    plain = i + 1;
  }
  parts.push(Buffer.from(text.slice(plain), 'utf8'));
  return Buffer.concat(parts);
}
