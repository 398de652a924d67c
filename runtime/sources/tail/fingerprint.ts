import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import type { Fingerprint } from './types.js';

/** Bytes of a file's head that identify its content. */
export const FINGERPRINT_BYTES = 256;

/** Hashes the first up-to-256 bytes of the open file `fd`. Throws only on I/O errors. */
export function fingerprintOf(fd: number, length = FINGERPRINT_BYTES): Fingerprint {
  const head = Buffer.alloc(Math.min(length, FINGERPRINT_BYTES));
  let filled = 0;
  while (filled < head.length) {
    const n = readSync(fd, head, filled, head.length - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return { length: filled, sha256: createHash('sha256').update(head.subarray(0, filled)).digest('hex') };
}

/**
 * True when the file `fd` still starts with the bytes `known` was taken from: a file that
 * only grew keeps its fingerprint as a prefix, one rewritten under the same inode does not.
 */
export function startsWith(fd: number, known: Fingerprint): boolean {
  const now = fingerprintOf(fd, known.length);
  return now.length === known.length && now.sha256 === known.sha256;
}
