/**
 * Where a `watch` block stopped reading its log, kept between runs in the state directory: the
 * file's device, inode and a fingerprint of its head (the tailer's identity of a file), and the
 * offset after the last line reported. One small JSON file per block, written through
 * runtime/fs (temporary file, fsync, rename), in a directory only rulec's user can write.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, readSmallFile, writeFileAtomic } from '../../fs/index.js';
import type { Fingerprint } from '../tail/types.js';

/** A log's identity and the byte after the last line a report took from it. */
export interface WatchPosition {
  /** Device and inode as decimal strings (bigint stats do not fit a JSON number). */
  readonly dev: string;
  readonly ino: string;
  readonly fingerprint: Fingerprint;
  readonly offset: number;
  /** The byte at `offset` is inside a cut line: reading drops the rest of it. */
  readonly discarding: boolean;
  /** The directory the file was in, to find it again after a rotation renamed it. */
  readonly dir: string;
}

const FORMAT = 1;
const MAX_BYTES = 64 * 1024;

/**
 * The directory of watch positions: `watch` in `[general] state`, else /var/lib/rulec/watch for
 * root and $XDG_STATE_HOME/rulec/watch (~/.local/state) for anyone else.
 */
export function watchStateDir(stateDir: string | null): string {
  if (stateDir) return join(stateDir, 'watch');
  if (process.getuid?.() === 0) return '/var/lib/rulec/watch';
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'rulec', 'watch');
}

/** A block's position file: by log and attachment name, so two blocks on one log keep their own. */
function positionFile(dir: string, logfile: string, name: string): string {
  return join(dir, `${createHash('sha256').update(`${logfile}\0${name}`).digest('hex').slice(0, 32)}.json`);
}

function isPosition(value: unknown): value is WatchPosition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const fp = v.fingerprint as Record<string, unknown> | null | undefined;
  const count = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  return (
    typeof v.dev === 'string' &&
    /^\d+$/.test(v.dev) &&
    typeof v.ino === 'string' &&
    /^\d+$/.test(v.ino) &&
    count(v.offset) &&
    typeof v.discarding === 'boolean' &&
    typeof v.dir === 'string' &&
    typeof fp === 'object' &&
    fp !== null &&
    count(fp.length) &&
    typeof fp.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(fp.sha256)
  );
}

/** Reads and writes the positions of watch blocks in one directory. */
export class WatchPositions {
  constructor(readonly dir: string) {}

  /**
   * The saved position of a block, null when there is none; a file that is not one of ours
   * (corrupt, another format) is a problem the caller reports, and reading starts afresh.
   */
  load(logfile: string, name: string): { position: WatchPosition | null; problem: string | null } {
    let text: string;
    try {
      text = readSmallFile(positionFile(this.dir, logfile, name), MAX_BYTES);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { position: null, problem: null };
      return { position: null, problem: `cannot read the saved position: ${(error as Error).message}` };
    }
    try {
      const raw = JSON.parse(text) as Record<string, unknown>;
      if (raw.format === FORMAT && raw.logfile === logfile && isPosition(raw.position)) return { position: raw.position, problem: null };
    } catch {
      // Reported below.
    }
    return { position: null, problem: 'the saved position is corrupt: reading from the start' };
  }

  /** Saves a position; throws (a message naming the file) when it cannot. */
  save(logfile: string, name: string, position: WatchPosition): void {
    ensurePrivateDir(this.dir, 'watch state directory');
    writeFileAtomic(positionFile(this.dir, logfile, name), `${JSON.stringify({ format: FORMAT, logfile, name, position })}\n`);
  }
}
