import { linkSync, rmSync } from 'node:fs';
import { readSmallFile, writeFileAtomic, writeTempBeside } from '../fs/index.js';

// A pid and a newline; more was not written by a daemon (a link to /dev/zero must not be read on).
const MAX_PID_FILE = 64;

/**
 * Takes `path` as this process's pid file, or returns the pid of the running process that holds
 * it. The file is put in place with link(2), which fails when the name exists: of two daemons
 * started at once only one gets it (a check, then a rename, let both run). A file naming a
 * process that is gone is replaced. The temporary file comes from writeTempBeside, and the file
 * is read back without following symlinks, since the directory may be one others can write.
 * Throws when the file cannot be written.
 */
export function claimPidFile(path: string, pid: number = process.pid): number | null {
  const temp = writeTempBeside(path, `${pid}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(temp, path);
        return null;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A file system without hard links: the check and the rename, as before.
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
          const other = runningOwner(path);
          if (other === null) writeFileAtomic(path, `${pid}\n`, { mode: 0o644 });
          return other;
        }
        if (code !== 'EEXIST') throw error;
      }
      const owner = runningOwner(path);
      if (owner !== null) return owner;
      // Left by a daemon that is gone (or by this very process).
      rmSync(path, { force: true });
    }
    throw new Error('another process keeps creating it');
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * The process `path` names when it is still running (another daemon on the same pid file), or
 * null: no file, no number in it, or no such process.
 */
export function runningOwner(path: string): number | null {
  let owner: number;
  try {
    owner = Number(readSmallFile(path, MAX_PID_FILE).trim());
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
    if (readSmallFile(path, MAX_PID_FILE).trim() === String(pid)) rmSync(path, { force: true });
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : `cannot remove pid file ${path}: ${(error as Error).message}`;
  }
}
