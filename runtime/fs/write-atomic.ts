import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` through a temporary file and a rename, so readers never see a partial
 * file. Root may write into a directory others can write (`-p /tmp/rulec.pid`, a shared build
 * directory): the temporary file gets an unguessable name and is created exclusively (`wx`),
 * so a symlink planted there cannot make it write through it. A failed write leaves nothing.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const temp = writeTempBeside(path, data, mode);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Writes `data` to a new file beside `path`, unguessably named and created exclusively (see
 * writeFileAtomic), and returns its name; the caller moves it into place or removes it.
 */
export function writeTempBeside(path: string, data: string | Uint8Array, mode = 0o644): string {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, data, { mode, flag: 'wx' });
  } catch (error) {
    // A write that failed after creating the file (ENOSPC) leaves it; one that found the name
    // taken (EEXIST) created nothing, and what is there is not ours to remove.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(temp, { force: true });
    throw error;
  }
  return temp;
}
