/**
 * `rulec run --watch`: the rule file and every file it sources are watched (chokidar), and a
 * change to any of them asks for a reload, as SIGUSR1 does. A burst of writes (an editor saving
 * in pieces, or writing a new file and renaming it over the old one, which chokidar reports as
 * one change) asks once, QUIET_MS after the last. After each reload the set of files is the
 * new rule set's: a `source` line added or removed is followed.
 */
import { watch, type FSWatcher } from 'chokidar';

/** Quiet time after the last event before a reload is asked for. */
const QUIET_MS = 250;

/** Watches a rule set's files; `changed` is called with one of the files that changed. */
export class RuleFilesWatcher {
  private readonly watcher: FSWatcher;
  private files: ReadonlySet<string>;
  private timer: NodeJS.Timeout | null = null;
  private last = '';
  private readonly watching: Promise<void>;

  constructor(files: readonly string[], private readonly changed: (file: string) => void, failed: (message: string) => void) {
    this.files = new Set(files);
    this.watcher = watch([...this.files], { ignoreInitial: true, persistent: true });
    this.watching = new Promise((done) => this.watcher.once('ready', () => done()));
    const event = (file: string): void => {
      this.last = file;
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.changed(this.last);
      }, QUIET_MS);
    };
    this.watcher.on('change', event).on('add', event).on('unlink', event);
    this.watcher.on('error', (error) => failed((error as Error).message));
  }

  /** Resolves once the files are being watched: a change from then on is seen. */
  ready(): Promise<void> {
    return this.watching;
  }

  /** Follows the files of the rule set now running. */
  set(files: readonly string[]): void {
    const next = new Set(files);
    const gone = [...this.files].filter((file) => !next.has(file));
    const added = [...next].filter((file) => !this.files.has(file));
    if (gone.length > 0) this.watcher.unwatch(gone);
    if (added.length > 0) this.watcher.add(added);
    this.files = next;
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    await this.watcher.close();
  }
}
