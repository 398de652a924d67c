import { existsSync, lstatSync, readlinkSync, realpathSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Watches directories with plain `fs.watch` (inotify on Linux) and reports every event.
 *
 * Why not chokidar: a tailer wants one wake-up per append with no added latency and
 * must see rename, unlink and create separately. chokidar stats each event before emitting
 * and, with `atomic`, holds unlink/add pairs back for 100 ms, which would cost the engine its
 * ~10 ms goal and blur rotation. The tailer stats the path itself anyway, and a short poll
 * covers what inotify coalesces or misses (a rotated file moved to another directory).
 */
export class DirWatcher {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(
    private readonly onEvent: (dir: string, name: string | null) => void,
    private readonly onError: (dir: string, message: string) => void,
  ) {}

  /** Watches exactly `dirs`; a directory that cannot be watched yet is retried on the next call. */
  update(dirs: readonly string[]): void {
    for (const [dir, w] of this.watchers) {
      if (!dirs.includes(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: true }, (_event, name) => {
          // The directory itself was removed or moved (Linux names it by its own name and
          // raises no error): its watch would stay silent, or follow it elsewhere. Dropped, so
          // the next update watches the directory made again; a file of that name inside is not it.
          if (name === basename(dir) && !existsSync(join(dir, name))) this.forget(dir, w);
          this.onEvent(dir, name === null ? null : String(name));
        });
        w.on('error', (err: Error) => {
          // The directory went away or became unreadable; the poll keeps things going meanwhile.
          this.forget(dir, w);
          this.onError(dir, err.message);
        });
        this.watchers.set(dir, w);
      } catch {
        // Missing directory: the file is missing too, and the poll notices when both appear.
      }
    }
  }

  private forget(dir: string, w: FSWatcher): void {
    w.close();
    if (this.watchers.get(dir) === w) this.watchers.delete(dir);
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}

/**
 * What to watch for the absolute path `abs`: its directory, and when it is a symlink also the
 * directory of the file it resolves to (appends to the target raise events only there, and
 * rotation leaves its copies and renamed files there).
 */
export function watchTargets(abs: string): { target: string; dirs: string[] } {
  let target = abs;
  try {
    if (lstatSync(abs).isSymbolicLink()) target = linkTarget(abs);
  } catch {
    // Missing: watch the path's directory and wait.
  }
  const dirs = [dirname(abs)];
  if (dirname(target) !== dirs[0]) dirs.push(dirname(target));
  return { target, dirs };
}

/** Where the symlink `abs` leads; when it dangles (its target rotated away), where that was. */
function linkTarget(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return resolve(dirname(abs), readlinkSync(abs));
  }
}
