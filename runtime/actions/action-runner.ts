import type { Logger } from '../log/logger.js';
import { jsonForLog } from '../log/escape.js';
import { MAX_TIMER_MS } from '../clock/clock.js';
import { ownCopy } from '../text/own-copy.js';
import type { ActionHelper } from './action-helper.js';
import type { ActionRequest, ActionSink } from './action-sink.js';
import { ItemQueue, textSize } from './item-queue.js';
import { actionEnv, fillArgv } from './fill-argv.js';
import { runAction, stopRunningActions, type ActionOutcome } from './run-action.js';

/** Tuning for the action queues; every field has a default. */
export interface ActionRunnerOptions {
  /** Actions running at once (`athread_count`); default 2. */
  readonly threads?: number;
  /**
   * Actions of one item running at once; default half of `threads`, at least 1, so an item
   * whose actions hang leaves the other workers to the other items.
   */
  readonly itemThreads?: number;
  /** Waiting actions kept per item; beyond it the item's newest is dropped and counted. Default 1000. */
  readonly queueCap?: number;
  /**
   * Characters of log text (lines and captures) the waiting actions of all items may hold
   * together; beyond it the item holding the most gives up its newest. Default 16 Mi: 1000
   * lines at a 16 MiB line_max would be gigabytes.
   */
  readonly queueTextCap?: number;
  /** Bytes of stdout and of stderr kept for the log; default 4096. */
  readonly outputCap?: number;
  /** Between SIGTERM and SIGKILL on timeout; default 2000 ms. */
  readonly killGraceMs?: number;
  /** Environment the `RULEC_*` variables are added to; default `process.env`. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** Called when an action's child process has started (for latency measurements); must not throw. */
  readonly onSpawn?: (request: ActionRequest) => void;
  /** Starts actions from this helper process instead of from this one (see action-helper.ts). */
  readonly helper?: ActionHelper;
}

/** One item's action counters since start. */
export interface ItemActionStats {
  readonly name: string;
  readonly submitted: number;
  /** Dropped because its queue was full, or because it held the most waiting log text. */
  readonly dropped: number;
  readonly running: number;
  readonly queued: number;
}

/** Counters since start, in total and per item (items that submitted an action). */
export interface ActionStats {
  readonly submitted: number;
  readonly dropped: number;
  readonly succeeded: number;
  /** Non-zero exit, killed by a signal, or lost with the action helper that ran it. */
  readonly exitedBadly: number;
  readonly timedOut: number;
  /** Could not start (missing program, bad argument...). */
  readonly spawnFailed: number;
  /** Queued, or submitted, when `stop` came: never started. */
  readonly notStarted: number;
  readonly running: number;
  readonly queued: number;
  readonly items: readonly ItemActionStats[];
}

/** Characters of each argv word shown in the log. */
const LOG_WORD_MAX = 200;

/**
 * `3 action(s) dropped (SLOW 2, BAN 1)`: the drops of a stopping summary, per item, most first;
 * empty when none was dropped.
 */
export function droppedSummary(stats: ActionStats): string {
  if (stats.dropped === 0) return '';
  const items = stats.items.filter((i) => i.dropped > 0).sort((a, b) => b.dropped - a.dropped);
  return `${stats.dropped} action(s) dropped (${items.map((i) => `${i.name} ${i.dropped}`).join(', ')})`;
}

/**
 * The engine's `ActionSink`: a bounded queue per item, served by `threads` workers in turn
 * (round robin over the items with waiting actions, each item running at most `itemThreads` at
 * once), that run each action as a child process (argv, no shell, unless the action opted in)
 * and log how it ended. A failing action is logged and counted; nothing it does can stop the
 * engine, and no item's actions can keep another item's from starting.
 */
export class ActionRunner implements ActionSink {
  private readonly threads: number;
  private readonly itemThreads: number;
  private readonly queueCap: number;
  private readonly queueTextCap: number;
  private readonly outputCap: number;
  private readonly killGraceMs: number;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly onSpawn: ((request: ActionRequest) => void) | undefined;
  private readonly helper: ActionHelper | undefined;
  private readonly start: typeof runAction;
  /** Per item name, in order of first action. */
  private readonly queues = new Map<string, ItemQueue>();
  /** Items that may start an action now, in turn: the next is at `turnHead`. */
  private turns: ItemQueue[] = [];
  private turnHead = 0;
  private queued = 0;
  private queuedText = 0;
  private running = 0;
  private waiters: (() => void)[] = [];
  private counts = { submitted: 0, dropped: 0, succeeded: 0, exitedBadly: 0, timedOut: 0, spawnFailed: 0, notStarted: 0 };
  private stopped = false;

  constructor(private readonly log: Logger, options: ActionRunnerOptions = {}) {
    this.threads = Math.max(1, options.threads ?? 2);
    this.itemThreads = Math.min(this.threads, Math.max(1, options.itemThreads ?? Math.floor(this.threads / 2)));
    this.queueCap = Math.max(1, options.queueCap ?? 1000);
    this.queueTextCap = Math.max(1, options.queueTextCap ?? 16 * 1024 * 1024);
    this.outputCap = options.outputCap ?? 4096;
    this.killGraceMs = options.killGraceMs ?? 2000;
    // A RULEC_n left in the daemon's own environment would reach a shell action as if it were a capture.
    this.baseEnv = Object.fromEntries(Object.entries(options.baseEnv ?? process.env).filter(([name]) => !name.startsWith('RULEC_')));
    this.onSpawn = options.onSpawn;
    const helper = options.helper;
    helper?.start();
    this.helper = helper;
    this.start = helper === undefined ? runAction : (argv, runOptions) => helper.run(argv, runOptions);
  }

  submit(request: ActionRequest): void {
    this.counts.submitted++;
    if (this.stopped) {
      this.counts.notStarted++;
      return;
    }
    const queue = this.queueOf(request.item.name);
    queue.submitted++;
    // What was decided first runs first: a full queue refuses the newest, so a flood cannot
    // push out the first action against a key (its ban) for a later one.
    if (queue.length >= this.queueCap) {
      this.dropped(queue, request, `the item's action queue is full (${this.queueCap} waiting)`);
      return;
    }
    const size = textSize(request);
    while (this.queued > 0 && this.queuedText + size > this.queueTextCap) {
      // The item holding the most waiting text (this one counting the new action) gives up its newest.
      const largest = this.mostText(queue, size);
      const why = `the waiting actions hold ${this.queueTextCap} characters of log text, this item's the most`;
      if (largest === queue) {
        this.dropped(queue, request, why);
        return;
      }
      const newest = largest.pop()!;
      this.queued--;
      this.queuedText -= textSize(newest);
      this.dropped(largest, newest, why);
    }
    // Queued for a while: its text must not keep the read segment it was cut from alive. `$0`
    // is the line: one copy serves both.
    const line = ownCopy(request.line);
    const captures = request.captures.map((text) => (text === undefined ? text : text === request.line ? line : ownCopy(text)));
    queue.push({ ...request, line, captures });
    this.queued++;
    this.queuedText += size;
    this.offerTurn(queue);
    this.pump();
  }

  /**
   * Lets the helper process go, if there is one, and ends the actions still running, started
   * by it or by this process: SIGTERM, then SIGKILL after `graceMs`. Call after `drain`;
   * resolves once the SIGKILL went out.
   */
  async close(graceMs = this.killGraceMs): Promise<void> {
    await Promise.all([this.helper?.close(graceMs), stopRunningActions(graceMs)]);
  }

  /**
   * Stops for good, as the daemon does on SIGTERM: what is queued, and what is submitted from now
   * on, never starts (counted as `notStarted`); running actions get SIGTERM now and SIGKILL
   * `graceMs` later. Resolves once they have ended, or the kill grace after the SIGKILL.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    for (const queue of this.queues.values()) while (queue.shift() !== undefined) this.counts.notStarted++;
    this.queued = 0;
    this.queuedText = 0;
    this.turns = [];
    this.turnHead = 0;
    await this.close(graceMs);
    await this.drain(this.killGraceMs);
  }

  /** Resolves true once nothing is queued or running, false if `timeoutMs` passes first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.idle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(wake);
    });
  }

  stats(): ActionStats {
    const items = [...this.queues.values()].map((q) => ({ name: q.name, submitted: q.submitted, dropped: q.dropped, running: q.running, queued: q.length }));
    return { ...this.counts, running: this.running, queued: this.queued, items };
  }

  private idle(): boolean {
    return this.running === 0 && this.queued === 0;
  }

  private queueOf(name: string): ItemQueue {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = new ItemQueue(name);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** The queue holding the most waiting text, `queue` counting `size` more; `queue` on a tie. */
  private mostText(queue: ItemQueue, size: number): ItemQueue {
    let largest = queue;
    let most = queue.text + size;
    for (const q of this.queues.values()) {
      if (q.text > most) {
        largest = q;
        most = q.text;
      }
    }
    return largest;
  }

  private dropped(queue: ItemQueue, request: ActionRequest, why: string): void {
    this.counts.dropped++;
    queue.dropped++;
    // Under a flood, log the item's 1st, 2nd, 4th, 8th... drop rather than one line per drop.
    if ((queue.dropped & (queue.dropped - 1)) === 0) {
      this.log.warn(queue.name, `${request.kind} action dropped: ${why} (${queue.dropped} of this item's dropped so far)`);
    }
  }

  /** Puts `queue` last in line to start an action, if it has one waiting and room to run it. */
  private offerTurn(queue: ItemQueue): void {
    if (queue.listed || queue.length === 0 || queue.running >= this.itemThreads) return;
    queue.listed = true;
    this.turns.push(queue);
  }

  /** The next item in turn that may start an action, taken off the line. */
  private nextTurn(): ItemQueue | undefined {
    while (this.turnHead < this.turns.length) {
      const queue = this.turns[this.turnHead++]!;
      queue.listed = false;
      // It may have lost its waiting actions to the text cap since it was listed.
      if (queue.length > 0 && queue.running < this.itemThreads) return queue;
    }
    this.turns = [];
    this.turnHead = 0;
    return undefined;
  }

  private pump(): void {
    while (this.running < this.threads) {
      const queue = this.nextTurn();
      if (queue === undefined) break;
      const next = queue.shift()!;
      this.queued--;
      this.queuedText -= textSize(next);
      queue.running++;
      this.running++;
      // Round robin: the item goes to the back of the line.
      this.offerTurn(queue);
      void this.execute(next)
        .catch((err: unknown) => this.log.error(next.item.name, `action failed: ${String(err)}`))
        .then(() => {
          queue.running--;
          this.running--;
          this.offerTurn(queue);
          this.pump();
          if (this.idle()) for (const wake of this.waiters.splice(0)) wake();
        });
    }
    if (this.turnHead > 1024 && this.turnHead * 2 > this.turns.length) {
      this.turns = this.turns.slice(this.turnHead);
      this.turnHead = 0;
    }
  }

  private async execute(request: ActionRequest): Promise<void> {
    const { item, spec, captures, line } = request;
    const argv = fillArgv(spec, captures, line);
    const env = { ...this.baseEnv, ...actionEnv(spec, captures, line, request.env) };
    const outcome = await this.start(argv, {
      env,
      // Node fires a longer timer at once; rulec check caps action_timeout below it.
      timeoutMs: Math.min(item.actionTimeout * 1000, MAX_TIMER_MS),
      killGraceMs: this.killGraceMs,
      outputCap: this.outputCap,
      onSpawn: this.onSpawn === undefined ? undefined : () => this.onSpawn?.(request),
    });
    this.report(request, argv, outcome);
  }

  private report(request: ActionRequest, argv: readonly string[], outcome: ActionOutcome): void {
    const name = request.item.name;
    const shown = argv.map((w) => (w.length > LOG_WORD_MAX ? `${w.slice(0, LOG_WORD_MAX)}…(${w.length} chars)` : w));
    // JSON escapes the words once; the logger escapes the rest of the message (output included).
    const what = [`${request.kind} action `, jsonForLog(shown)];
    if (outcome.kind === 'failed') {
      this.counts.spawnFailed++;
      this.log.error(name, [...what, ` could not start: ${outcome.error}`]);
      return;
    }
    if (outcome.kind === 'lost') {
      this.counts.exitedBadly++;
      this.log.error(name, [...what, ` was lost: ${outcome.error}`]);
      return;
    }
    const output = `${outcome.stdout === '' ? '' : ` stdout: ${outcome.stdout}`}${outcome.stderr === '' ? '' : ` stderr: ${outcome.stderr}`}${outcome.truncated ? ' (output truncated)' : ''}`;
    if (outcome.timedOut) {
      this.counts.timedOut++;
      this.log.error(name, [...what, ` timed out after ${request.item.actionTimeout}s, killed by ${outcome.signal ?? 'exit'}${output}`]);
    } else if (outcome.code === 0) {
      this.counts.succeeded++;
      this.log.info(name, [...what, ` exited 0${output}`]);
    } else {
      this.counts.exitedBadly++;
      const how = outcome.signal !== null ? `was killed by ${outcome.signal}` : `exited ${outcome.code ?? '?'}`;
      this.log.warn(name, [...what, ` ${how}${output}`]);
    }
  }
}
