import { FifoFollower } from './fifo-follower.js';
import { FileFollower } from './file-follower.js';
import { Notifier } from './notifier.js';
import {
  DEFAULT_CHECKPOINT_INTERVAL,
  DEFAULT_LINE_MAX,
  DEFAULT_POLL_INTERVAL,
  DEFAULT_ROTATE_WAIT,
  DEFAULT_CHECKPOINT_LINES,
  type CheckpointLoad,
  type CheckpointStore,
  type TailHandlers,
  type TailNotice,
  type TailOptions,
} from './types.js';

// Below this a cut could not even hold one multi-byte character plus context.
const MIN_LINE_MAX = 16;
/** Reading waits while this many times `checkpointLines` handled lines are not saved yet. */
export const UNSAVED_FACTOR = 10;
// Notices after which the position jumped or a file came or went: saved at once, so a crash
// right after cannot make a restart lose a rotated file's lines or read a new file from its end.
const MILESTONES: ReadonlySet<TailNotice['kind']> = new Set(['opened', 'resumed', 'resumed-rotated', 'returned', 'rotated', 'retired', 'truncated']);

/**
 * Follows one path (one reader per path; the engine fans lines out to its items) and hands
 * complete lines to `handlers.lines`, synchronously and in order. Never throws once started:
 * every failure becomes a notice. With a checkpoint store it resumes where handled lines
 * ended. It saves when the file is opened (`start()` resolves once that save landed), right
 * after each rotation or truncation, every `checkpointInterval` ms, every `checkpointLines`
 * lines, and on `stop()`; and it stops reading while `UNSAVED_FACTOR × checkpointLines` handled
 * lines are not yet in a saved checkpoint, so a crash delivers at most that many again.
 */
export class FileTailer {
  private file: FileFollower | null = null;
  private fifo: FifoFollower | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private lastSaved = '';
  private state: 'new' | 'running' | 'stopped' = 'new';
  private stopping: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();
  /** A save is queued and has not taken its snapshot yet: another request joins it. */
  private saveQueued = false;
  /** Lines handed to `handlers.lines` so far, and how many of them the last saved checkpoint covers. */
  private handledLines = 0;
  private savedLines = 0;
  /** Lines handled since a save was last asked for. */
  private sinceRequest = 0;
  /** The last save failed: reading goes on unbounded rather than stop tailing on a full disk. */
  private saveFailing = false;

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
      store === null ? this.handlers : this.savingHandlers(),
      store === null ? () => true : () => this.mayRead(),
    );
    this.file.begin(loaded.value);
    // A lines handler may have stopped us already.
    if (store !== null && this.state === 'running') {
      this.saveTimer = setInterval(() => this.requestSave(), this.opts.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL);
      // Where we start is on disk before we say we run: a crash now cannot skip what comes next.
      await this.save();
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

  /** The handlers, counting lines and asking for saves after `checkpointLines` of them and after milestones. */
  private savingHandlers(): TailHandlers {
    const every = Math.max(1, this.opts.checkpointLines ?? DEFAULT_CHECKPOINT_LINES);
    return {
      lines: (lines, info) => {
        this.handlers.lines(lines, info);
        this.handledLines += lines.length;
        this.sinceRequest += lines.length;
        if (this.sinceRequest >= every) this.requestSave();
      },
      size: this.handlers.size?.bind(this.handlers),
      notice: (event) => {
        this.handlers.notice?.(event);
        if (MILESTONES.has(event.kind)) this.requestSave();
      },
    };
  }

  /** False while too many handled lines are not in a saved checkpoint (the follower waits for `resume`). */
  private mayRead(): boolean {
    const every = Math.max(1, this.opts.checkpointLines ?? DEFAULT_CHECKPOINT_LINES);
    if (this.saveFailing || this.handledLines - this.savedLines < UNSAVED_FACTOR * every) return true;
    // The follower waits until a save lands; make sure one is on its way.
    this.requestSave();
    return false;
  }

  /** Queues a save unless one is queued that has not taken its snapshot yet. */
  private requestSave(): void {
    if (this.saveQueued || this.state !== 'running') return;
    void this.save();
  }

  /** Chained, so the save `stop()` awaits lands after any periodic one still in flight. */
  private save(): Promise<void> {
    this.saveQueued = true;
    this.sinceRequest = 0;
    this.saving = this.saving.then(() => this.saveNow());
    return this.saving;
  }

  private async saveNow(): Promise<void> {
    this.saveQueued = false;
    const store = this.opts.checkpoint ?? null;
    const cp = this.file?.checkpoint() ?? null;
    const covered = this.handledLines;
    if (store === null || cp === null) return;
    const key = JSON.stringify(cp);
    if (key === this.lastSaved) {
      this.savedLines = covered;
      this.file?.resume();
      return;
    }
    this.lastSaved = key;
    // A store from elsewhere might reject; this runs from a timer, where that would be unhandled.
    const problem = await store.save(this.opts.path, cp).catch((err: unknown) => `cannot save checkpoint: ${String(err)}`);
    if (problem === null) {
      this.savedLines = covered;
      this.saveFailing = false;
      this.notices.recovered();
    } else {
      // Retried at the next interval (it may come back), but said once: not every second.
      this.lastSaved = '';
      this.saveFailing = true;
      this.notices.errorOnce(problem);
    }
    // A follower waiting for this save reads on (one that was not just looks once more).
    this.file?.resume();
  }
}

async function loadSafely(store: CheckpointStore, path: string): Promise<CheckpointLoad> {
  try {
    return await store.load(path);
  } catch (err) {
    return { value: null, problem: `cannot load checkpoint: ${String(err)}` };
  }
}
