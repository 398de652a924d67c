import { readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../fs/write-atomic.js';

/** Writes `pid` to `path` atomically (see writeFileAtomic: safe in a directory others can write). */
export function writePidFile(path: string, pid: number = process.pid): void {
  writeFileAtomic(path, `${pid}\n`);
}

/**
 * The process `path` names when it is still running (another daemon on the same pid file), or
 * null: no file, no number in it, or no such process.
 */
export function runningOwner(path: string): number | null {
  let owner: number;
  try {
    owner = Number(readFileSync(path, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isSafeInteger(owner) || owner <= 0 || owner === process.pid) return null;
  try {
    process.kill(owner, 0);
    return owner;
  } catch (error) {
    // EPERM: it exists, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? owner : null;
  }
}

/**
 * Removes the pid file only when it still names `pid`, so a successor's file survives. Never
 * throws: after dropping privileges the directory may no longer be writable; returns why.
 */
export function removePidFile(path: string, pid: number = process.pid): string | null {
  try {
    if (readFileSync(path, 'utf8').trim() === String(pid)) rmSync(path, { force: true });
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : `cannot remove pid file ${path}: ${(error as Error).message}`;
  }
}
