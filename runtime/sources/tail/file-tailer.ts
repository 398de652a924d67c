import { FifoFollower } from './fifo-follower.js';
import { FileFollower } from './file-follower.js';
import { Notifier } from './notifier.js';
import {
  DEFAULT_CHECKPOINT_INTERVAL,
  DEFAULT_LINE_MAX,
  DEFAULT_POLL_INTERVAL,
  DEFAULT_ROTATE_WAIT,
  type CheckpointLoad,
  type CheckpointStore,
  type TailHandlers,
  type TailOptions,
} from './types.js';

// Below this a cut could not even hold one multi-byte character plus context.
const MIN_LINE_MAX = 16;

/**
 * Follows one path (one reader per path; the engine fans lines out to its items) and hands
 * complete lines to `handlers.lines`, synchronously and in order. Never throws once started:
 * every failure becomes a notice. With a checkpoint store it resumes where handled lines
 * ended, saving every `checkpointInterval` ms and on `stop()`.
 */
export class FileTailer {
  private file: FileFollower | null = null;
  private fifo: FifoFollower | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private lastSaved = '';
  private state: 'new' | 'running' | 'stopped' = 'new';
  private stopping: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();

  private readonly notices: Notifier;

  constructor(
    private readonly opts: TailOptions,
    private readonly handlers: TailHandlers,
  ) {
    this.notices = new Notifier(opts.path, handlers);
  }

  /** Loads the checkpoint, opens the path (or waits for it) and starts following. Call once. */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'running';
    const lineMax = Math.max(MIN_LINE_MAX, Math.floor(this.opts.lineMax ?? DEFAULT_LINE_MAX));
    const pollMs = Math.max(10, this.opts.pollInterval ?? DEFAULT_POLL_INTERVAL);
    if (this.opts.fileType === 'fifo') {
      this.fifo = new FifoFollower({ path: this.opts.path, lineMax, pollMs }, this.handlers);
      this.fifo.begin();
      return;
    }
    const store = this.opts.checkpoint ?? null;
    const loaded = store === null ? { value: null, problem: null } : await loadSafely(store, this.opts.path);
    if (loaded.problem !== null) this.notices.error(loaded.problem);
    if (this.state !== 'running') return;
    this.file = new FileFollower(
      {
        path: this.opts.path,
        start: this.opts.start,
        rotateWaitMs: Math.max(0, (this.opts.rotateWait ?? DEFAULT_ROTATE_WAIT) * 1000),
        lineMax,
        pollMs,
      },
      this.handlers,
    );
    this.file.begin(loaded.value);
    // A lines handler may have stopped us already.
    if (store !== null && this.state === 'running') {
      this.saveTimer = setInterval(() => void this.save(), this.opts.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL);
    }
  }

  /** Stops following, saves the checkpoint of handled lines and closes every descriptor. Every call resolves when that is done. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.state = 'stopped';
    if (this.saveTimer !== null) clearInterval(this.saveTimer);
    this.saveTimer = null;
    this.fifo?.halt();
    const file = this.file;
    if (file === null) return;
    file.halt();
    // Called from inside a `lines` handler, let that batch finish so it counts as handled.
    await Promise.resolve();
    await this.save();
    file.close();
  }

  /** Chained, so the save `stop()` awaits lands after any periodic one still in flight. */
  private save(): Promise<void> {
    this.saving = this.saving.then(() => this.saveNow());
    return this.saving;
  }

  private async saveNow(): Promise<void> {
    const store = this.opts.checkpoint ?? null;
    const cp = this.file?.checkpoint() ?? null;
    if (store === null || cp === null) return;
    const key = JSON.stringify(cp);
    if (key === this.lastSaved) return;
    this.lastSaved = key;
    // A store from elsewhere might reject; this runs from a timer, where that would be unhandled.
    const problem = await store.save(this.opts.path, cp).catch((err: unknown) => `cannot save checkpoint: ${String(err)}`);
    if (problem === null) {
      this.notices.recovered();
    } else {
      // Retried at the next interval (it may come back), but said once: not every second.
      this.lastSaved = '';
      this.notices.errorOnce(problem);
    }
  }
}

async function loadSafely(store: CheckpointStore, path: string): Promise<CheckpointLoad> {
  try {
    return await store.load(path);
  } catch (err) {
    return { value: null, problem: `cannot load checkpoint: ${String(err)}` };
  }
}
