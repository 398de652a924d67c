import type { Logger } from '../log/logger.js';
import { jsonForLog } from '../log/escape.js';
import { MAX_TIMER_MS } from '../clock/clock.js';
import { ownCopy } from '../engine/own-copy.js';
import type { ActionHelper } from './action-helper.js';
import type { ActionRequest, ActionSink } from './action-sink.js';
import { actionEnv, fillArgv } from './fill-argv.js';
import { runAction, stopRunningActions, type ActionOutcome } from './run-action.js';

/** Tuning for the action queue; every field has a default. */
export interface ActionRunnerOptions {
  /** Actions running at once (`athread_count`); default 2. */
  readonly threads?: number;
  /** Waiting actions kept; beyond it the oldest is dropped and counted. Default 1000. */
  readonly queueCap?: number;
  /**
   * Characters of log text (lines and captures) the waiting actions may hold together; beyond it
   * the oldest are dropped too. Default 16 Mi: 1000 lines at a 16 MiB line_max would be gigabytes.
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

/** Counters since start. */
export interface ActionStats {
  readonly submitted: number;
  readonly dropped: number;
  readonly succeeded: number;
  /** Non-zero exit, killed by a signal, or lost with the action helper that ran it. */
  readonly exitedBadly: number;
  readonly timedOut: number;
  /** Could not start (missing program, bad argument...). */
  readonly spawnFailed: number;
  readonly running: number;
  readonly queued: number;
}

/** Characters of each argv word shown in the log. */
const LOG_WORD_MAX = 200;

/**
 * The engine's `ActionSink`: a bounded queue served by `threads` workers that run each action
 * as a child process (argv, no shell, unless the action opted in) and log how it ended. A failing
 * action is logged and counted; nothing it does can stop the engine.
 */
export class ActionRunner implements ActionSink {
  private readonly threads: number;
  private readonly queueCap: number;
  private readonly queueTextCap: number;
  private queuedText = 0;
  private readonly outputCap: number;
  private readonly killGraceMs: number;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly onSpawn: ((request: ActionRequest) => void) | undefined;
  private readonly helper: ActionHelper | undefined;
  private readonly start: typeof runAction;
  private queue: (ActionRequest | undefined)[] = [];
  private head = 0;
  private running = 0;
  private waiters: (() => void)[] = [];
  private counts = { submitted: 0, dropped: 0, succeeded: 0, exitedBadly: 0, timedOut: 0, spawnFailed: 0 };

  constructor(private readonly log: Logger, options: ActionRunnerOptions = {}) {
    this.threads = Math.max(1, options.threads ?? 2);
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
    const size = textSize(request);
    while (this.head < this.queue.length && (this.queue.length - this.head >= this.queueCap || this.queuedText + size > this.queueTextCap)) {
      this.dropOldest();
    }
    // Queued for a while: its text must not keep the read segment it was cut from alive. `$0`
    // is the line: one copy serves both.
    const line = ownCopy(request.line);
    const captures = request.captures.map((text) => (text === undefined ? text : text === request.line ? line : ownCopy(text)));
    this.queue.push({ ...request, line, captures });
    this.queuedText += size;
    this.pump();
  }

  private dropOldest(): void {
    const oldest = this.take();
    this.counts.dropped++;
    // Under a flood, log the 1st, 2nd, 4th, 8th... drop rather than one line per drop.
    if ((this.counts.dropped & (this.counts.dropped - 1)) === 0) {
      const what = `action queue full (${this.queueCap} actions or ${this.queueTextCap} characters of log text): dropped the oldest ${oldest?.kind ?? ''} action`;
      this.log.warn(oldest?.item.name ?? null, `${what} (${this.counts.dropped} dropped so far)`);
    }
  }

  /** Takes the oldest waiting action off the queue. */
  private take(): ActionRequest | undefined {
    const next = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (next !== undefined) this.queuedText -= textSize(next);
    return next;
  }

  /**
   * Lets the helper process go, if there is one, and ends the actions still running, started
   * by it or by this process: SIGTERM, then SIGKILL after `graceMs`. Call after `drain`;
   * resolves once the SIGKILL went out.
   */
  async close(graceMs = this.killGraceMs): Promise<void> {
    await Promise.all([this.helper?.close(graceMs), stopRunningActions(graceMs)]);
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
    return { ...this.counts, running: this.running, queued: this.queue.length - this.head };
  }

  private idle(): boolean {
    return this.running === 0 && this.queue.length === this.head;
  }

  private pump(): void {
    while (this.running < this.threads && this.head < this.queue.length) {
      const next = this.take();
      if (next === undefined) continue;
      this.running++;
      void this.execute(next)
        .catch((err: unknown) => this.log.error(next.item.name, `action failed: ${String(err)}`))
        .then(() => {
          this.running--;
          this.pump();
          if (this.idle()) for (const wake of this.waiters.splice(0)) wake();
        });
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
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

/** The log text an action holds while it waits: its line, and its captures but `$0`, which is the line. */
function textSize(request: ActionRequest): number {
  let size = request.line.length;
  for (const text of request.captures) if (text !== undefined && text !== request.line) size += text.length;
  return size;
}
