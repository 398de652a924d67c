import type { ActionRequest, ActionSink, FireKind } from '../actions/action-sink.js';
import { actionEnv, fillArgv } from '../actions/fill-argv.js';
import { ManualClock } from '../clock/manual-clock.js';
import { firstYears } from '../clock/first-year.js';
import type { StampFormat } from '../clock/timestamp.js';
import type { Captures, ItemSpec, RuleModule, TimestampSpec } from '../contract.js';
import { sourceLineCap } from '../engine/cut-line.js';
import { Engine } from '../engine/engine.js';
import { keyText, type ItemStats } from '../engine/item-state.js';
import { Logger } from '../log/logger.js';
import type { AsciiLineBytes } from '../sources/tail/types.js';

/** A line an item matched; `line` counts from 1. */
export interface MatchEvent {
  readonly type: 'match';
  readonly item: string;
  readonly line: number;
  /** The counting key (`$N`, or the CRC-32 of `$0` in hex); null for items counted as one. */
  readonly key: string | null;
  /** The match's captures when the run was asked for them (`captures`), else null. */
  readonly captures: Captures | null;
}

/** An action that would run. `time` is the log time (ms) under replay, else null. */
export interface FireEvent {
  readonly type: 'fire';
  readonly item: string;
  readonly kind: FireKind;
  /** The line being read when it fired (for down-bound and size: when it was noticed). */
  readonly line: number;
  readonly key: string | null;
  readonly time: number | null;
  readonly argv: readonly string[];
  /**
   * The variables the action would get on top of rulec's environment: RULEC_ITEM and its
   * kind's own, and for a `shell = true` action the captures (RULEC_0..) and RULEC_LINE.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Whether it would run under /bin/sh (captures then only in `env`). */
  readonly shell: boolean;
}

/** A line no item with a regex matched (with `missed` on), once every item has seen it. */
export interface MissedEvent {
  readonly type: 'missed';
  readonly line: number;
  readonly text: string;
}

export type DryRunEvent = MatchEvent | FireEvent | MissedEvent;

/** Options of a dry run. */
export interface DryRunOptions {
  /** Count windows in the lines' own time (and report it), as `rulec test --replay`. */
  readonly replay: boolean;
  /** Start of the manual clock; also the "now" that year-less stamps are placed before. */
  readonly startMs: number;
  readonly onEvent: (event: DryRunEvent) => void;
  /** Report each match as a `match` event (its key is counted in the summary either way). */
  readonly matches?: boolean;
  /** Report each line no item matched as a `missed` event. */
  readonly missed?: boolean;
  /** Build the captures of every match for its event (slower: no match is only tested). */
  readonly captures?: boolean;
}

/** Lines of the log by the format of their time (`none`: no time the items read). */
export type TimeFormatCounts = Record<StampFormat | 'none', number>;

/** One item's counters, with what `rulec test` adds. */
export interface DryRunItem extends ItemStats {
  /** No regex of its own: it counts every line and is not counted as matching any. */
  readonly everyLine: boolean;
  /** Distinct counting keys of its matches, up to a bound (see `keysExact`). */
  readonly distinctKeys: number;
  /** False when the bound on remembered keys was reached: `distinctKeys` is then a floor. */
  readonly keysExact: boolean;
}

/** What a dry run found, as fail2ban-regex sums it up. */
export interface DryRunSummary {
  /** Lines read, comment lines included. */
  readonly lines: number;
  /** Lines starting with `#`: notes in a sample log, skipped. */
  readonly comments: number;
  /** Lines some item with a regex matched. */
  readonly matched: number;
  /** The other lines, comments aside. */
  readonly missed: number;
  /** Lines longer than the largest `line_max` of the items reading them, cut to it. */
  readonly cutLines: number;
  /**
   * Under replay, lines by the format their time was read in, as the items read times (for
   * items on several paths, the path whose items read the most); null without replay.
   */
  readonly timeFormats: Readonly<TimeFormatCounts> | null;
  readonly items: readonly DryRunItem[];
}

/** A batch of lines as `LineStream` yields it. */
export interface DryRunBatch {
  readonly lines: readonly string[];
  /** Indices of the lines the reader cut (at `DryRun.readLineMax`). */
  readonly cut?: readonly number[];
  /** The log's size in bytes once these lines are read (for size thresholds). */
  readonly endOffset: number;
  readonly ascii?: AsciiLineBytes | null;
}

/**
 * Distinct keys remembered over all items of a run: enough for any sample log, and a log with
 * millions of keys does not hold them all (its count is then a floor).
 */
const KEY_BUDGET = 100_000;
const HASH = 0x23;
const NONE: readonly number[] = [];

/**
 * Runs a rule module over a log without executing anything (`rulec test`): every item reads
 * these lines instead of its path. Batches go through the daemon's own batch entry
 * (`Engine.onLines`, one call per source, with the reader's cuts) on a manual clock, or in log
 * time with `replay`; matches, fires and missed lines are reported as they happen, and memory
 * does not grow with the log's length.
 */
export class DryRun {
  private readonly engine: Engine;
  private readonly module: RuleModule;
  /** Per item (by its spec): the distinct keys seen, or null for an item counted as one. */
  private readonly keySets: Map<ItemSpec, Set<string> | null>;
  private keysKept = 0;
  private keysOver = false;
  private lineNo = 0;
  private comments = 0;
  private matched = 0;
  private missed = 0;
  /** Per line of the batch being read: whether some item with a regex matched it. */
  private hits = new Uint8Array(4096);
  /** The batch's file line numbers (from 1), when comment lines were taken out of it. */
  private numbers: Int32Array | null = null;
  private batchStart = 0;

  constructor(module: RuleModule, private readonly options: DryRunOptions) {
    this.module = module;
    const clock = new ManualClock(options.startMs);
    const sink: ActionSink = { submit: (request) => this.fired(request) };
    this.keySets = new Map(module.items.map((item) => [item, item.key.kind === 'none' ? null : new Set<string>()]));
    // Engine messages (matcher errors) are its own business here; the report says what matched.
    this.engine = new Engine(module, {
      clock,
      actions: sink,
      log: new Logger({ level: 'error' }),
      replay: options.replay,
      captures: options.captures === true,
      onMatch: (item, _line, captures, index) => this.onMatch(item, captures, index),
    });
    this.engine.start();
  }

  /** The bytes a line of the log is cut to when it is read for `module`: the largest `line_max` of its items. */
  static readLineMax(module: RuleModule): number {
    return Math.max(...module.sources.map((source) => sourceLineCap(source.items.flatMap((i) => module.items[i] ?? []))), 16);
  }

  /** Reads one batch of lines (without their line breaks), next in the log. */
  feed(batch: DryRunBatch): void {
    const all = batch.lines;
    this.batchStart = this.lineNo;
    this.lineNo += all.length;
    let lines = all;
    let cut = batch.cut ?? NONE;
    let ascii = batch.ascii ?? null;
    this.numbers = null;
    for (let i = 0; i < all.length; i++) {
      if ((all[i] as string).charCodeAt(0) === HASH) {
        ({ lines, cut, ascii } = this.withoutComments(all, cut, ascii));
        break;
      }
    }
    if (this.hits.length < lines.length) this.hits = new Uint8Array(lines.length * 2);
    const hits = this.hits;
    hits.fill(0, 0, lines.length);
    for (let s = 0; s < this.module.sources.length; s++) {
      this.engine.onLines(s, lines, ascii, cut);
      this.engine.onSize(s, batch.endOffset);
    }
    let matched = 0;
    for (let i = 0; i < lines.length; i++) {
      if (hits[i] === 1) {
        matched++;
      } else if (this.options.missed === true) {
        this.options.onEvent({ type: 'missed', line: this.lineOf(i), text: lines[i] as string });
      }
    }
    this.matched += matched;
    this.missed += lines.length - matched;
  }

  /** Ends the run (replay: the down-bound checks due by the last log time) and sums it up. */
  finish(): DryRunSummary {
    if (this.options.replay) this.engine.endReplay();
    this.engine.stop();
    const stats = this.engine.stats();
    const items = stats.items.map((item, i): DryRunItem => {
      const spec = this.module.items[i];
      const keys = spec === undefined ? null : (this.keySets.get(spec) ?? null);
      return {
        ...item,
        everyLine: spec?.everyLine === true,
        distinctKeys: keys === null ? (item.matched > 0 ? 1 : 0) : keys.size,
        keysExact: keys === null || !this.keysOver,
      };
    });
    return {
      lines: this.lineNo,
      comments: this.comments,
      matched: this.matched,
      missed: this.missed,
      cutLines: Math.max(0, ...stats.sources.map((s) => s.cutLines)),
      timeFormats: mostRead(stats.sources.map((s) => s.timeFormats)),
      items,
    };
  }

  /** The batch without its comment lines, which are counted; the line numbers of the rest are kept. */
  private withoutComments(all: readonly string[], cut: readonly number[], ascii: AsciiLineBytes | null): { lines: string[]; cut: number[]; ascii: AsciiLineBytes | null } {
    const lines: string[] = [];
    const kept: number[] = [];
    const cuts = new Set(cut);
    const keptCut: number[] = [];
    const starts = ascii === null ? null : new Int32Array(all.length);
    const ends = ascii === null ? null : new Int32Array(all.length);
    for (let i = 0; i < all.length; i++) {
      const line = all[i] as string;
      if (line.charCodeAt(0) === HASH) {
        this.comments++;
        continue;
      }
      if (cuts.has(i)) keptCut.push(lines.length);
      if (ascii !== null && starts !== null && ends !== null) {
        starts[lines.length] = ascii.starts[i] as number;
        ends[lines.length] = ascii.ends[i] as number;
      }
      kept.push(this.batchStart + i + 1);
      lines.push(line);
    }
    this.numbers = Int32Array.from(kept);
    return { lines, cut: keptCut, ascii: ascii === null || starts === null || ends === null ? null : { bytes: ascii.bytes, starts, ends } };
  }

  /** The file line number (from 1) of line `index` of the batch fed to the engine. */
  private lineOf(index: number): number {
    return this.numbers === null ? this.batchStart + index + 1 : (this.numbers[index] ?? this.lineNo);
  }

  private onMatch(item: ItemSpec, captures: Captures | null, index: number): void {
    // An item without a regex "matches" every line: not what a rule is about.
    if (item.everyLine === true) return;
    this.hits[index] = 1;
    const key = captures === null ? null : keyText(item, captures);
    if (key !== null && !this.keysOver) {
      const keys = this.keySets.get(item);
      if (keys !== null && keys !== undefined && !keys.has(key)) {
        if (this.keysKept === KEY_BUDGET) this.keysOver = true;
        else {
          keys.add(key);
          this.keysKept++;
        }
      }
    }
    if (this.options.matches === true) this.options.onEvent({ type: 'match', item: item.name, line: this.lineOf(index), key, captures: this.options.captures === true ? captures : null });
  }

  private fired(request: ActionRequest): void {
    const { item, kind } = request;
    const key = kind === 'upbound' ? keyText(item, request.captures) : null;
    const at = request.at;
    // Replayed lines before the first stamp count at time 0, an unknown past: no time to show.
    const time = this.options.replay && at !== undefined && at > 0 ? at : null;
    const argv = fillArgv(request.spec, request.captures, request.line);
    const env = actionEnv(request.spec, request.captures, request.line, request.env);
    this.options.onEvent({ type: 'fire', item: item.name, kind, line: this.lineOf(this.engine.lineIndex), key, time, argv, env, shell: request.spec.shell });
  }
}

/** The counts of the source whose items read the most times (null: none were read, not under replay). */
function mostRead(counts: readonly (Readonly<TimeFormatCounts> | undefined)[]): TimeFormatCounts | null {
  let best: Readonly<TimeFormatCounts> | null = null;
  const read = (c: Readonly<TimeFormatCounts>): number => c.syslog + c.iso8601 + c.epoch;
  for (const c of counts) if (c !== undefined && (best === null || read(c) > read(best))) best = c;
  return best === null ? null : { ...best };
}

/**
 * `module` with the year its year-less stamps begin in set (as `time_year` would) where the log
 * in the file `fd`, read from its first stamp on, would end after `writtenAt`, its last write:
 * see `firstYears`. Only items that read log time (`replay`, or `clock = log`) need it.
 */
export function placeBeforeWrite(module: RuleModule, fd: number, writtenAt: number, replay: boolean): RuleModule {
  const reading = module.items.filter((item) => replay || item.clock === 'log');
  const keyOfSpec = (t: TimestampSpec): string => `${t.format}\n${t.zone ?? ''}\n${t.year ?? ''}`;
  const specs = new Map(reading.map((item) => [keyOfSpec(item.timestamp), item.timestamp]));
  const years = firstYears(fd, [...specs.values()], writtenAt);
  if (years.size === 0) return module;
  const pinned = new Map([...years].map(([spec, year]) => [keyOfSpec(spec), { ...spec, year }]));
  const items = module.items.map((item) => {
    const timestamp = pinned.get(keyOfSpec(item.timestamp));
    return timestamp === undefined ? item : { ...item, timestamp };
  });
  return { ...module, items };
}
