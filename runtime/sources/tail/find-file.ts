import { closeSync, constants, lstatSync, openSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startsWith } from './fingerprint.js';
import { OpenFile } from './open-file.js';
import type { Checkpoint, Fingerprint } from './types.js';

// Directory entries examined when looking for a file rotated while we were down.
const MAX_SIBLINGS = 10_000;

/** Why `cp` does not describe the open file `fd`, or null when reading may resume at `cp.offset`. */
export function staleReason(cp: Checkpoint, fd: number, size: number, dev: bigint, ino: bigint): string | null {
  if (cp.dev !== String(dev) || cp.ino !== String(ino)) return 'another file now has this path';
  if (cp.offset > size) return 'the file is shorter than the saved offset';
  if (!startsWith(fd, cp.fingerprint)) return 'the file was rewritten (its head differs)';
  return null;
}

/**
 * When `abs` no longer names the checkpointed file, looks for that file (same device, inode
 * and head) in `dirs` (the path's directory, and its symlink target's), i.e. renamed by a
 * rotation while we were stopped, and opens it at the saved offset. Returns null when `abs` is
 * still that file or it is gone. Throws on I/O errors.
 */
export function findRotated(abs: string, cp: Checkpoint, lineMax: number, dirs: readonly string[]): { file: OpenFile; name: string } | null {
  const now = statSync(abs, { bigint: true, throwIfNoEntry: false });
  if (now !== undefined && String(now.dev) === cp.dev && String(now.ino) === cp.ino) return null;
  for (const dir of dirs) {
    const found = findInDir(dir, cp, lineMax);
    if (found !== undefined) return found;
  }
  return null;
}

/** The checkpointed file in `dir` (null: there, but rewritten), or undefined when it is not there. */
function findInDir(dir: string, cp: Checkpoint, lineMax: number): { file: OpenFile; name: string } | null | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    // A symlink's old target directory may be gone; the other directory may still hold the file.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  for (const name of names.slice(0, MAX_SIBLINGS)) {
    const st = lstatSync(join(dir, name), { bigint: true, throwIfNoEntry: false });
    if (st === undefined || !st.isFile() || String(st.dev) !== cp.dev || String(st.ino) !== cp.ino) continue;
    let stale = false;
    const file = OpenFile.open(join(dir, name), lineMax, (fd, size, dev, ino) => {
      stale = staleReason(cp, fd, size, dev, ino) !== null;
      return { offset: Math.min(cp.offset, size), discarding: cp.discarding };
    });
    if (!stale) return { file, name };
    file.close();
    return null;
  }
  return undefined;
}

/**
 * After a truncation, looks among the siblings of `abs` (the file itself, not a symlink to it)
 * for the copy `copytruncate` made just
 * before it: another regular file at least `minSize` bytes long that starts with the bytes
 * `head` was taken from. Bytes the copy holds past our read position would otherwise be lost.
 * Returns the copy opened at `at`, or null. Throws on I/O errors opening the copy itself.
 */
export function findCopy(
  abs: string,
  head: Fingerprint,
  minSize: number,
  ino: bigint,
  lineMax: number,
  at: { offset: number; discarding: boolean },
): { file: OpenFile; name: string } | null {
  const dir = dirname(abs);
  for (const name of readdirSync(dir).slice(0, MAX_SIBLINGS)) {
    const path = join(dir, name);
    const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (st === undefined || !st.isFile() || st.ino === ino || Number(st.size) < minSize) continue;
    if (startsWithHead(path, head)) return { file: OpenFile.open(path, lineMax, () => at), name };
  }
  return null;
}

/**
 * Whether the file at `path` starts with `head`; false when it cannot be read. A log directory
 * holds files the reader may not open (`btmp`, another service's logs): one of those must not
 * end the search before the copy is reached.
 */
function startsWithHead(path: string, head: Fingerprint): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    return startsWith(fd, head);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
