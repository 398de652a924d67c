import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// O_EXCL already refuses an existing name, a symlink included; O_NOFOLLOW says so twice, so a
// change to the flags cannot quietly bring back a write through a planted link.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Options of the atomic writers. */
export interface WriteOptions {
  /** Permission bits of a new file (the umask may only remove some); default 0o600. */
  readonly mode?: number;
  /**
   * Refuse (throw) when `path` is a symbolic link, rather than replace the link: for a path the
   * user named (`report --dry-run OUT`), where a link there was planted or meant to be followed.
   */
  readonly refuseSymlink?: boolean;
}

/**
 * Writes `data` to `path` so that readers and a crash see the old file or the new one, never
 * half of one, and so that nobody who can write the directory can redirect the write: a new,
 * unguessably named file beside `path` is created exclusively without following symlinks,
 * written, fsynced and renamed over `path` (which replaces a symlink there, never its target);
 * then the directory is fsynced so the rename itself survives a crash. A failure leaves nothing.
 * Throws on failure (the error names the file).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): void {
  // The rename below would replace a link planted meanwhile, never write through it.
  if (options.refuseSymlink === true && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
    throw new Error(`${path} is a symbolic link; refusing to write through it`);
  }
  const temp = writeTempBeside(path, data, options.mode ?? 0o600);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectory(dirname(path));
}

/** `writeFileAtomic` without blocking the event loop (checkpoints, spool files). */
export async function writeFileAtomicAsync(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const temp = tempName(path);
  const handle = await open(temp, CREATE_NEW, options.mode ?? 0o600).catch((error: unknown) => {
    throw named(error, temp, path);
  });
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    // Ours: created above. unlink(2) removes a name, so even a link swapped in is no danger.
    await rm(temp, { force: true });
    throw named(error, temp, path);
  }
  syncDirectory(dirname(path));
}

/**
 * Writes `data` to a new file beside `path`, created as `writeFileAtomic` does and fsynced,
 * and returns its name; the caller moves it into place (rename, link) or removes it. `mode`
 * defaults to 0o644: build output is meant to be read.
 */
export function writeTempBeside(path: string, data: string | Uint8Array, mode = 0o644): string {
  const temp = tempName(path);
  let fd: number;
  try {
    fd = openSync(temp, CREATE_NEW, mode);
  } catch (error) {
    // EEXIST here created nothing, and what is there is not ours to remove.
    throw named(error, temp, path);
  }
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw named(error, temp, path);
  }
  closeSync(fd);
  return temp;
}

/** Makes a rename or a new name in `dir` durable; file systems that cannot sync a directory are let be. */
export function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EINVAL on file systems without directory sync: the data itself was synced.
  } finally {
    closeSync(fd);
  }
}

/**
 * The error with the target's name where the random temporary one was: messages stay the same
 * from one attempt to the next (reported once), and name the file the operator knows.
 */
function named(error: unknown, temp: string, path: string): unknown {
  if (error instanceof Error) error.message = error.message.replaceAll(temp, path);
  return error;
}

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
}
