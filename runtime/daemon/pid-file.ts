import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/**
 * Writes `pid` to `path` atomically (temp file, then rename) so readers never see a partial file.
 * The daemon writes it before dropping privileges, maybe into a directory others can write
 * (`-p /tmp/rulec.pid`): the temp file gets an unguessable name and is created exclusively
 * (`wx`), so a symlink planted there cannot make root write through it.
 */
export function writePidFile(path: string, pid: number = process.pid): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  writeFileSync(temp, `${pid}\n`, { mode: 0o644, flag: 'wx' });
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
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
