import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../fs/index.js';
import { ReportError } from './report-error.js';

/** A flush takes minutes at most; a lock older than this is taken over. */
const STALE_LOCK_MS = 6 * 3600 * 1000;

const SPOOLED = /^\d{15}-\d{4}-\d+-[0-9a-f]{8}\.eml$/;

/**
 * The spool directory: `--spool`, else `set spool`, else `spool` in `[general] state`, else
 * /var/spool/rulec for root and $XDG_STATE_HOME/rulec/spool (~/.local/state) for anyone else.
 */
export function spoolDirectory(options: { flag?: string | undefined; setting?: string | undefined; stateDir?: string | null | undefined }): string {
  if (options.flag !== undefined) return options.flag;
  if (options.setting !== undefined) return options.setting;
  if (options.stateDir) return join(options.stateDir, 'spool');
  if (process.getuid?.() === 0) return '/var/spool/rulec';
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'rulec', 'spool');
}

/**
 * Finished, encrypted report messages waiting for the SMTP server, one `.eml` file each, named so
 * that name order is age order. Files are written whole (temporary file and rename) and readable
 * by the owner only; the directory is made 0700.
 */
export class Spool {
  private counter = 0;

  constructor(readonly dir: string) {}

  /** Makes the directory 0700 when missing; refuses one that others could write into (runtime/fs). */
  open(): void {
    try {
      ensurePrivateDir(this.dir, 'spool directory');
    } catch (error) {
      throw new ReportError((error as Error).message);
    }
  }

  /** Stores a message; returns its file name. */
  add(message: Buffer): string {
    this.counter += 1;
    // Time first (fixed width) so that name order is age order; the counter orders one run's messages.
    const stamp = `${String(Date.now()).padStart(15, '0')}-${String(this.counter % 10_000).padStart(4, '0')}`;
    const name = `${stamp}-${process.pid}-${randomBytes(4).toString('hex')}.eml`;
    writeFileAtomic(join(this.dir, name), message, { mode: 0o600 });
    return name;
  }

  /** When a message (a name `list` gave) was spooled: its name starts with the time in milliseconds. */
  addedAt(name: string): Date {
    return new Date(Number(name.slice(0, 15)));
  }

  /** The waiting messages, oldest first. */
  list(): string[] {
    try {
      return readdirSync(this.dir).filter((name) => SPOOLED.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new ReportError(`spool ${this.dir}: ${(error as Error).message}`);
    }
  }

  /** A spooled message's bytes; a symlink or anything but a regular file planted there is refused. */
  read(name: string): Buffer {
    const fd = openSync(join(this.dir, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) throw new Error(`${name} is not a regular file`);
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  remove(name: string): void {
    rmSync(join(this.dir, name), { force: true });
  }

  /**
   * Takes the spool's lock (a `.lock` file holding this pid) so that two runs never send the same
   * message; one left by a process that is gone is taken over. Returns a release function, or
   * null when a live process holds it.
   */
  lock(): (() => void) | null {
    const path = join(this.dir, '.lock');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return () => rmSync(path, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new ReportError(`spool ${this.dir}: cannot lock: ${(error as Error).message}`);
        if (holderAlive(path)) return null;
        rmSync(path, { force: true });
      }
    }
    return null;
  }
}

function holderAlive(lockFile: string): boolean {
  let text: string;
  let age: number;
  try {
    text = readFileSync(lockFile, 'utf8').trim();
    age = Date.now() - statSync(lockFile).mtimeMs;
  } catch (error) {
    // Gone meanwhile: free; unreadable: someone else's, leave it.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  // Empty: its holder is between creating and writing it, unless it died there long ago.
  if (text === '') return age < 60_000;
  // A lock this old outlived its holder even if its pid now names another process.
  if (age > STALE_LOCK_MS) return false;
  const pid = Number(text);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
