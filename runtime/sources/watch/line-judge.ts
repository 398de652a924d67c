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
 */
import { Prefilter } from '../../prefilter/prefilter.js';
import type { AsciiLineBytes } from '../tail/types.js';
import type { ListPattern } from './ignore-lists.js';
import { chooseKey, GramSample } from './key-choice.js';

/** One `=~`/`!~` test; `literals`, when known, are strings one of which every match contains. */
export interface JudgeOperand {
  readonly negated: boolean;
  readonly test: (line: string) => boolean;
  readonly literals?: readonly string[] | null;
}

/** Operands that must all hold. */
export interface JudgeGroup {
  readonly operands: readonly JudgeOperand[];
}

/** Entry `k`: a group of the block, or a list pattern (matched against the line without trailing blanks). */
type Entry =
  | { readonly kind: 'group'; readonly group: JudgeGroup; readonly options: readonly (readonly string[])[] }
  | { readonly kind: 'list'; readonly regex: RegExp; readonly required: readonly string[]; readonly options: readonly (readonly string[])[] };

/** Characters of the log's first lines the keys are chosen by. */
const SAMPLE_CHARS = 64 * 1024;

/** logcheck strips trailing whitespace (`sed 's/[[:space:]]\+$//'`) before its lists see a line. */
function withoutTrailingSpace(line: string): string {
  let end = line.length;
  for (; end > 0; end--) {
    const c = line.charCodeAt(end - 1);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) break;
  }
  return end === line.length ? line : line.slice(0, end);
}

function holds(group: JudgeGroup, line: string): boolean {
  for (const operand of group.operands) if (operand.test(line) === operand.negated) return false;
  return true;
}

function listMatches(entry: Extract<Entry, { kind: 'list' }>, line: string, trimmed: string): boolean {
  const required = entry.required;
  for (let r = 0; r < required.length; r++) if (!line.includes(required[r]!)) return false;
  return entry.regex.test(trimmed);
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
 * Keys shorter than this are not given to the prefilter: more than a few of them turn its gram
 * index off (each costs a native regex test per line, see runtime/prefilter), while an
 * `includes` per line costs less. Their entries are tried on every line, key first.
 */
const SHORT_KEY = 6;

/**
 * Bytes for the ASCII lines of a batch the reader read in a chunk that was not all ASCII (one
 * non-ASCII byte anywhere in 256 KiB makes it so), so that they too are scanned a block at a
 * time; the other lines get no bytes (start -1) and are probed one by one.
 */
function asciiLineBytes(lines: readonly string[]): AsciiLineBytes {
  const text = lines.join('\n');
  const bytes = Buffer.from(text, 'latin1');
  const starts = new Int32Array(lines.length);
  const ends = new Int32Array(lines.length);
  let at = 0;
  for (let k = 0; k < lines.length; k++) {
    starts[k] = at;
    at += lines[k]!.length;
    ends[k] = at;
    at += 1;
  }
  // The few lines that are not ASCII, found by one native scan of the text.
  NOT_ASCII.lastIndex = 0;
  for (let m = NOT_ASCII.exec(text), k = 0; m !== null; m = NOT_ASCII.exec(text)) {
    while (ends[k]! < m.index) k++;
    starts[k] = -1;
    NOT_ASCII.lastIndex = ends[k]! + 1;
  }
  return { bytes, starts, ends };
}

const NOT_ASCII = /[^\x00-\x7f]/g;

const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

function shortKeysTest(keys: readonly (readonly string[])[]): RegExp | null {
  const all = [...new Set(keys.flat())];
  return all.length === 0 ? null : new RegExp(all.map((text) => text.replace(SYNTAX, '\\$&')).join('|'));
}

/** The prefilter, once the keys are chosen, and what it maps back to. */
interface Keyed {
  readonly prefilter: Prefilter;
  /** Prefilter item j → entry. */
  readonly entryOf: Int32Array;
  /** Entries every line must try (no key known, or a short one), with the key a line must hold one of ([] for none). */
  readonly always: Int32Array;
  readonly alwaysKeys: readonly (readonly string[])[];
  /** Finds whether a line holds any of the short keys, in one native test; null when there are none. */
  readonly shortKeys: RegExp | null;
  /** Every key is ASCII, so a line that is not can be probed as `asciiProbe` of it. */
  readonly asciiKeys: boolean;
}

/** Which lines a watch block reports; see the file comment. */
export class LineJudge {
  private readonly entries: Entry[] = [];
  private keyed: Keyed | null = null;
  private readonly seen: Uint32Array;
  private stamp = 0;
  private batch: AsciiLineBytes | null = null;

  constructor(
    ignore: readonly JudgeGroup[],
    private readonly filter: readonly JudgeGroup[],
    lists: readonly ListPattern[] = [],
  ) {
    for (const group of ignore) {
      const options = group.operands.flatMap((operand) => (operand.negated || !operand.literals ? [] : [operand.literals]));
      this.entries.push({ kind: 'group', group, options });
    }
    for (const pattern of lists) {
      const options = [...pattern.required.map((text) => [text]), ...(pattern.literals === null ? [] : [pattern.literals])];
      this.entries.push({ kind: 'list', regex: pattern.regex, required: pattern.required, options });
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
    const alwaysKeys: (readonly string[])[] = [];
    this.entries.forEach((entry, k) => {
      const key = chooseKey(entry.options, grams);
      if (key === null || key.some((text) => text.length < SHORT_KEY)) {
        always.push(k);
        alwaysKeys.push(key ?? []);
      } else {
        for (const text of key) items.push({ entry: k, key: text });
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
      alwaysKeys,
      shortKeys: shortKeysTest(alwaysKeys),
      asciiKeys: items.every((item) => isAscii(item.key)),
    };
    return this.keyed;
  }

  /** Before `unusualBatched`: the batch's lines, and their bytes when the reader has them. */
  beginBatch(lines: readonly string[], ascii: AsciiLineBytes | null): void {
    if (this.keyed === null) {
      const sample: string[] = [];
      let chars = 0;
      for (let k = 0; k < lines.length && chars < SAMPLE_CHARS; k++) {
        sample.push(lines[k]!);
        chars += lines[k]!.length;
      }
      this.keys(sample);
    }
    this.batch = ascii ?? (this.keyed!.asciiKeys ? asciiLineBytes(lines) : null);
    this.keyed!.prefilter.beginBatch(this.batch, lines.length);
  }

  endBatch(): void {
    this.batch = null;
    this.keyed?.prefilter.endBatch();
  }

  /** `unusual` for line `k` of the batch begun; `line` may be that line trimmed. */
  unusualBatched(k: number, line: string): boolean {
    const keyed = this.keyed!;
    const batch = this.batch;
    if (batch !== null && batch.starts[k] !== -1) return this.judge(keyed, line, keyed.prefilter.scanBatched(k, line));
    return this.judge(keyed, line, this.scanOne(keyed, line));
  }

  /** True when the block reports `line`. */
  unusual(line: string): boolean {
    const keyed = this.keys([]);
    return this.judge(keyed, line, this.scanOne(keyed, line));
  }

  private scanOne(keyed: Keyed, line: string): number {
    // Keeps a line that is not ASCII on the byte scan: the automaton the prefilter would build
    // for it takes longer, with thousands of keys, than all the lines of a typical report.
    return keyed.prefilter.scan(keyed.asciiKeys && !isAscii(line) ? asciiProbe(line) : line);
  }

  private judge(keyed: Keyed, line: string, hits: number): boolean {
    if (this.filter.length > 0 && !this.filter.some((group) => holds(group, line))) return false;
    const stamp = (this.stamp = this.stamp === 0xffffffff ? 1 : this.stamp + 1);
    if (stamp === 1) this.seen.fill(0);
    let trimmed: string | null = null;
    const found = keyed.prefilter.found;
    const entryOf = keyed.entryOf;
    for (let h = 0; h < hits; h++) {
      const k = entryOf[found[h]!]!;
      if (this.seen[k] === stamp) continue;
      this.seen[k] = stamp;
      const entry = this.entries[k]!;
      if (entry.kind === 'group' ? holds(entry.group, line) : listMatches(entry, line, (trimmed ??= withoutTrailingSpace(line)))) return false;
    }
    const always = keyed.always;
    // Usually no short key is in the line: one test settles every entry that has one.
    const anyShort = keyed.shortKeys === null || keyed.shortKeys.test(line);
    for (let a = 0; a < always.length; a++) {
      const key = keyed.alwaysKeys[a]!;
      if (key.length > 0 && (!anyShort || !key.some((text) => line.includes(text)))) continue;
      const entry = this.entries[always[a]!]!;
      if (entry.kind === 'group' ? holds(entry.group, line) : listMatches(entry, line, (trimmed ??= withoutTrailingSpace(line)))) return false;
    }
    return true;
  }
}
