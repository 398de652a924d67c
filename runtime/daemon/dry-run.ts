import type { ActionRequest, ActionSink, FireKind } from '../actions/action-sink.js';
import { actionEnv, fillArgv } from '../actions/fill-argv.js';
import { ManualClock } from '../clock/manual-clock.js';
import type { Captures, ItemSpec, RuleModule } from '../contract.js';
import { cutLine, sourceLineCap } from '../engine/cut-line.js';
import { decodeCut } from '../sources/tail/line-splitter.js';
import { Engine } from '../engine/engine.js';
import { crcOf, type ItemStats } from '../engine/item-state.js';
import { Logger } from '../log/logger.js';
import { Prefilter } from '../prefilter/prefilter.js';

/** A line an item matched; `line` counts from 1. */
export interface MatchEvent {
  readonly type: 'match';
  readonly item: string;
  readonly line: number;
  /** The counting key (`$N`, or the CRC-32 of `$0` in hex); null for items counted as one. */
  readonly key: string | null;
  readonly captures: Captures;
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

export type DryRunEvent = MatchEvent | FireEvent;

/** Options of a dry run. */
export interface DryRunOptions {
  /** Count windows in the lines' own time (and report it), as `rulec test --replay`. */
  readonly replay: boolean;
  /** Start of the manual clock; also the "now" that year-less stamps are placed before. */
  readonly startMs: number;
  readonly onEvent: (event: DryRunEvent) => void;
}

/**
 * Runs a rule module over log lines without executing anything (`rulec test`): every item
 * reads these lines instead of its path, the Engine counts on a manual clock (or in log time
 * with `replay`), and fired actions are reported with the argv they would have run.
 */
export class DryRun {
  private readonly engine: Engine;
  private readonly clock: ManualClock;
  private readonly prefilters: readonly Prefilter[];
  /** Per source: the bytes of a line its reader would keep (the largest `line_max` of its items). */
  private readonly readCaps: readonly number[];
  private lineNo = 0;
  private bytes = 0;
  private missed = 0;

  constructor(private readonly module: RuleModule, private readonly options: DryRunOptions) {
    this.clock = new ManualClock(options.startMs);
    this.prefilters = module.sources.map((source) => new Prefilter(source.items, source.literals));
    this.readCaps = module.sources.map((source) => sourceLineCap(source.items.flatMap((i) => module.items[i] ?? [])));
    const sink: ActionSink = { submit: (request) => this.fired(request) };
    // Engine messages (matcher errors) are its own business here; the report says what matched.
    this.engine = new Engine(module, { clock: this.clock, actions: sink, log: new Logger({ level: 'error' }), replay: options.replay });
    this.engine.start();
  }

  /**
   * Feeds one line (without its line break); returns true when some item matched it. Given as
   * bytes, it is cut for each source as that path's reader would cut it (at the largest
   * `line_max` of its items), then decoded. `endOffset` is the log's size in bytes once this
   * line is read, for size thresholds; without it, the line's UTF-8 length and a newline are
   * counted.
   */
  feed(input: string | Buffer, endOffset?: number): boolean {
    this.lineNo++;
    this.bytes = endOffset ?? this.bytes + (typeof input === 'string' ? Buffer.byteLength(input) : input.length) + 1;
    const texts = typeof input === 'string'
      ? this.readCaps.map(() => input)
      : this.readCaps.map((cap) => (input.length > cap ? decodeCut(input.subarray(0, cap), input[cap]) : input.toString('utf8')));
    let matched = false;
    // The prefilter's candidates are a superset of the items that match; each item is in one source.
    for (const [s, prefilter] of this.prefilters.entries()) {
      const line = texts[s]!;
      for (const index of prefilter.candidates(line)) {
        const item = this.module.items[index];
        if (item === undefined || item.everyLine === true) continue;
        const text = item.lineMax > 0 ? cutLine(line, item.lineMax) : line;
        const m = item.match(text);
        if (m === null) continue;
        matched = true;
        this.options.onEvent({ type: 'match', item: item.name, line: this.lineNo, key: keyOf(item, m.captures), captures: m.captures });
      }
    }
    if (!matched) this.missed++;
    for (let s = 0; s < this.module.sources.length; s++) {
      this.engine.onLines(s, [texts[s]!]);
      this.engine.onSize(s, this.bytes);
    }
    return matched;
  }

  /** Per-item counters, lines read and lines no item matched. */
  finish(): { lines: number; missed: number; items: readonly ItemStats[] } {
    if (this.options.replay === true) this.engine.endReplay();
    this.engine.stop();
    return { lines: this.lineNo, missed: this.missed, items: this.engine.stats().items };
  }

  private fired(request: ActionRequest): void {
    const { item, kind } = request;
    const key = kind === 'upbound' ? keyOf(item, request.captures) : null;
    const at = request.at;
    // Replayed lines before the first stamp count at time 0, an unknown past: no time to show.
    const time = this.options.replay && at !== undefined && at > 0 ? at : null;
    const argv = fillArgv(request.spec, request.captures, request.line);
    const env = actionEnv(request.spec, request.captures, request.line, request.env);
    this.options.onEvent({ type: 'fire', item: item.name, kind, line: this.lineNo, key, time, argv, env, shell: request.spec.shell });
  }
}

/** The key an item counts a match under, as text. */
function keyOf(item: ItemSpec, captures: Captures): string | null {
  const key = item.key;
  if (key.kind === 'none') return null;
  if (key.kind === 'crc') return crcOf(captures[0] ?? '').toString(16).padStart(8, '0');
  return captures[key.index] ?? '';
}
