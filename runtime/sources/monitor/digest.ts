/**
 * File digests as a monitor listing writes them: base64 without `=` padding, exactly Perl's
 * `Digest::MD5::b64digest` form (22 characters for MD5; 43 for SHA-256), so listings made by
 * MailLog still compare.
 */
import { createHash, hash } from 'node:crypto';
import { readSync } from 'node:fs';

/** The digests a listing may use: MD5 (MailLog's, the default) or SHA-256 (`digest sha256`). */
export type DigestAlgorithm = 'md5' | 'sha256';

/** Length of each algorithm's digest in the listing. */
export const DIGEST_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { md5: 22, sha256: 43 };

/** The algorithm a listed digest was made with, by its length; null when it is neither. */
export function algorithmOf(digest: string): DigestAlgorithm | null {
  if (!/^[A-Za-z0-9+/]+$/.test(digest)) return null;
  if (digest.length === DIGEST_LENGTH.md5) return 'md5';
  if (digest.length === DIGEST_LENGTH.sha256) return 'sha256';
  return null;
}

/** Base64 without its `=` padding, as Perl's b64digest. */
export function unpadded(base64: string): string {
  let end = base64.length;
  while (end > 0 && base64.charCodeAt(end - 1) === 0x3d) end--;
  return base64.slice(0, end);
}

/** Bytes read per call; a file this small or smaller is hashed in one call. */
const CHUNK = 1 << 20;

/**
 * Hashes files read by descriptor through one reused buffer. Small files (most of a tree) are
 * read in one call and hashed by the one-shot `crypto.hash`, which skips a Hash object per file.
 * `steps` yields between the 1 MiB pieces of a large file, so that a caller can let other work in.
 */
export class FileDigester {
  private readonly buffer = Buffer.allocUnsafe(CHUNK);

  constructor(readonly algorithm: DigestAlgorithm) {}

  /**
   * The digest of the open file `fd` from offset 0 to its end, and the bytes read. `size` is
   * what fstat said: a file that long is taken as ending there (no read to find its end), one
   * that grew meanwhile is read on to its end. Throws on I/O errors.
   */
  *steps(fd: number, size: number): Generator<void, { digest: string; bytes: number }> {
    const buffer = this.buffer;
    let filled = 0;
    while (filled < CHUNK) {
      const n = readSync(fd, buffer, filled, CHUNK - filled, filled);
      filled += n;
      if (n === 0 || (filled === size && size < CHUNK)) return { digest: unpadded(hash(this.algorithm, buffer.subarray(0, filled), 'base64')), bytes: filled };
    }
    const h = createHash(this.algorithm).update(buffer);
    let position = filled;
    for (;;) {
      yield;
      const n = readSync(fd, buffer, 0, CHUNK, position);
      if (n === 0) break;
      h.update(buffer.subarray(0, n));
      position += n;
    }
    return { digest: unpadded(h.digest('base64')), bytes: position };
  }
}
