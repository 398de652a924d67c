/**
 * Proves that what a `set pgp` command printed is an OpenPGP *encrypted* message before it is
 * sent or spooled: a signed-only (`gpg -a -s`), clear-signed or merely armored message, or the
 * input itself (`cat`), may start like an OpenPGP message and would otherwise leave in the clear.
 * The bytes are checked as they are and then used as they are (re-serializing gpg's packets
 * with openpgp does not round-trip), so the check reads the packet framing itself (RFC 9580 §4.2).
 */

/** Public-key and symmetric-key encrypted session key packets. */
const SESSION_KEY_TAGS = new Set([1, 3]);
/** Symmetrically encrypted, integrity protected and AEAD encrypted data packets. */
const ENCRYPTED_DATA_TAGS = new Set([9, 18, 20]);
/** Packets whose length may be given in parts (partial body lengths). */
const PARTIAL_TAGS = new Set([8, 9, 11, 18, 20]);

const ARMOR_BEGIN = '-----BEGIN PGP MESSAGE-----';
const ARMOR_END = '-----END PGP MESSAGE-----';

/**
 * Throws an Error saying why unless `bytes` (armored or binary) are exactly one OpenPGP message
 * made of one or more encrypted session key packets followed by one encrypted data packet:
 * nothing else, in particular no literal data, signature or compressed packet outside the
 * encryption, and no text around the armor.
 */
export function assertEncrypted(bytes: Buffer): void {
  const text = bytes.toString('latin1');
  const armored = text.trimStart().startsWith('-----BEGIN ');
  const tags = packetTags(armored ? dearmor(text.trim()) : bytes);
  const last = tags.at(-1);
  const sessionKeys = tags.slice(0, -1);
  if (last === undefined || !ENCRYPTED_DATA_TAGS.has(last) || sessionKeys.length === 0 || !sessionKeys.every((tag) => SESSION_KEY_TAGS.has(tag))) {
    throw new Error(`it is an OpenPGP message that is not encrypted (packets: ${tags.map(packetName).join(', ')})`);
  }
}

/** The bytes of one armored PGP MESSAGE with nothing around it (armor headers allowed). */
function dearmor(text: string): Buffer {
  const lines = text.split(/\r?\n/);
  if (lines[0]!.trimEnd() !== ARMOR_BEGIN) throw new Error(`it is armored as ${JSON.stringify(lines[0]!.slice(0, 60))}, not as an encrypted PGP MESSAGE`);
  if (lines.at(-1)!.trimEnd() !== ARMOR_END || lines.slice(1, -1).some((line) => line.startsWith('-----'))) {
    throw new Error('it is not exactly one armored OpenPGP message (other text, or another armor block, beside it)');
  }
  const blank = lines.findIndex((line) => line.trim() === '');
  if (blank === -1 || !lines.slice(1, blank).every((line) => /^[\x21-\x39\x3b-\x7e]+: /.test(line))) throw new Error('its armor is malformed');
  let body = lines.slice(blank + 1, -1).map((line) => line.trim());
  if (body.length > 0 && /^=[A-Za-z0-9+/]{4}$/.test(body.at(-1)!)) body = body.slice(0, -1); // the CRC24 checksum
  const base64 = body.join('');
  const data = Buffer.from(base64, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || data.toString('base64') !== base64) throw new Error('its armor is not base64');
  return data;
}

/** The tags of the top-level packets, which must cover `bytes` exactly. */
function packetTags(bytes: Buffer): number[] {
  const tags: number[] = [];
  let at = 0;
  const need = (count: number): number => {
    if (at + count > bytes.length) throw new Error('it is not an OpenPGP message (a packet runs past the end)');
    const start = at;
    at += count;
    return start;
  };
  while (at < bytes.length) {
    const header = bytes[need(1)]!;
    if ((header & 0x80) === 0) throw new Error(`it is not an OpenPGP message (byte ${at - 1} is no packet header)`);
    if ((header & 0x40) === 0) {
      const tag = (header >> 2) & 0x0f;
      tags.push(tag);
      const lengthType = header & 0x03;
      if (lengthType === 3) {
        at = bytes.length; // indeterminate: to the end
      } else {
        const size = [1, 2, 4][lengthType]!;
        const length = bytes.readUIntBE(need(size), size);
        need(length);
      }
      continue;
    }
    const tag = header & 0x3f;
    tags.push(tag);
    for (;;) {
      const first = bytes[need(1)]!;
      if (first < 192) {
        need(first);
      } else if (first < 224) {
        need(((first - 192) << 8) + bytes[need(1)]! + 192);
      } else if (first === 255) {
        need(bytes.readUInt32BE(need(4)));
      } else {
        if (!PARTIAL_TAGS.has(tag)) throw new Error(`it is not an OpenPGP message (a ${packetName(tag)} packet in parts)`);
        need(1 << (first & 0x1f));
        continue;
      }
      break;
    }
  }
  return tags;
}

const NAMES: Record<number, string> = {
  1: 'public-key encrypted session key',
  2: 'signature',
  3: 'symmetric-key encrypted session key',
  4: 'one-pass signature',
  8: 'compressed data',
  9: 'encrypted data',
  10: 'marker',
  11: 'literal data',
  18: 'encrypted data',
  20: 'encrypted data',
};

function packetName(tag: number): string {
  return NAMES[tag] ?? `tag ${tag}`;
}
