/**
 * The prefilter's scan when every literal is long: rather than read every byte of a line (as
 * the Aho–Corasick automaton must), it reads one 4-byte gram every S bytes and looks it up.
 *
 * Why it finds every occurrence: each literal is indexed by one window of L = S + 3 of its
 * bytes (L is the shortest literal's length), that is by the S grams starting at the window's
 * first S offsets. An occurrence of the literal holds the window; probes are S bytes apart, so
 * one lands on one of those S grams and reads it whole. A probe that hits is verified against
 * the literal's bytes (four at a time), so the answer is exact.
 *
 * Why it is fast: the probes are independent of each other (an automaton's next state depends
 * on the last one), so the processor overlaps them; a 118-byte line costs ~30 probes instead of
 * 118 dependent table steps. The scan itself is WebAssembly (gram-scan.wat): this file builds
 * the tables in the instance's memory, copies the text in, and reads the answers out. A batch
 * of lines is scanned in one call, so the lines that hold no literal (about half, on the
 * bench log) cost the engine nothing more.
 *
 * Which window of a literal is indexed: each probe that reads one of its grams costs a
 * comparison, so the window whose grams the text holds least is best. The index starts with
 * the windows whose grams the fewest other literals share, counts the grams of the first
 * SAMPLE_BYTES of text it scans, then chooses again by those counts. On the 200-rule bench log,
 * grams compared fell from 2.2 to 1.3 a line (0.7 are real occurrences: "work", " fro" and
 * "erro" were in first windows) and the scan from ~123 to ~111 ns a line. The answer never
 * depends on the windows, only the time.
 *
 * Bytes, not code units: the caller hands over a line's bytes when the line is ASCII (then
 * byte i is code unit i). Literals here are ASCII and already lower-cased. The comparison
 * ORs 0x20 into each text byte where the literal has a letter: the only bytes that then equal a
 * lower-case letter are it and its capital, so that is the fold; other bytes compare as they
 * are. The gram hash ORs every byte with 0x20, which maps upper- and lower-case letters alike
 * (and merges a few other pairs: a hash collision at worst, settled by the comparison).
 */

import type { SequenceSpec } from '../contract.js';
import { GRAM_SCAN_WASM } from './gram-scan-wasm.js';
import { sequencePrograms } from './sequence-program.js';

/** Gram width in bytes: one 32-bit read. */
const GRAM = 4;
/** Fewest probe positions skipped per probe worth this index; shorter literals go elsewhere. */
const MIN_STEP = 3;
/** The shortest literal this index takes. */
export const GRAM_MIN_LENGTH = GRAM - 1 + MIN_STEP;
/** At most 64 Ki buckets (256 KiB of bucket starts) per source. */
const MAX_TABLE_BITS = 16;
/**
 * The occupied bits are this many hash bits finer than the buckets: a probe whose gram shares
 * a bucket with an entry's but not its finer slot stops there. Measured on the 200-rule bench
 * (scan with sequence programs): 2 bits 121 against 126 ns a line, 4 bits 123.
 */
const FINER_BITS = 2;

/** Text bytes counted before the windows are chosen again (see the top of this file). */
const SAMPLE_BYTES = 64 * 1024;
/** The sample's gram counts are kept by hash in 2^16 counters: a collision only blurs an estimate. */
const SAMPLE_BITS = 16;
/** A gram seen once in the sample outweighs any sharing among literals (at most their number). */
const SEEN_WEIGHT = 1 << 20;

const sampleSlot = (gram: number): number => Math.imul(gram, 0x9e3779b1) >>> (32 - SAMPLE_BITS);

function wordAt(bytes: ArrayLike<number>, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

function gramAt(bytes: ArrayLike<number>, at: number): number {
  return wordAt(bytes, at) | 0x20202020;
}

/** Entries and tables of one index, before they are laid out in WebAssembly memory. */
interface Tables {
  readonly step: number;
  readonly shift: number;
  readonly occupied: Int32Array;
  readonly bucketStart: Int32Array;
  readonly entryLiteral: Int32Array;
  readonly entryOffset: Int32Array;
  readonly entryGram: Int32Array;
  readonly literalLength: Int32Array;
  /**
   * Each literal as 4-byte words, each followed by its case mask (0x20 in a letter's byte); the
   * last word is the literal's last four bytes (overlapping the one before).
   */
  readonly literalWords: readonly Int32Array[];
  /** Where each literal's indexed window starts (-1: not indexed). */
  readonly windowStart: Int32Array;
}

/** `seen(gram)`: how often the text sample held the gram (0 before there is a sample). */
function buildTables(literals: readonly (string | null)[], seen: (gram: number) => number): Tables {
  const literalBytes = literals.map((text) => Uint8Array.from(text ?? '', (c) => c.charCodeAt(0)));
  const indexed = literalBytes.filter((_, j) => literals[j] !== null);
  const shortest = Math.min(...indexed.map((bytes) => bytes.length));
  if (!(shortest >= GRAM_MIN_LENGTH)) throw new Error('GramIndex: a literal is shorter than GRAM_MIN_LENGTH');
  const step = shortest - GRAM + 1;
  const window = step + GRAM - 1;

  // A gram the text holds often, or that many literals share, makes probes compare often:
  // each literal takes the window whose grams the sample saw least, then the fewest share.
  const sharing = new Map<number, number>();
  for (const bytes of indexed) {
    const own = new Set<number>();
    for (let at = 0; at + GRAM <= bytes.length; at++) own.add(gramAt(bytes, at));
    for (const gram of own) sharing.set(gram, (sharing.get(gram) ?? 0) + 1);
  }
  const entries: { gram: number; literal: number; offset: number }[] = [];
  const windowStart = new Int32Array(literals.length).fill(-1);
  literalBytes.forEach((bytes, literal) => {
    if (literals[literal] === null) return;
    let bestStart = 0;
    let bestCost = Infinity;
    for (let start = 0; start + window <= bytes.length; start++) {
      let cost = 0;
      for (let k = 0; k < step; k++) {
        const gram = gramAt(bytes, start + k);
        cost += seen(gram) * SEEN_WEIGHT + sharing.get(gram)!;
      }
      if (cost < bestCost) {
        bestCost = cost;
        bestStart = start;
      }
    }
    windowStart[literal] = bestStart;
    for (let k = 0; k < step; k++) entries.push({ gram: gramAt(bytes, bestStart + k), literal, offset: bestStart + k });
  });

  // Mostly empty buckets, so a probe rarely lands on a gram it does not hold: on the bench
  // log, 8 slots per entry sent 4.3 probes per line to a bucket, 32 slots 2.4.
  const bits = Math.min(MAX_TABLE_BITS, Math.max(10, Math.ceil(Math.log2(entries.length * 32))));
  const shift = 32 - bits;
  const slot = (gram: number): number => Math.imul(gram, 0x9e3779b1) >>> shift;
  entries.sort((a, b) => slot(a.gram) - slot(b.gram) || a.literal - b.literal || a.offset - b.offset);
  const bucketStart = new Int32Array((1 << bits) + 1);
  // A bit per finer slot, set when an entry's gram hashes there: most probes stop at these 32 KiB.
  const occupied = new Int32Array(Math.max(1, (1 << (bits + FINER_BITS)) >>> 5));
  for (const entry of entries) {
    const fine = Math.imul(entry.gram, 0x9e3779b1) >>> (shift - FINER_BITS);
    occupied[fine >>> 5]! |= 1 << (fine & 31);
    bucketStart[(fine >>> FINER_BITS) + 1]!++;
  }
  for (let s = 0; s < 1 << bits; s++) bucketStart[s + 1]! += bucketStart[s]!;
  return {
    step,
    // The scan hashes to the finer slot; its bucket is that slot without its last FINER_BITS.
    shift: shift - FINER_BITS,
    occupied,
    bucketStart,
    entryLiteral: Int32Array.from(entries, (e) => e.literal),
    entryOffset: Int32Array.from(entries, (e) => e.offset),
    entryGram: Int32Array.from(entries, (e) => e.gram),
    literalLength: Int32Array.from(literalBytes, (bytes) => bytes.length),
    literalWords: literalBytes.map((bytes) => {
      if (bytes.length < GRAM) return new Int32Array(0);
      const words: number[] = [];
      const caseMask = (at: number): number => wordAt(bytes.subarray(at, at + GRAM).map((b) => (b >= 0x61 && b <= 0x7a ? 0x20 : 0)), 0);
      for (let at = 0; at < bytes.length - GRAM; at += GRAM) words.push(wordAt(bytes, at), caseMask(at));
      words.push(wordAt(bytes, bytes.length - GRAM), caseMask(bytes.length - GRAM));
      return Int32Array.from(words);
    }),
    windowStart,
  };
}

/** The scan's exports (gram-scan.wat). */
interface ScanExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  scan(config: number, n: number, starts: number, ends: number, offsets: number, found: number, foundEnd: number, programs: number): number;
}

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

/** Undefined when node runs without it (`--jitless`): then no gram index is made (see `GramIndex.available`). */
const webAssembly = (globalThis as unknown as { readonly WebAssembly?: WebAssemblyApi }).WebAssembly;
/** Compiled once per process, instantiated per index. */
let compiled: object | null = null;

/** Most lines one call of the scan takes. */
const BATCH_LINES = 1024;
/**
 * Most text one call takes (more when a literal is longer): a batch's lines up to it, a longer
 * line in pieces that overlap by the longest literal less one. Batches and pieces share it: the
 * text is needed only during the call.
 */
const TEXT_BYTES = 64 * 1024;
const PAGE = 65536;
/** Backtracking entries a sequence program may hold (three i32 each); beyond them the regex decides. */
const STACK_ENTRIES = 256;

/**
 * A hit, as `batchHits`, `scanLine` and `scanText` write them: `2·j + 1` when literal j occurs
 * and its item's regex must decide, `2·j` when the item's sequence program matched the line
 * (its regex would match too). An item whose program failed at every occurrence has no hit.
 */
export const hitLiteral = (hit: number): number => hit >>> 1;
export const hitMatched = (hit: number): boolean => (hit & 1) === 0;
/** The hit of literal j found without a program: its item's regex decides. */
export const regexDecides = (j: number): number => 2 * j + 1;

/**
 * Finds which of `literals` (null: not indexed) occur in ASCII text; indices are positions in
 * `literals`. Two ways in: a batch of lines from one buffer (`scanBatch`, then `batchHits` per
 * line), or one line (`scanLine`, `scanText`), which leaves a batch's answers alone. Memory is
 * laid out once and never grows, so one huge line cannot leave a huge instance behind.
 */
export class GramIndex {
  private readonly exports: ScanExports;
  private readonly memory: Buffer;
  private readonly words: Int32Array;
  /** Byte offsets of the regions in memory. */
  private readonly config: number;
  private readonly batchStarts: number;
  private readonly batchEnds: number;
  private readonly batchOffsets: number;
  private readonly batchFound: number;
  private readonly batchFoundEnd: number;
  private readonly pieceStart: number;
  private readonly pieceFound: number;
  private readonly pieceFoundEnd: number;
  private readonly text: number;
  /** The text region's size, and how far the next piece of a long line starts. */
  private readonly textBytes: number;
  private readonly pieceAdvance: number;
  private readonly literals: readonly (string | null)[];
  /** Where the tables that `tune` rewrites are in memory. */
  private readonly tableAt: readonly number[];
  private windows: Int32Array;
  /** Gram counts of the text scanned so far (see SAMPLE_BITS); null once the windows are chosen by them. */
  private sample: Uint32Array | null = new Uint32Array(1 << SAMPLE_BITS);
  private sampled = 0;
  /** The batch lines the last `scanBatch` covered: [first, end). */
  private first = 0;
  private end = 0;

  /** Whether this process can run the scan: node without WebAssembly (`--jitless`) cannot. */
  static available(): boolean {
    return webAssembly !== undefined;
  }

  /**
   * Every non-null literal must be ASCII, lower-case, and at least `GRAM_MIN_LENGTH` long;
   * `sequences[j]`, when given, is the sequence of literal j's item, anchored on it.
   */
  constructor(literals: readonly (string | null)[], sequences: readonly (SequenceSpec | null | undefined)[] = []) {
    this.literals = literals;
    const tables = buildTables(literals, () => 0);
    this.windows = tables.windowStart;
    const programs = literals.map((text, j) => {
      const sequence = sequences[j];
      return text === null || sequence === null || sequence === undefined ? null : sequencePrograms(sequence);
    });
    const programWords = programs.reduce((sum, p) => sum + (p === null ? 0 : 2 + p.forward.length + p.backward.length), 0);
    const longest = Math.max(...tables.literalLength);
    this.textBytes = Math.max(TEXT_BYTES, 2 * longest);
    this.pieceAdvance = this.textBytes - (longest - 1);
    const arrays = [tables.occupied, tables.bucketStart, tables.entryLiteral, tables.entryOffset, tables.entryGram, tables.literalLength];
    const wordCount = tables.literalWords.reduce((sum, words) => sum + words.length, 0);
    let top = 0;
    const region = (bytes: number): number => {
      const at = top;
      top += Math.ceil(bytes / 8) * 8;
      return at;
    };
    this.config = region(14 * 4);
    const tableAt = arrays.map((array) => region(array.length * 4));
    this.tableAt = tableAt;
    const wordsAt = region(wordCount * 4);
    const literalWordsAt = region(literals.length * 4);
    const seenAt = region(literals.length * 4);
    // Offset 0 of memory is the config, never a program: a program entry of 0 means none.
    const programTableAt = region(literals.length * 4);
    const programsAt = region(programWords * 4);
    const stackAt = region(STACK_ENTRIES * 12);
    this.batchStarts = region(BATCH_LINES * 4);
    this.batchEnds = region(BATCH_LINES * 4);
    this.batchOffsets = region((BATCH_LINES + 1) * 4);
    // Room for every literal in one line beside the rest of the batch: the scan needs that much to go on.
    this.batchFound = region((BATCH_LINES + literals.length) * 4);
    this.batchFoundEnd = top;
    this.pieceStart = region(4 * 4);
    this.pieceFound = region(literals.length * 4);
    this.pieceFoundEnd = top;
    this.text = region(this.textBytes);

    if (webAssembly === undefined) throw new Error('GramIndex: this node runs without WebAssembly');
    compiled ??= new webAssembly.Module(Buffer.from(GRAM_SCAN_WASM, 'base64'));
    this.exports = new webAssembly.Instance(compiled, {}).exports as ScanExports;
    const memory = this.exports.memory;
    memory.grow(Math.ceil(top / PAGE) - memory.buffer.byteLength / PAGE);
    this.memory = Buffer.from(memory.buffer);
    this.words = new Int32Array(memory.buffer);
    const words = this.words;
    arrays.forEach((array, k) => words.set(array, tableAt[k]! / 4));
    let at = wordsAt;
    tables.literalWords.forEach((literalWords, j) => {
      words[literalWordsAt / 4 + j] = at;
      words.set(literalWords, at / 4);
      at += literalWords.length * 4;
    });
    let programAt = programsAt;
    programs.forEach((program, j) => {
      if (program === null) return;
      // [forward, backward] offsets, then the two programs.
      const forwardAt = programAt + 8;
      const backwardAt = forwardAt + program.forward.length * 4;
      words.set([forwardAt, backwardAt], programAt / 4);
      words.set(program.forward, forwardAt / 4);
      words.set(program.backward, backwardAt / 4);
      words[programTableAt / 4 + j] = programAt;
      programAt = backwardAt + program.backward.length * 4;
    });
    words.set(
      [tables.step, tables.shift, ...tableAt, literalWordsAt, seenAt, literals.length, programTableAt, stackAt, stackAt + STACK_ENTRIES * 12],
      this.config / 4,
    );
  }

  /**
   * Scans lines of a batch from `first` on: line k is `bytes[starts[k], ends[k])` (ASCII), or
   * has no bytes when `starts[k]` is -1 (then nothing is found for it here). Takes as many
   * lines before `count` as one call holds; returns the line after the last one done.
   */
  scanBatch(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, first: number, count: number): number {
    // The lines' text is copied as one block, from the first line with bytes on.
    let k = first;
    let low = -1;
    let high = -1;
    const limit = Math.min(count, first + BATCH_LINES);
    for (; k < limit; k++) {
      const start = starts[k]!;
      if (start === -1) continue;
      const stop = ends[k]!;
      if (stop - (low === -1 ? start : low) > this.textBytes) {
        // A line longer than the text region is scanned alone, as the first of its call.
        if (k === first) return this.scanLongLine(bytes, start, stop, first);
        break;
      }
      if (low === -1) low = start;
      high = stop;
    }
    if (this.sample !== null) {
      for (let line = first; line < k; line++) {
        if (starts[line] !== -1) this.observe(bytes, starts[line]!, ends[line]!);
      }
    }
    const words = this.words;
    const shift = this.text - low;
    for (let line = first; line < k; line++) {
      const start = starts[line]!;
      words[this.batchStarts / 4 + line - first] = start === -1 ? -1 : start + shift;
      words[this.batchEnds / 4 + line - first] = ends[line]! + shift;
    }
    if (low !== -1) this.memory.set(bytes.subarray(low, high), this.text);
    const done = this.exports.scan(this.config, k - first, this.batchStarts, this.batchEnds, this.batchOffsets, this.batchFound, this.batchFoundEnd, 1);
    this.first = first;
    this.end = first + done;
    return this.end;
  }

  /** Where each literal's indexed window starts in it (-1: not indexed); see the top of this file. */
  windowStarts(): Int32Array {
    return this.windows.slice();
  }

  /** Counts the grams of `bytes[from, to)` into the sample; once it is full, chooses the windows by it. */
  private observe(bytes: Uint8Array, from: number, to: number): void {
    const sample = this.sample;
    if (sample === null) return;
    // A huge line counts only up to the sample's size.
    to = Math.min(to, from + SAMPLE_BYTES - this.sampled + GRAM - 1);
    for (let at = from; at + GRAM <= to; at++) sample[sampleSlot(gramAt(bytes, at))]!++;
    this.sampled += to - from;
    if (this.sampled < SAMPLE_BYTES) return;
    this.sample = null;
    const tables = buildTables(this.literals, (gram) => sample[sampleSlot(gram)]!);
    // Same literals, same step: every table has the size it had, so it is rewritten in place.
    const arrays = [tables.occupied, tables.bucketStart, tables.entryLiteral, tables.entryOffset, tables.entryGram];
    arrays.forEach((array, k) => this.words.set(array, this.tableAt[k]! / 4));
    this.windows = tables.windowStart;
  }

  /** A new batch begins: no line is covered. */
  forgetBatch(): void {
    this.first = 0;
    this.end = 0;
  }

  /** Whether `line` of the batch was covered by the last `scanBatch`. */
  covers(line: number): boolean {
    return line >= this.first && line < this.end;
  }

  /** Writes the hits (see `hitLiteral`) the last `scanBatch` found in `line` (one it covers) into `found`; returns how many. */
  batchHits(line: number, found: Int32Array): number {
    const words = this.words;
    const k = this.batchOffsets / 4 + line - this.first;
    const from = this.batchFound / 4 + words[k]!;
    const to = this.batchFound / 4 + words[k + 1]!;
    for (let at = from; at < to; at++) found[at - from] = words[at]!;
    return to - from;
  }

  /**
   * Writes the hits (see `hitLiteral`) in `bytes[from, to)` (ASCII) into `found`, a literal
   * once; returns how many. A line longer than the text region is scanned in pieces, and then
   * the regexes decide (a program needs the whole line).
   */
  scanLine(bytes: Uint8Array, from: number, to: number, found: Int32Array): number {
    this.observe(bytes, from, to);
    const whole = to - from <= this.textBytes;
    let n = 0;
    for (let at = from; ; at += this.pieceAdvance) {
      const end = Math.min(to, at + this.textBytes);
      this.memory.set(bytes.subarray(at, end), this.text);
      n = this.scanPiece(end - at, found, n, whole);
      if (end === to) return n;
    }
  }

  /** `scanLine` for a string whose code units are all ASCII. */
  scanText(text: string, found: Int32Array): number {
    if (text.length > this.textBytes) {
      const bytes = Buffer.from(text, 'latin1');
      return this.scanLine(bytes, 0, bytes.length, found);
    }
    this.memory.write(text, this.text, 'latin1');
    return this.scanPiece(text.length, found, 0, true);
  }

  /** A batch line longer than the text region, scanned alone in pieces; the batch then covers just it. */
  private scanLongLine(bytes: Uint8Array, start: number, stop: number, line: number): number {
    const found = this.words.subarray(this.batchFound / 4, this.batchFoundEnd / 4);
    const n = this.scanLine(bytes, start, stop, found);
    this.words[this.batchOffsets / 4] = 0;
    this.words[this.batchOffsets / 4 + 1] = n;
    this.first = line;
    this.end = line + 1;
    return this.end;
  }

  /**
   * Scans the `length` bytes at `text` and adds the hits to `found[0, n)`, a literal once
   * (pieces of one line overlap); programs run when the piece is the `whole` line. Returns the
   * new count.
   */
  private scanPiece(length: number, found: Int32Array, n: number, whole: boolean): number {
    const words = this.words;
    const slots = this.pieceStart / 4;
    words[slots] = this.text;
    words[slots + 1] = this.text + length;
    this.exports.scan(this.config, 1, this.pieceStart, this.pieceStart + 4, this.pieceStart + 8, this.pieceFound, this.pieceFoundEnd, whole ? 1 : 0);
    const hits = words[slots + 3]!;
    const first = n;
    for (let h = 0; h < hits; h++) {
      const hit = words[this.pieceFound / 4 + h]!;
      // Pieces run no program: every hit is 2·j + 1, and a repeated one is the same number.
      if (first === 0 || !found.subarray(0, first).includes(hit)) found[n++] = hit;
    }
    return n;
  }
}
