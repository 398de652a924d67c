/**
 * Reads one rule file from disk with the limits a hostile file needs: only a regular file (not
 * `/dev/zero`, a FIFO or a directory), at most MAX_RULE_FILE_BYTES, valid UTF-8. Never reads
 * more than the limit, so a file that grows while read cannot make it grow without bound. A
 * file another user could change (runtime/fs's StrictModes, `inputFileProblem`) is not read:
 * its rules would run as whoever runs rulec, root as a rule.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { errnoReason, inputFileProblem } from '../runtime/index.js';

/** The largest rule file read: bytes on disk, UTF-16 code units of an editor's buffer. */
export const MAX_RULE_FILE_BYTES = 2 * 1024 * 1024;

/** What reading a rule file gave: its text, or why there is none. */
export type FileRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'missing' }
  /** Exists but cannot be read: `reason` is short, as `EACCES: permission denied`. */
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'too-large'; readonly size: number }
  /** Another user could change it: `reason` names what (`/x is writable by every user (mode 0777)`). */
  | { readonly kind: 'untrusted'; readonly reason: string }
  /** `text` decoded with U+FFFD for bad bytes; the first bad one is byte `byte`, at `offset` in `text`. */
  | { readonly kind: 'not-utf8'; readonly text: string; readonly byte: number; readonly offset: number };

/** Reads `name` from disk (see the module comment); a leading byte-order mark is dropped. */
export function readRuleFile(name: string): FileRead {
  const problem = inputFileProblem(name);
  if (problem !== null) return { kind: 'untrusted', reason: problem };
  let fd: number;
  try {
    fd = openSync(name, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable', reason: errnoReason(error) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'unreadable', reason: notAFile(st) };
    if (st.size > MAX_RULE_FILE_BYTES) return { kind: 'too-large', size: st.size };
    const buf = Buffer.alloc(MAX_RULE_FILE_BYTES + 1);
    let length = 0;
    for (let n; length < buf.length && (n = readSync(fd, buf, length, buf.length - length, null)) > 0; ) length += n;
    if (length > MAX_RULE_FILE_BYTES) return { kind: 'too-large', size: length };
    return decode(buf.subarray(0, length));
  } catch (error) {
    return { kind: 'unreadable', reason: errnoReason(error) };
  } finally {
    closeSync(fd);
  }
}

function decode(bytes: Buffer): FileRead {
  const bad = firstInvalidUtf8(bytes);
  const text = bytes.toString('utf8');
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (bad === -1) return { kind: 'text', text: text.slice(bom) };
  // The valid bytes before the bad one decode to exactly the text before its U+FFFD.
  const offset = bytes.subarray(0, bad).toString('utf8').length - bom;
  return { kind: 'not-utf8', text: text.slice(bom), byte: bad, offset };
}

/** Index of the first byte not part of a well-formed UTF-8 sequence, or -1 (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b === 0xe0) [need, min] = [2, 0xa0];
    else if (b === 0xed) [need, min, max] = [2, 0x80, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) [need, min] = [2, 0x80];
    else if (b === 0xf0) [need, min] = [3, 0x90];
    else if (b === 0xf4) [need, min, max] = [3, 0x80, 0x8f];
    else if (b >= 0xf1 && b <= 0xf3) [need, min] = [3, 0x80];
    else return i;
    // The second byte has the narrowed range; the rest any continuation byte.
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

function notAFile(st: Stats): string {
  if (st.isDirectory()) return 'EISDIR: is a directory';
  const what = st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'not a file';
  return `not a regular file: ${what}`;
}

/**
 * Whether the file at `path` says every user may read it: `o+r` on it (as its symlinks
 * resolve). A file without it is declared secret by its owner (`/etc/shadow` 0640, a key 0600);
 * the directories above are not asked, or every file in a home directory 0700 would be secret.
 * False when that cannot be told.
 */
export function readableByEveryone(path: string): boolean {
  try {
    return (statSync(path).mode & 0o004) !== 0;
  } catch {
    return false;
  }
}
