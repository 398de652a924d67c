import type { ActionSink } from '../actions/action-sink.js';
import type { Clock, TimerHandle } from '../clock/clock.js';
import { formatOf, parseLogTime, type StampFormat } from '../clock/timestamp.js';
import type { Captures, ItemSpec, MatchResult, RuleModule, SourceSpec, TimestampSpec } from '../contract.js';
import type { Logger } from '../log/logger.js';
import { Prefilter } from '../prefilter/prefilter.js';
import type { AsciiLineBytes } from '../sources/tail/types.js';
import { cutLine, sourceLineCap } from './cut-line.js';
import { crcOf, ItemState, type ItemStats } from './item-state.js';
import { LONG_LINE, RegexDeadline, TURN_BUDGET_MS, WINDOW_MS, type AbandonReason } from './regex-deadline.js';
import type { WindowTable } from './window-table.js';

/** What the engine needs from outside; `replay` counts every window in log time. */
export interface EngineDeps {
  readonly clock: Clock;
  readonly actions: ActionSink;
  readonly log: Logger;
  readonly replay?: boolean;
  /**
   * Called with each line an item matched, as it matched it (cut at its line_max), its captures
   * when they were built (null: the item was only tested) and its index in the `onLines` batch
   * (-1 for an `onRecord`): `-v` logs them, `rulec test` reports them.
   */
  readonly onMatch?: (item: ItemSpec, line: string, captures: Captures | null, index: number) => void;
  /** Build the captures of every match (`match`, never only `test`), for `onMatch` to show. */
  readonly captures?: boolean;
  /**
   * Makes window storage for `length` times; default `new Float64Array`. Tests give one that
   * fails as a host out of memory does (a real failure cannot be provoked safely: under an
   * address-space limit V8's own allocations fail first).
   */
  readonly allocateTimes?: (length: number) => Float64Array;
}

/** Counters of one source since start. */
export interface SourceStats {
  readonly path: string;
  readonly lines: number;
  /** Lines longer than every item's `lineMax` on this source: cut by the reader, or before the prefilter. */
  readonly cutLines: number;
  /** Under replay, which reads every line's time: its lines by the format their time was read in, `none` when none was. */
  readonly timeFormats?: Readonly<Record<StampFormat | 'none', number>>;
}

/** Counters since start, per source and per item. */
export interface EngineStats {
  readonly lines: number;
  /** Lines on which a generated `match` or `test` threw (the line is skipped). */
  readonly matchErrors: number;
  readonly sources: readonly SourceStats[];
  readonly items: readonly ItemStats[];
  /** Per item that ran a regex under the deadline (ItemSpec.deadline, or a line over 4 KiB): lines abandoned, by reason. */
  readonly abandoned: readonly { readonly item: string; readonly deadline: number; readonly turnBudget: number }[];
}

interface SourceState {
  readonly spec: SourceSpec;
  readonly prefilter: Prefilter;
  readonly lineCap: number;
  /** The items reading this source. */
  readonly own: readonly ItemState[];
  readonly sized: readonly ItemState[];
  /**
   * The last time each timestamp spec read in this source's lines: the hint for the next stamp
   * (its year, its pass through a repeated hour), and the time of a line without one. Per
   * source and spec, so another file or another item's time_year cannot decide it.
   */
  readonly lastTimes: Map<TimestampSpec, number>;
  /** The distinct ways its items read times (ItemState.timeSpec). */
  readonly timeSpecs: readonly TimestampSpec[];
  lines: number;
  cutLines: number;
  readonly timeFormats: Record<StampFormat | 'none', number>;
}

const NO_CAPTURES: Captures = [];
const NO_CUTS: readonly number[] = [];
/** Down-bound checks run per item per call when replayed log time leaps; the rest are counted as skipped. */
const MAX_CATCH_UP = 1000;
/** Characters of an abandoned line shown in the log. */
const ABANDONED_SHOWN = 200;
const always = (): boolean => true;
const never = (): boolean => false;
const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/** A test every line holding `literal` passes (ASCII case-insensitively), or null when there is no ASCII literal to test. */
function screenOf(literal: string | null): ((text: string) => boolean) | undefined {
  if (literal === null || !/^[\x00-\x7f]+$/.test(literal)) return undefined;
  const re = new RegExp(literal.replace(SYNTAX, '\\$&'), 'i');
  return (text) => re.test(text);
}

/**
 * Runs one `RuleModule`: matches lines, counts them in per-key sliding windows, watches
 * down-bound silences and file sizes, and submits fired actions. A line's time is its arrival
 * (`clock.now()` once per batch) unless the item counts in log time or `replay` is on, then the
 * time parsed from the line. In replay, down-bound checks also run in log time as lines advance
 * it; live, they run on clock timers. Never throws on bad input.
 */
export class Engine {
  private readonly items: ItemState[];
  private readonly sources: SourceState[];
  private readonly clock: Clock;
  private readonly actions: ActionSink;
  private readonly log: Logger;
  private readonly replay: boolean;
  private readonly onMatch: ((item: ItemSpec, line: string, captures: Captures | null, index: number) => void) | null;
  private readonly allCaptures: boolean;
  private readonly timers = new Map<ItemState, TimerHandle>();
  /** By item index: the deadline runner of an item whose regex V8's linear engine cannot take. */
  private readonly deadlines: (RegexDeadline | undefined)[];
  /** By item index: the deadline runner of an item's long lines (LONG_LINE), made when first needed. */
  private readonly longRunners: (RegexDeadline | undefined)[];
  /** By item index: the deadline runner of an item's end-blind regex on cut lines (ItemSpec.cut), made when first needed. */
  private readonly cutRunners: (RegexDeadline | undefined)[];
  /** By item index: a cheap superset of the prefilter's "may match" (its literal), for a deadline window's lookahead. */
  private readonly screens: (((text: string) => boolean) | undefined)[];
  private started = false;
  private stopped = false;
  private matchErrors = 0;
  private abandonedLines = 0;
  /** Index of the line being scanned, so a throwing matcher skips only that line. */
  private at = 0;
  private lastLogTime = Number.NaN;
  private logNow = Number.NaN;
  /** Under replay, the items with a down-bound: their checks run as log time advances. */
  private readonly downItems: readonly ItemState[];
  private cacheLine: string | null = null;
  private cacheSpec: TimestampSpec | null = null;
  private cacheSource: SourceState | null = null;
  private cacheTime: number | null = null;

  constructor(module: RuleModule, deps: EngineDeps) {
    this.clock = deps.clock;
    this.actions = deps.actions;
    this.log = deps.log;
    this.replay = deps.replay === true;
    this.onMatch = deps.onMatch ?? null;
    this.allCaptures = deps.captures === true;
    const timeSpecs = new Map<string, TimestampSpec>();
    const sameReading = (t: TimestampSpec): TimestampSpec => {
      const key = `${t.format}\n${t.zone ?? ''}\n${t.year ?? ''}`;
      const known = timeSpecs.get(key);
      if (known !== undefined) return known;
      timeSpecs.set(key, t);
      return t;
    };
    this.items = module.items.map((spec) => {
      let failures = 0;
      // Log the 1st, 2nd, 4th... failure of an item: under memory pressure they come in floods.
      const failed = (bytes: number, error: unknown, outcome: string): void => {
        failures++;
        if ((failures & (failures - 1)) !== 0) return;
        this.log.error(spec.name, `window memory: could not allocate ${bytes} bytes (${String(error)}); ${outcome} (${failures} so far)`);
      };
      const memory = { onAllocationFailure: failed, ...(deps.allocateTimes === undefined ? {} : { allocate: deps.allocateTimes }) };
      return new ItemState(spec, this.replay || spec.clock === 'log', sameReading(spec.timestamp), memory);
    });
    this.downItems = this.replay ? this.items.filter((st) => st.down !== null) : [];
    // Filled, not holey: the scan reads them for every candidate.
    this.deadlines = module.items.map(() => undefined);
    this.longRunners = module.items.map(() => undefined);
    this.cutRunners = module.items.map(() => undefined);
    this.screens = module.items.map(() => undefined);
    module.items.forEach((spec, i) => {
      if (spec.deadline === true) this.deadlines[i] = new RegexDeadline(spec.match, (line, why) => this.abandon(this.items[i]!, line, why));
    });
    for (const spec of module.sources) {
      spec.items.forEach((i, k) => {
        this.screens[i] = screenOf(spec.literals[k] ?? null);
      });
    }
    this.sources = module.sources.map((spec) => {
      const own = spec.items.map((i) => this.items[i]).filter((s): s is ItemState => s !== undefined);
      return {
        spec,
        prefilter: new Prefilter(spec.items, spec.literals, spec.sequences),
        lineCap: sourceLineCap(own.map((s) => s.spec)),
        own,
        sized: own.filter((s) => s.size !== null),
        timeSpecs: [...new Set(own.map((s) => s.timeSpec))],
        lastTimes: new Map(),
        lines: 0,
        cutLines: 0,
        timeFormats: { syslog: 0, iso8601: 0, epoch: 0, none: 0 },
      };
    });
  }

  /** Arms the down-bound timers (live mode); the first check is one window after start. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    if (this.replay) return;
    const now = this.clock.now();
    for (const st of this.items) if (st.down !== null) this.arm(st, now + st.down.windowMs);
  }

  /** Cancels timers; later lines and sizes are ignored. */
  stop(): void {
    this.stopped = true;
    for (const handle of this.timers.values()) this.clock.cancel(handle);
    this.timers.clear();
  }

  /**
   * Matches, counts and fires for complete lines (without their line breaks) read from
   * `sources[sourceIndex]`; `ascii`, when the reader has it, spares the prefilter encoding them.
   * `cut` lists, in order, the indices of lines the reader cut at its line_max: they end where
   * the line does not, so no item may match them at their end (cut-line.ts).
   */
  onLines(sourceIndex: number, lines: readonly string[], ascii: AsciiLineBytes | null = null, cut: readonly number[] = NO_CUTS): void {
    const src = this.sources[sourceIndex];
    if (src === undefined || this.stopped) return;
    src.lines += lines.length;
    const arrival = this.clock.now();
    src.prefilter.beginBatch(ascii, lines.length);
    let from = 0;
    while (from < lines.length) {
      try {
        this.scan(src, lines, from, arrival, cut);
        break;
      } catch (err) {
        from = this.at + 1;
        this.matchErrors++;
        if ((this.matchErrors & (this.matchErrors - 1)) === 0) {
          this.log.error(null, `matcher threw on a line of ${src.spec.path} (${this.matchErrors} so far): ${String(err)}`);
        }
      }
    }
    src.prefilter.endBatch();
    // Checks due exactly now wait: a later line may still carry this same time.
    if (!Number.isNaN(this.logNow)) for (const st of this.downItems) this.catchUp(st, this.logNow, false);
  }

  /**
   * A match found outside the line sources (a Snort alert that met rule `items[index]`'s
   * conditions), counted and fired like a line's: `captures` are the item's (`$0` stands for its
   * line), `time` its own time in ms, used when the item counts in log time and under replay.
   */
  onRecord(index: number, captures: Captures, time: number): void {
    const st = this.items[index];
    if (st === undefined || this.stopped) return;
    const arrival = this.clock.now();
    const line = captures[0] ?? '';
    st.matched++;
    if (this.onMatch !== null) this.onMatch(st.spec, line, captures, -1);
    let t = arrival;
    if (st.logTime) {
      t = time;
      this.noteLogTime(time);
      for (const other of this.downItems) this.catchUp(other, this.logNow, false);
    }
    this.count(st, captures, line, false, t, arrival);
  }

  /** Replay: the input ended; runs the down-bound checks due up to the last log time. */
  endReplay(): void {
    if (!Number.isNaN(this.logNow)) for (const st of this.downItems) this.catchUp(st, this.logNow, true);
  }

  /**
   * The size `sources[sourceIndex]`'s file already had when this engine took over from one that
   * reported it (a reload): multiples up to it are not reported again.
   */
  primeSize(sourceIndex: number, bytes: number): void {
    for (const st of this.sources[sourceIndex]?.sized ?? []) st.size?.prime(bytes);
  }

  /** The current size in bytes of `sources[sourceIndex]`'s file; fires size actions at each multiple reached. */
  onSize(sourceIndex: number, bytes: number): void {
    const src = this.sources[sourceIndex];
    if (src === undefined || this.stopped) return;
    for (const st of src.sized) {
      const threshold = st.size?.observe(bytes) ?? null;
      const action = st.spec.sizeAction;
      if (threshold === null || action === null) continue;
      st.sizeFires++;
      this.actions.submit({
        item: st.spec, kind: 'size', spec: action, captures: NO_CAPTURES, line: '',
        env: { RULEC_ITEM: st.spec.name, RULEC_PATH: src.spec.path, RULEC_SIZE: String(bytes), RULEC_THRESHOLD: String(threshold) },
        at: this.replay ? this.lastLogTime : this.clock.now(),
      });
    }
  }

  /**
   * The index, in the batch of the `onLines` call in progress or last made, of the line being
   * read: the line an action submitted now was noticed on.
   */
  get lineIndex(): number {
    return this.at;
  }

  stats(): EngineStats {
    return {
      lines: this.sources.reduce((n, s) => n + s.lines, 0),
      matchErrors: this.matchErrors,
      sources: this.sources.map((s) => ({ path: s.spec.path, lines: s.lines, cutLines: s.cutLines, ...(this.replay ? { timeFormats: { ...s.timeFormats } } : {}) })),
      items: this.items.map((s) => s.stats()),
      abandoned: this.items.flatMap((st, i) => {
        const runners = [this.deadlines[i], this.longRunners[i], this.cutRunners[i]].filter((d) => d !== undefined);
        if (runners.length === 0) return [];
        const sum = (why: AbandonReason): number => runners.reduce((n, d) => n + d.abandoned[why], 0);
        return [{ item: st.spec.name, deadline: sum('deadline'), turnBudget: sum('turn-budget') }];
      }),
    };
  }

  private scan(src: SourceState, lines: readonly string[], from: number, arrival: number, readerCuts: readonly number[]): void {
    const items = this.items;
    const cap = src.lineCap;
    const prefilter = src.prefilter;
    const found = prefilter.found;
    const known = prefilter.matched;
    const replay = this.replay;
    const onMatch = this.onMatch;
    const allCaptures = this.allCaptures;
    let nextCut = 0;
    while (nextCut < readerCuts.length && (readerCuts[nextCut] as number) < from) nextCut++;
    for (let li = from; li < lines.length; li++) {
      this.at = li;
      const full = lines[li] as string;
      let line = full;
      let cut = readerCuts[nextCut] === li;
      if (cut) nextCut++;
      if (full.length * 3 > cap) {
        line = cutLine(full, cap);
        if (line !== full) cut = true;
      }
      if (cut) src.cutLines++;
      if (replay) this.advanceLogTime(line, src);
      const n = line === full ? prefilter.scanBatched(li, line) : prefilter.scan(line);
      for (let c = 0; c < n; c++) {
        const st = items[found[c] as number];
        if (st === undefined) continue;
        let text = line;
        let textCut = cut;
        const max = st.spec.lineMax;
        if (max > 0 && full.length * 3 > max) {
          // A prefix of `line` too, which is cut at the source's largest line_max.
          const shorter = cutLine(full, max);
          if (shorter !== full) {
            text = shorter;
            textCut = true;
          }
        }
        if (textCut) st.cutLines++;
        // A cut text is matched by the item's end-blind regex, when its regex has an end anchor.
        const blind = textCut ? st.spec.cut : undefined;
        const test = st.test === null || allCaptures ? null : (blind?.test ?? st.test);
        let captures: Captures | null = null;
        const index = found[c] as number;
        let deadline = this.deadlines[index];
        // A long line runs under the deadline whatever the pattern: the linear-time fallback
        // bounds the steps, not the time (~0.5 s on 64 KiB for `(\d+)\.(\d+)`-like shapes).
        if (deadline === undefined && text.length > LONG_LINE && (test === null || known[c] === 0 || textCut)) deadline = this.longRunners[index] ?? this.longLines(index, st);
        if (deadline !== undefined) {
          // A cut text that needs the end-blind regex has a runner of its own, asked about it alone.
          const m = blind !== undefined
            ? this.cutRunner(index, st, blind.match).exec(lines, li, text, () => text, never)
            : deadline.exec(lines, li, text, (j) => this.itemText(src, st, lines[j] as string), this.screens[index] ?? always);
          if (m === null || m === 'abandoned') continue;
          captures = m.captures;
        } else if (test !== null) {
          // The prefilter may already know (on the very text the regex would see, when it is whole).
          if ((known[c] === 0 || textCut) && !test(text)) continue;
        } else {
          const m = (blind?.match ?? st.spec.match)(text);
          if (m === null) continue;
          captures = m.captures;
        }
        st.matched++;
        if (onMatch !== null) onMatch(st.spec, text, captures, li);
        const t = st.logTime ? this.logTimeOf(text, st, src) : arrival;
        this.count(st, captures, text, textCut, t, arrival);
      }
    }
  }

  /** The deadline runner of item `index`'s end-blind regex. */
  private cutRunner(index: number, st: ItemState, match: (text: string) => MatchResult | null): RegexDeadline {
    let runner = this.cutRunners[index];
    if (runner === undefined) {
      runner = new RegexDeadline(match, (line, why) => this.abandon(st, line, why));
      this.cutRunners[index] = runner;
    }
    return runner;
  }

  /** The deadline runner item `index` uses on long lines only (its screen passes only those). */
  private longLines(index: number, st: ItemState): RegexDeadline {
    const runner = new RegexDeadline(st.spec.match, (line, why) => this.abandon(st, line, why));
    const screen = this.screens[index] ?? always;
    this.screens[index] = (text) => text.length > LONG_LINE && screen(text);
    this.longRunners[index] = runner;
    return runner;
  }

  /** The text `scan` gives item `st` for the full line `full` (cut at the source's cap, then at the item's line_max). */
  private itemText(src: SourceState, st: ItemState, full: string): string {
    const max = st.spec.lineMax;
    if (max > 0 && full.length * 3 > max) {
      const cut = cutLine(full, max);
      if (cut !== full) return cut;
    }
    return full.length * 3 > src.lineCap ? cutLine(full, src.lineCap) : full;
  }

  /** A line an item's regex gave up on: counted (by reason in the runner, in all for the item), logged (escaped by the logger) at 1, 2, 4, 8... */
  private abandon(st: ItemState, line: string, why: AbandonReason): void {
    const spec = st.spec;
    st.abandoned++;
    this.abandonedLines++;
    if ((this.abandonedLines & (this.abandonedLines - 1)) !== 0) return;
    const shown = line.length > ABANDONED_SHOWN ? `${line.slice(0, ABANDONED_SHOWN)}…(${line.length} chars)` : line;
    const reason = why === 'deadline' ? `its regex ran past the ${WINDOW_MS} ms deadline` : `guarded regexes used this turn's ${TURN_BUDGET_MS} ms`;
    this.log.warn(spec.name, `abandoned a line of ${spec.path}: ${reason} (${this.abandonedLines} abandoned so far): ${shown}`);
  }

  /** `captures` is null when the item was only tested: they are built here once it fires, if its action reads them. */
  private count(st: ItemState, captures: Captures | null, line: string, cut: boolean, t: number, arrival: number): void {
    const down = st.down;
    if (down !== null) {
      if (this.replay) {
        // A check due exactly at t counts this match: its window is (t − T, t].
        this.catchUp(st, t, false);
        down.record(t);
      } else {
        down.record(arrival);
      }
    }
    const action = st.spec.upboundAction;
    if (action === null) return;
    const table = st.table;
    const holdoff = st.holdoffMs;
    if (table !== null) {
      // Only tested items count under one key (see ItemState.test): an item with keys has its captures here.
      const slot = this.slotOf(st, table, captures ?? NO_CAPTURES);
      if (table.isHeld(slot, t)) {
        st.heldOff++;
        return;
      }
      if (!table.hit(slot, t)) return;
      if (holdoff > 0) table.holdUntil(slot, t + holdoff);
    } else {
      if (t < st.heldUntil) {
        st.heldOff++;
        return;
      }
      const window = st.window;
      if (window !== null && !window.hit(t)) return;
      if (holdoff > 0) st.heldUntil = t + holdoff;
    }
    st.upboundFires++;
    const match = cut ? (st.spec.cut?.match ?? st.spec.match) : st.spec.match;
    const fired = captures ?? (st.upboundReadsCaptures ? match(line)?.captures : undefined) ?? NO_CAPTURES;
    this.actions.submit({ item: st.spec, kind: 'upbound', spec: action, captures: fired, line, env: st.upEnv, at: t });
  }

  /** The slot of the key a match counts under: per `$N`, or per CRC-32 of `$0` (an item without keys has no table). */
  private slotOf(st: ItemState, table: WindowTable, captures: Captures): number {
    const key = st.spec.key;
    if (key.kind === 'capture') return table.slotFor(captures[key.index] ?? '');
    return table.slotFor(crcOf(captures[0] ?? ''));
  }

  /** The line's own time; without one, the source's last log time (0 before any), counted. */
  private logTimeOf(line: string, st: ItemState, src: SourceState): number {
    const spec = st.timeSpec;
    const time = this.timeOf(line, spec, src);
    if (time !== null) return time;
    st.untimedLines++;
    if (st.untimedLines === 1 && !this.replay) {
      this.log.warn(st.spec.name, 'a matched line carries no time the item can read (time_format); it counts at the last time read, or before any, in no window with later lines');
    }
    // Before the first stamp: an unknown past, not now (a later, older stamp would be clamped
    // to it and every match after would count as one burst).
    return src.lastTimes.get(spec) ?? 0;
  }

  /**
   * Replay: every line's time, matched or not, is the log's time from then on (an untimed match
   * takes it) and runs the down-bound checks due before it.
   */
  private advanceLogTime(line: string, src: SourceState): void {
    let stamped = false;
    // Every way of reading times on this source, so each has the log's last time for its items' untimed matches.
    for (const spec of src.timeSpecs) if (this.timeOf(line, spec, src) !== null) stamped = true;
    src.timeFormats[stamped ? formatOf(line) : 'none']++;
    if (stamped) for (const other of this.downItems) this.catchUp(other, this.logNow, false);
  }

  /** The time `line` carries read with `spec` (once per line and spec), noted as the source's last time. */
  private timeOf(line: string, spec: TimestampSpec, src: SourceState): number | null {
    if (line !== this.cacheLine || spec !== this.cacheSpec || src !== this.cacheSource) {
      this.cacheLine = line;
      this.cacheSpec = spec;
      this.cacheSource = src;
      this.cacheTime = parseLogTime(line, spec, this.clock.now(), src.lastTimes.get(spec));
      if (this.cacheTime !== null) {
        src.lastTimes.set(spec, this.cacheTime);
        this.noteLogTime(this.cacheTime);
      }
    }
    return this.cacheTime;
  }

  private noteLogTime(t: number): void {
    if (Number.isNaN(this.logNow) && this.replay) {
      for (const st of this.items) if (st.down !== null) st.downNext = t + st.down.windowMs;
    }
    this.lastLogTime = t;
    if (!(t <= this.logNow)) this.logNow = t;
  }

  /** Replay: runs every down-bound check due before log time `now` (or at it, when `inclusive`), in order. */
  private catchUp(st: ItemState, now: number, inclusive: boolean): void {
    const down = st.down;
    if (down === null || Number.isNaN(st.downNext)) return;
    for (let guard = 0; inclusive ? st.downNext <= now : st.downNext < now; guard++) {
      if (guard === MAX_CATCH_UP) {
        // The checks still due: at downNext + k·T before now (or at it, when inclusive).
        const behind = (now - st.downNext) / down.windowMs;
        const skipped = inclusive ? Math.floor(behind) + 1 : Math.ceil(behind);
        st.downboundSkipped += skipped;
        st.downNext += skipped * down.windowMs;
        return;
      }
      st.downNext = this.checkDown(st, st.downNext);
    }
  }

  /** Fires the down-bound if fewer than N matches fell in the window ending `now`; returns the next check time. */
  private checkDown(st: ItemState, now: number): number {
    const down = st.down;
    const action = st.spec.downboundAction;
    if (down === null || action === null) return Infinity;
    const count = down.countAt(now);
    if (count >= down.count) return down.nextShortfall(now);
    st.downboundFires++;
    this.actions.submit({
      item: st.spec, kind: 'downbound', spec: action, captures: NO_CAPTURES, line: '',
      env: { RULEC_ITEM: st.spec.name, RULEC_COUNT: String(count), RULEC_WINDOW: String(down.windowMs / 1000) },
      at: now,
    });
    return now + down.windowMs;
  }

  private arm(st: ItemState, atMs: number): void {
    this.timers.set(st, this.clock.setTimer(atMs, () => {
      this.timers.delete(st);
      if (this.stopped) return;
      this.arm(st, this.checkDown(st, this.clock.now()));
    }));
  }
}
