/**
 * `rulec run --watch`: the rule file and every file it sources are watched (chokidar), and a
 * change to any of them asks for a reload, as SIGUSR1 does. A burst of writes (an editor saving
 * in pieces, or writing a new file and renaming it over the old one, which chokidar reports as
 * one change) asks once, QUIET_MS after the last. After each reload the set of files is the
 * new rule set's: a `source` line added or removed is followed.
 *
 * chokidar starts watching a file some time after it is asked to, and the rules were read
 * before that: a file written in between would go unseen (a test saw it under load). So once a
 * file is watched, one written since its rules were read (`since`) asks for a reload too.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { watch, type FSWatcher } from 'chokidar';

/** Quiet time after the last event before a reload is asked for. */
const QUIET_MS = 250;
/** A file's mtime comes from the kernel's coarse clock, which may lag Date.now() by a tick. */
const CLOCK_SLACK_MS = 20;
/** How long to wait for chokidar to watch an added file before giving up on catching up. */
const WATCH_SETUP_MS = 30_000;

/** Watches a rule set's files; `changed` is called with one of the files that changed. */
export class RuleFilesWatcher {
  private readonly watcher: FSWatcher;
  private files: ReadonlySet<string>;
  private timer: NodeJS.Timeout | null = null;
  private last = '';
  private readonly watching: Promise<void>;
  private closed = false;

  /** `since`: when the rules of `files` began to be read (Date.now() time). */
  constructor(files: readonly string[], since: number, private readonly changed: (file: string) => void, failed: (message: string) => void) {
    this.files = new Set(files);
    this.watcher = watch([...this.files], { ignoreInitial: true, persistent: true });
    this.watching = new Promise<void>((done) => this.watcher.once('ready', () => done())).then(() => this.catchUp(files, since));
    this.watcher.on('change', this.event).on('add', this.event).on('unlink', this.event);
    this.watcher.on('error', (error) => failed((error as Error).message));
  }

  /** Asks for a reload QUIET_MS after the last of a burst of events. */
  private readonly event = (file: string): void => {
    if (this.closed) return;
    this.last = file;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.changed(this.last);
    }, QUIET_MS);
  };

  /** Resolves once the files are being watched: a change from then on is seen. */
  ready(): Promise<void> {
    return this.watching;
  }

  /**
   * Follows the files of the rule set now running, whose reading began at `since`; resolves
   * once the files added are watched and the reload they ask for, if any, is asked.
   */
  set(files: readonly string[], since: number): Promise<void> {
    const next = new Set(files);
    const gone = [...this.files].filter((file) => !next.has(file));
    const added = [...next].filter((file) => !this.files.has(file));
    if (gone.length > 0) this.watcher.unwatch(gone);
    this.files = next;
    if (added.length === 0) return Promise.resolve();
    this.watcher.add(added);
    return this.catchUp(added, since);
  }

  /** Once `files` are watched, a reload for one written (or gone) since `since`. */
  private async catchUp(files: readonly string[], since: number): Promise<void> {
    // chokidar lists a file once its fs.watch is set up (in the same step), so polling its list tells.
    // A file gone meanwhile is never listed: its stat below asks for the reload.
    const settled = (file: string): boolean => !existsSync(file) || (this.watcher.getWatched()[dirname(file)]?.includes(basename(file)) ?? false);
    for (const deadline = Date.now() + WATCH_SETUP_MS; !this.closed && !files.every(settled) && Date.now() < deadline;) await sleep(20);
    for (const file of files) {
      const mtime = await stat(file).then((s) => s.mtimeMs, () => null);
      if (mtime === null || mtime >= since - CLOCK_SLACK_MS) {
        this.event(file);
        return;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.watcher.close();
  }
}
