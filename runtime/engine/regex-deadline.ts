/**
 * Runs the regexes V8's linear-time engine cannot take (a lookaround, a back reference, `\p{..}`
 * that could not be rewritten, see docs/regex.md) under a deadline, on the main thread and in
 * the engine's own order: matching stays synchronous, so windows, replay and `rulec test` see
 * exactly what they would unguarded, only never stalled.
 *
 * The deadline is V8's own: `vm`'s `timeout` makes a watchdog thread terminate the script's
 * execution, which stops a backtracking regex where it is and leaves nothing half done (the
 * script only runs regexes and stores their results). Starting the watchdog costs ~30–70 µs,
 * so one script runs a window of lines: the line asked for and the following lines of the same
 * batch the item may be asked about, until the window's time is up. The line asked for runs
 * first, so a line abandoned had a whole window; a later line the window cut short gets a
 * window of its own when asked. A window is wall time: one in which the regex got less than
 * half of it in CPU time (a loaded machine) is tried again, up to MAX_ATTEMPTS windows. So a
 * hostile line costs about one window on an idle machine, and ordinary lines share one watchdog
 * per batch.
 *
 * A flood of lines each just under the deadline would still hold the event loop (and SIGTERM)
 * for lines × deadline, so the time all guarded matching takes in one turn of the event loop is
 * bounded too (TURN_BUDGET_MS); past it, the rest of the turn's guarded lines are abandoned at
 * once. Abandoned lines are counted per item and logged (escaped), never dropped silently.
 */
import { Script } from 'node:vm';
import type { MatchResult } from '../contract.js';

/** Wall time one window of guarded matching may take; a line abandoned had at least this. */
export const WINDOW_MS = 25;
/** Windows a line may get when the machine, not the regex, used up the earlier ones (see `window`). */
const MAX_ATTEMPTS = 4;
/**
 * Wall time guarded matching may take per turn of the event loop, after which the turn's other
 * guarded lines are abandoned at once: what the event loop (and SIGTERM) waits for at most.
 */
export const TURN_BUDGET_MS = 1000;

/**
 * Lines longer than this (UTF-16 code units) run under the deadline for every item, whatever its
 * pattern (the engine, and `rulec regex` the same). Up to it, V8's linear-time fallback keeps
 * the worst pattern within a few milliseconds (quadratic shapes cost ~30 ms at 16 KiB); above, a
 * window per batch is cheap beside the line.
 */
export const LONG_LINE = 4096;

/** Why a line was abandoned. */
export type AbandonReason = 'deadline' | 'turn-budget';

/** What the engine learns about a line a guarded item was asked about. */
export type GuardedResult = MatchResult | null | 'abandoned';

/** One window's job, run inside the watchdog script through this slot. */
const SLOT = Symbol.for('rulec.regexDeadline.window');
type Slot = { [SLOT]?: () => void };
// The script only calls the job; terminating it can interrupt nothing but the job's regex.
const WINDOW_SCRIPT = new Script(`globalThis[Symbol.for('rulec.regexDeadline.window')]()`, { filename: 'rulec-regex-deadline' });

let spentThisTurn = 0;
let turnResetPending = false;

function chargeTurn(ms: number): void {
  spentThisTurn += ms;
  if (!turnResetPending) {
    turnResetPending = true;
    setImmediate(() => {
      spentThisTurn = 0;
      turnResetPending = false;
    });
  }
}

function isTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/**
 * The deadline runner of one item. `exec(lines, index, text)` answers for `lines[index]`, whose
 * text as the item sees it is `text`; `textOf(j)` gives the text of a later line of the same
 * batch, `candidate(text)` whether the item may be asked about it (a cheap superset of the
 * prefilter's answer), so a window computes only what will be asked.
 */
export class RegexDeadline {
  /** Lines abandoned, by reason. */
  readonly abandoned: Record<AbandonReason, number> = { deadline: 0, 'turn-budget': 0 };
  private batch: readonly string[] | null = null;
  private readonly texts: (string | undefined)[] = [];
  private readonly results: (GuardedResult | undefined)[] = [];

  constructor(
    private readonly match: (text: string) => MatchResult | null,
    private readonly onAbandon: (text: string, reason: AbandonReason) => void,
  ) {}

  /** Total abandoned lines. */
  get abandonedLines(): number {
    return this.abandoned.deadline + this.abandoned['turn-budget'];
  }

  exec(
    lines: readonly string[],
    index: number,
    text: string,
    textOf: (j: number) => string,
    candidate: (text: string) => boolean,
  ): GuardedResult {
    if (lines !== this.batch) {
      this.batch = lines;
      this.texts.length = 0;
      this.results.length = 0;
    }
    const known = this.results[index];
    if (known !== undefined && this.texts[index] === text) return this.take(index, text, known);
    if (spentThisTurn >= TURN_BUDGET_MS) return this.take(index, text, 'abandoned', 'turn-budget');
    this.window(lines, index, text, textOf, candidate);
    const result = this.results[index];
    return this.take(index, text, result === undefined ? 'abandoned' : result, 'deadline');
  }

  /**
   * Runs the item's regex on `text`, then on the batch's later candidate lines until the
   * window's time is up. `text` is first, so it has the whole window; a later line the window
   * cut short is not kept and gets a window of its own when asked.
   */
  private window(lines: readonly string[], index: number, text: string, textOf: (j: number) => string, candidate: (text: string) => boolean): void {
    for (let attempt = 1; ; attempt++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const done = this.run(lines, index, text, textOf, candidate);
      chargeTurn(performance.now() - started);
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      if (done) return;
      // Timed out on the line asked for. The window is wall time: on a loaded machine the
      // thread may have spent most of it waiting for a CPU, which is not the line's doing. It
      // is abandoned once the regex really ran (CPU time) for half a window.
      if (cpuMs >= WINDOW_MS / 2 || attempt === MAX_ATTEMPTS || spentThisTurn >= TURN_BUDGET_MS) {
        this.results[index] = 'abandoned';
        return;
      }
    }
  }

  /** One window; false when it timed out on the line asked for. */
  private run(lines: readonly string[], index: number, text: string, textOf: (j: number) => string, candidate: (text: string) => boolean): boolean {
    let at = index;
    const job = (): void => {
      for (; at < lines.length; at++) {
        const t = at === index ? text : textOf(at);
        if (at !== index && !candidate(t)) continue;
        this.texts[at] = t;
        this.results[at] = this.match(t);
      }
    };
    const slot = globalThis as Slot;
    slot[SLOT] = job;
    try {
      WINDOW_SCRIPT.runInThisContext({ timeout: WINDOW_MS });
      return true;
    } catch (err) {
      if (!isTimeout(err)) throw err;
      this.results[at] = undefined;
      return at !== index;
    } finally {
      slot[SLOT] = undefined;
    }
  }

  private take(index: number, text: string, result: GuardedResult, reason: AbandonReason = 'deadline'): GuardedResult {
    // Asked once per line: the cache only serves lines after it.
    this.results[index] = undefined;
    if (result === 'abandoned') {
      this.abandoned[reason]++;
      this.onAbandon(text, reason);
    }
    return result;
  }
}
