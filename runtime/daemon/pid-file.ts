import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Writes `pid` to `path` atomically (temp file, then rename) so readers never see a partial file. */
export function writePidFile(path: string, pid: number = process.pid): void {
  const temp = join(dirname(path), `.${basename(path)}.${pid}.tmp`);
  writeFileSync(temp, `${pid}\n`, { mode: 0o644 });
  renameSync(temp, path);
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
