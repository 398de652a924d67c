/**
 * Decides which lines a `watch` block reports: those that no ignore matches (an `ignore` line,
 * a `do ignore` group, a pattern of an `ignore_from` list), and, when the block has filters,
 * that some filter matches. Groups AND their operands; everything else is OR-ed.
 *
 * With logcheck's lists a block has well over a thousand patterns, so they are not tried one by
 * one: each pattern (and each group with a known literal) is keyed by a string every match of
 * it holds, chosen by how rarely the log holds it (key-choice.ts), and the shared prefilter
 * (runtime/prefilter) finds the few patterns whose key a line holds in one pass over it, probing
 * the bytes of a batch of ASCII lines in WebAssembly. A candidate then checks the other strings
 * its matches must hold (`includes`), and only then runs its regex. Most lines have no candidate.
 *
 * No line stalls a report: a regex outside V8's linear-time engine (a back reference, a
 * lookaround the compiler could not rewrite) runs under the per-line deadline
 * (runtime/engine/regex-deadline.ts), and so does every regex on a line longer than LONG_LINE,
 * where even the linear engine takes long. A test abandoned there decides nothing: the line is
 * reported (an ignore that could not decide does not ignore it, a filter that could not decide
 * lets it through), and counted in `unjudged`.
 *
 * A line the reader cut at `line_max` ends where the line does not (runtime/engine/cut-line.ts):
 * an end anchor never matches it (each pattern's `cut` form), and only what its kept text proves
 * counts. It is ignored only when an ignore matches it without its end and without a negated
 * operand (`!~` cannot be proved on part of a line), and a filter drops it only when a negated
 * operand of every filter group matches it; else it is reported, so that a long line cannot hide
 * behind a `$`-anchored ignore. Cut lines are long: every test on them runs under the deadline.
 */
import { endBlind } from '../../engine/cut-line.js';
import { LONG_LINE, RegexDeadline } from '../../engine/regex-deadline.js';
import { Prefilter } from '../../prefilter/prefilter.js';
import type { AsciiLineBytes } from '../tail/types.js';
import type { ListPattern } from './ignore-lists.js';
import { chooseKey, GramSample } from './key-choice.js';

/** One `=~`/`!~` test. */
export interface JudgeOperand {
  readonly negated: boolean;
  readonly test: (line: string) => boolean;
  /** The test for a line cut at line_max, when the regex has an end anchor (endBlind); absent: `test` serves. */
  readonly cut?: (line: string) => boolean;
  /** Strings every match of the regex holds, all of them (ASCII lower case when it ignores case); absent: none known. */
  readonly literals?: readonly string[];
  /** The regex is outside V8's linear-time engine: it runs under the per-line deadline. */
  readonly deadline?: boolean;
}

/** Operands that must all hold. */
export interface JudgeGroup {
  readonly operands: readonly JudgeOperand[];
}

/** A regex's answer: it matched, it did not, or it ran past its deadline and was abandoned. */
type Verdict = boolean | 'abandoned';

/**
 * Entry `k`: a group of the block, or a list pattern (matched against the line without trailing
 * blanks). `options` are the keys it may be found by (each a set of strings, one of which every
 * line it matches holds); `guarded` when some regex of it runs under the deadline on every line.
 */
type Entry =
  | { readonly kind: 'group'; readonly group: JudgeGroup; readonly options: readonly (readonly string[])[]; readonly guarded: boolean }
  | {
      readonly kind: 'list';
      readonly regex: RegExp;
      /** The regex for a cut line (endBlind), null when it has no end anchor. */
      readonly cut: RegExp | null;
      /** Tried before a guarded regex: a line it does not match, the regex does not either (CompiledEre.screen). */
      readonly screen: RegExp | null;
      readonly required: readonly string[];
      readonly options: readonly (readonly string[])[];
      readonly guarded: boolean;
    };

/** Characters of the log's first lines the keys are chosen by. */
const SAMPLE_CHARS = 256 * 1024;
const MATCHED = { captures: [] as string[] };

/** logcheck strips trailing whitespace (`sed 's/[[:space:]]\+$//'`) before its lists see a line. */
function withoutTrailingSpace(line: string): string {
  let end = line.length;
  for (; end > 0; end--) {
    const c = line.charCodeAt(end - 1);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) break;
  }
  return end === line.length ? line : line.slice(0, end);
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * A line with its non-ASCII characters replaced, for the prefilter's byte scan: an ASCII key
 * occurs in it exactly where it occurs in the line. The two characters the prefilter's case fold
 * maps onto ASCII letters (ſ, K) become those letters; the rest NUL, which no key holds.
 */
function asciiProbe(line: string): string {
  return line.replace(/[^\x00-\x7f]/g, (c) => (c === '\u017f' ? 's' : c === '\u212a' ? 'k' : '\0'));
}

/**
 * Key strings shorter than this are not given to the prefilter: more than a few of them turn
 * its gram index off, and any one makes it probe more often on every line (runtime/prefilter).
 * One native test of them all settles, on most lines, every entry they key.
 */
const SHORT_KEY = 6;

const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/** A case-insensitive test for any of `texts` (the prefilter's keys compare case-folded too); null for none. */
function anyOf(texts: readonly string[]): RegExp | null {
  const all = [...new Set(texts)];
  return all.length === 0 ? null : new RegExp(all.map((text) => text.replace(SYNTAX, '\\$&')).join('|'), 'i');
}

/** The prefilter, once the keys are chosen, and what it maps back to. */
interface Keyed {
  readonly prefilter: Prefilter;
  /** Prefilter item j → entry. */
  readonly entryOf: Int32Array;
  /** Entries with no key: every line tries them. */
  readonly always: Int32Array;
  /** Entries some of whose key strings are short, with a test for those strings. */
  readonly short: Int32Array;
  readonly shortTests: readonly RegExp[];
  /** Finds whether a line holds any of the short strings, in one native test; null when there are none. */
  readonly anyShort: RegExp | null;
  /** By entry: a test for its key (null: none), so that a deadline window computes only lines it will be asked about. */
  readonly keyTests: readonly (RegExp | null)[];
  /**
   * By entry: the strings a list pattern's matches must hold that a line is checked for before
   * its regex runs, rarest first; not its key, which the line was found by.
   */
  readonly checks: readonly (readonly string[])[];
  /** Every key is ASCII, so a line that is not can be probed as `asciiProbe` of it. */
  readonly asciiKeys: boolean;
}

/** Growable pairs of numbers (line, entry) waiting for a guarded regex. */
class Pairs {
  lines: Int32Array = new Int32Array(1024);
  entries: Int32Array = new Int32Array(1024);
  count = 0;

  push(line: number, entry: number): void {
    if (this.count === this.lines.length) {
      const grow = (from: Int32Array): Int32Array => {
        const to = new Int32Array(from.length * 2);
        to.set(from);
        return to;
      };
      this.lines = grow(this.lines);
      this.entries = grow(this.entries);
    }
    this.lines[this.count] = line;
    this.entries[this.count++] = entry;
  }
}

/** What the first pass over a line found. */
const IGNORED = 0;
const REPORTED = 1;
/** Only guarded regexes are left to decide it (`judgeBatch`'s second pass); reported unless one ignores it. */
const PENDING = 2;

/** Which lines a watch block reports; see the file comment. */
export class LineJudge {
  private readonly entries: Entry[] = [];
  private keyed: Keyed | null = null;
  private readonly seen: Uint32Array;
  private stamp = 0;
  /** The lines the deadline runners of long lines and filters see (a batch, or one line). */
  private lines: readonly string[] = [];
  /** Deadline runners by entry (or -1 - g for filter g) and operand (a list pattern's is 0), made when first needed. */
  private readonly runners = new Map<number, RegexDeadline[]>();
  /** The same for the `cut` forms of the tests, on cut lines. */
  private readonly cutRunners = new Map<number, RegexDeadline[]>();
  /** The line being judged was cut at line_max. */
  private cutNow = false;
  private abandonedNow = false;
  private states = new Uint8Array(4096);
  /** By line of the batch: a test on it was abandoned (counted in `unjudged` if it is reported). */
  private unsure = new Uint8Array(4096);
  private readonly pending = new Pairs();
  /** When the first pass defers guarded entries (a batch) rather than running them at once (one line). */
  private deferring = false;
  /** Lines reported because a regex ran past its deadline on them (see the file comment). */
  unjudged = 0;

  constructor(
    ignore: readonly JudgeGroup[],
    private readonly filter: readonly JudgeGroup[],
    lists: readonly ListPattern[] = [],
  ) {
    for (const group of ignore) {
      const options = group.operands.flatMap((operand) => (operand.negated ? [] : (operand.literals ?? []).map((text) => [text])));
      this.entries.push({ kind: 'group', group, options, guarded: group.operands.some((operand) => operand.deadline === true) });
    }
    for (const pattern of lists) {
      const options = [...pattern.required.map((text) => [text]), ...(pattern.literals === null ? [] : [pattern.literals])];
      const blind = endBlind(pattern.regex.source);
      const cut = blind === null ? null : new RegExp(blind, pattern.regex.flags);
      this.entries.push({ kind: 'list', regex: pattern.regex, cut, screen: pattern.screen, required: pattern.required, options, guarded: pattern.deadline });
    }
    this.seen = new Uint32Array(this.entries.length);
  }

  /** Number of ignore tests (groups and list patterns). */
  get size(): number {
    return this.entries.length;
  }

  /** Chooses every entry's key by the sample and builds the prefilter; once. */
  private keys(sample: readonly string[]): Keyed {
    if (this.keyed !== null) return this.keyed;
    const grams = new GramSample(sample);
    const items: { entry: number; key: string }[] = [];
    const always: number[] = [];
    const short: number[] = [];
    const shortTests: RegExp[] = [];
    const shortTexts: string[] = [];
    const keyTests: (RegExp | null)[] = [];
    const checks: (readonly string[])[] = [];
    this.entries.forEach((entry, k) => {
      const key = chooseKey(entry.options, grams);
      keyTests.push(key === null ? null : anyOf(key));
      const found = key?.length === 1 ? key[0] : undefined;
      checks.push(entry.kind === 'list' ? entry.required.filter((text) => text !== found).sort((a, b) => grams.bound(a) - grams.bound(b) || 0) : []);
      if (key === null) return void always.push(k);
      // Long strings of a key go to the prefilter; the short ones are tested natively.
      for (const text of key) if (text.length >= SHORT_KEY) items.push({ entry: k, key: text });
      const shortOnes = key.filter((text) => text.length < SHORT_KEY);
      if (shortOnes.length > 0) {
        short.push(k);
        shortTests.push(anyOf(shortOnes)!);
        shortTexts.push(...shortOnes);
      }
    });
    const prefilter = new Prefilter(
      items.map((_, j) => j),
      items.map((item) => item.key),
    );
    this.keyed = {
      prefilter,
      entryOf: Int32Array.from(items, (item) => item.entry),
      always: Int32Array.from(always),
      short: Int32Array.from(short),
      shortTests,
      anyShort: anyOf(shortTexts),
      keyTests,
      checks,
      asciiKeys: items.every((item) => isAscii(item.key)),
    };
    return this.keyed;
  }

  /**
   * Judges a batch of lines (as the block sees them: trimmed when it trims), with their bytes
   * when the reader has them; writes the indices of the lines it reports into `picked`, in
   * order, and returns how many. First every line is judged by all but the guarded regexes,
   * then each guarded regex runs once over the lines still waiting for it, under one deadline
   * window for as many of them as fit in it. `cut`: the indices, in order, of the lines the
   * reader cut at line_max (see the file comment).
   */
  judgeBatch(lines: readonly string[], ascii: AsciiLineBytes | null, picked: Int32Array, cut: readonly number[] = []): number {
    if (this.keyed === null) {
      const sample: string[] = [];
      let chars = 0;
      for (let k = 0; k < lines.length && chars < SAMPLE_CHARS; k++) {
        sample.push(lines[k]!);
        chars += lines[k]!.length;
      }
      this.keys(sample);
    }
    const keyed = this.keyed!;
    if (this.states.length < lines.length) {
      this.states = new Uint8Array(lines.length);
      this.unsure = new Uint8Array(lines.length);
    }
    const states = this.states;
    const unsure = this.unsure;
    this.lines = lines;
    this.deferring = true;
    this.pending.count = 0;
    const prefilter = keyed.prefilter;
    prefilter.beginBatch(ascii, lines.length);
    try {
      let nextCut = 0;
      for (let k = 0; k < lines.length; k++) {
        const line = lines[k]!;
        const hits = ascii !== null && ascii.starts[k] !== -1 ? prefilter.scanBatched(k, line) : this.scanOne(keyed, line);
        this.abandonedNow = false;
        this.cutNow = cut[nextCut] === k;
        if (this.cutNow) nextCut++;
        states[k] = this.decide(keyed, k, line, hits);
        unsure[k] = this.abandonedNow ? 1 : 0;
      }
    } finally {
      prefilter.endBatch();
      this.deferring = false;
      this.cutNow = false;
    }
    if (this.pending.count > 0) this.settlePending(lines);
    let count = 0;
    for (let k = 0; k < lines.length; k++) {
      if (states[k] === IGNORED) continue;
      picked[count++] = k;
      this.unjudged += unsure[k]!;
    }
    this.lines = [];
    return count;
  }

  /** True when the block reports `line` (`cut`: the reader cut it at line_max). */
  unusual(line: string, cut = false): boolean {
    const keyed = this.keys([]);
    this.lines = [line];
    this.abandonedNow = false;
    this.cutNow = cut;
    try {
      const reported = this.decide(keyed, 0, line, this.scanOne(keyed, line)) === REPORTED;
      if (reported && this.abandonedNow) this.unjudged++;
      return reported;
    } finally {
      this.lines = [];
      this.cutNow = false;
    }
  }

  private scanOne(keyed: Keyed, line: string): number {
    // Keeps a line that is not ASCII on the byte scan: the automaton the prefilter would build
    // for it takes longer, with thousands of keys, than all the lines of a typical report.
    return keyed.prefilter.scan(keyed.asciiKeys && !isAscii(line) ? asciiProbe(line) : line);
  }

  /** IGNORED, REPORTED, or PENDING when only deferred guarded entries could still ignore it. */
  private decide(keyed: Keyed, k: number, line: string, hits: number): number {
    const cut = this.cutNow;
    const long = cut || line.length > LONG_LINE;
    if (this.filter.length > 0) {
      const passes = cut ? this.filter.some((group, g) => this.mayHoldCut(-1 - g, group, k, line)) : this.filter.some((group, g) => this.holds(-1 - g, group, k, line, long) !== false);
      if (!passes) return IGNORED;
    }
    const stamp = (this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1);
    if (stamp === 1) this.seen.fill(0);
    const pendingBefore = this.pending.count;
    const found = keyed.prefilter.found;
    const entryOf = keyed.entryOf;
    for (let h = 0; h < hits; h++) {
      const e = entryOf[found[h]!]!;
      if (this.seen[e] === stamp) continue;
      this.seen[e] = stamp;
      if (this.ignores(e, k, line, long)) return this.drop(pendingBefore);
    }
    // Usually no short key is in the line: one test settles every entry that has one.
    if (keyed.anyShort !== null && keyed.anyShort.test(line)) {
      const short = keyed.short;
      for (let s = 0; s < short.length; s++) {
        const e = short[s]!;
        if (this.seen[e] === stamp || !keyed.shortTests[s]!.test(line)) continue;
        this.seen[e] = stamp;
        if (this.ignores(e, k, line, long)) return this.drop(pendingBefore);
      }
    }
    const always = keyed.always;
    for (let a = 0; a < always.length; a++) if (this.ignores(always[a]!, k, line, long)) return this.drop(pendingBefore);
    return this.pending.count > pendingBefore ? PENDING : REPORTED;
  }

  /** The line is ignored: what it was waiting for need not run. */
  private drop(pendingBefore: number): number {
    this.pending.count = pendingBefore;
    return IGNORED;
  }

  /**
   * Whether entry `e` ignores line `k` (`line`); a test it could not finish ignores nothing.
   * A guarded entry, in a batch, is left to `settlePending` (false here).
   */
  private ignores(e: number, k: number, line: string, long: boolean): boolean {
    const entry = this.entries[e]!;
    if (entry.kind === 'list') {
      const required = this.keyed!.checks[e]!;
      for (let r = 0; r < required.length; r++) if (!line.includes(required[r]!)) return false;
      if (entry.screen !== null && !long && !entry.screen.test(withoutTrailingSpace(line))) return false;
    }
    if (entry.guarded && !long && this.deferring) {
      this.pending.push(k, e);
      return false;
    }
    return this.ignoresNow(e, k, line, long, this.lines);
  }

  /** `ignores` run now; guarded regexes see `lines[k]` among `lines`. */
  private ignoresNow(e: number, k: number, line: string, long: boolean, lines: readonly string[]): boolean {
    const entry = this.entries[e]!;
    if (this.cutNow) return this.ignoresCut(e, k, line, lines);
    if (entry.kind === 'group') return this.holds(e, entry.group, k, line, long, lines) === true;
    const text = withoutTrailingSpace(line);
    if (!entry.guarded && !long) return entry.regex.test(text);
    const regex = entry.regex;
    return this.guarded(e, 0, (t) => regex.test(t), lines, k, text, withoutTrailingSpace, entry.guarded) === true;
  }

  /** Whether entry `e` ignores the cut line `k`: only by what its kept text proves (see the file comment). */
  private ignoresCut(e: number, k: number, line: string, lines: readonly string[]): boolean {
    const entry = this.entries[e]!;
    if (entry.kind === 'list') {
      const regex = entry.cut ?? entry.regex;
      return this.guarded(e, 0, (t) => regex.test(t), lines, k, withoutTrailingSpace(line), withoutTrailingSpace, true, this.cutRunners) === true;
    }
    const operands = entry.group.operands;
    // A negated operand holds only if its regex matches nowhere in the whole line, which part of it cannot show.
    if (operands.some((operand) => operand.negated)) return false;
    for (let o = 0; o < operands.length; o++) {
      if (this.guarded(e, o, operands[o]!.cut ?? operands[o]!.test, lines, k, line, null, true, this.cutRunners) !== true) return false;
    }
    return true;
  }

  /** Whether filter group `id` may hold for the cut line `k`: false only when a negated operand's regex matches its kept text. */
  private mayHoldCut(id: number, group: JudgeGroup, k: number, line: string): boolean {
    const operands = group.operands;
    for (let o = 0; o < operands.length; o++) {
      const operand = operands[o]!;
      if (operand.negated && this.guarded(id, o, operand.cut ?? operand.test, this.lines, k, line, null, true, this.cutRunners) === true) return false;
    }
    return true;
  }

  /**
   * The second pass of `judgeBatch`: each guarded entry runs over the lines waiting for it, in
   * order, one deadline window covering as many as fit; a line it matches is ignored.
   */
  private settlePending(lines: readonly string[]): void {
    const { lines: at, entries, count } = this.pending;
    const byEntry = new Map<number, number[]>();
    for (let p = 0; p < count; p++) {
      const list = byEntry.get(entries[p]!);
      if (list === undefined) byEntry.set(entries[p]!, [at[p]!]);
      else list.push(at[p]!);
    }
    const states = this.states;
    for (const [e, waiting] of byEntry) {
      const texts = waiting.map((k) => lines[k]!);
      for (let i = 0; i < waiting.length; i++) {
        const k = waiting[i]!;
        if (states[k] === IGNORED) continue;
        this.abandonedNow = false;
        if (this.ignoresNow(e, i, texts[i]!, false, texts)) states[k] = IGNORED;
        else if (this.abandonedNow) this.unsure[k] = 1;
      }
    }
  }

  /** Whether every operand of `group` holds for line `k`; `id` names its runners (an entry, or -1 - g for filter g). */
  private holds(id: number, group: JudgeGroup, k: number, line: string, long: boolean, lines: readonly string[] = this.lines): Verdict {
    let verdict: Verdict = true;
    const operands = group.operands;
    for (let o = 0; o < operands.length; o++) {
      const operand = operands[o]!;
      const always = operand.deadline === true;
      const matched = long || always ? this.guarded(id, o, operand.test, lines, k, line, null, always) : operand.test(line);
      if (matched === 'abandoned') verdict = 'abandoned';
      else if (matched === operand.negated) return false;
    }
    return verdict;
  }

  /**
   * Runs `test` on `lines[k]` (seen as `text`) under the deadline; `view` makes another line
   * what the test sees. `always`: the test runs guarded on every line (else on long ones only).
   */
  private guarded(
    id: number,
    operand: number,
    test: (text: string) => boolean,
    lines: readonly string[],
    k: number,
    text: string,
    view: ((line: string) => string) | null,
    always: boolean,
    runners: Map<number, RegexDeadline[]> = this.runners,
  ): Verdict {
    let own = runners.get(id);
    if (own === undefined) runners.set(id, (own = []));
    const keyTest = id >= 0 ? (this.keyed?.keyTests[id] ?? null) : null;
    const runner = (own[operand] ??= new RegexDeadline(
      (t) => (test(t) ? MATCHED : null),
      () => void (this.abandonedNow = true),
    ));
    const result = runner.exec(
      lines,
      k,
      text,
      (j) => (view === null ? lines[j]! : view(lines[j]!)),
      // The later lines a window computes ahead: those it may be asked about.
      (t) => (always || t.length > LONG_LINE) && (keyTest === null || keyTest.test(t)),
    );
    return result === 'abandoned' ? 'abandoned' : result !== null;
  }
}

