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
 * 118 dependent table steps. Measured by bench/compiler-prefilter.ts (200 template literals,
 * shortest 7 bytes, corpus lines given as strings, so each line's bytes are copied first):
 * 3.2 M lines/s against 1.5 M for the automaton alone.
 *
 * Bytes, not code units: the caller hands over a line's bytes when the line is ASCII (then
 * byte i is code unit i). Literals here are ASCII and already lower-cased; text bytes are
 * folded the same way (ASCII upper → lower) before the comparison. The gram hash ORs every byte
 * with 0x20, which maps upper- and lower-case letters alike (and merges a few other pairs: a
 * hash collision at worst, settled by the comparison).
 */

/** Gram width in bytes: one 32-bit read. */
const GRAM = 4;
/** Fewest probe positions skipped per probe worth this index; shorter literals go elsewhere. */
const MIN_STEP = 3;
/** The shortest literal this index takes. */
export const GRAM_MIN_LENGTH = GRAM - 1 + MIN_STEP;
/** At most 64 Ki buckets (256 KiB of bucket starts) per source. */
const MAX_TABLE_BITS = 16;

function wordAt(bytes: ArrayLike<number>, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

function gramAt(bytes: ArrayLike<number>, at: number): number {
  return wordAt(bytes, at) | 0x20202020;
}

/**
 * Four ASCII bytes lower-cased at once: a byte's top bit comes out set when it is ≥ `A` (its low
 * seven bits plus 0x3F carry into bit 7) and not > `Z` (plus 0x25 does not), and for bytes below
 * 0x80 only; shifted down to 0x20 it is the case bit.
 */
function lowerWord(word: number): number {
  const low7 = word & 0x7f7f7f7f;
  const upper = (low7 + 0x3f3f3f3f) & ~(low7 + 0x25252525) & ~word & 0x80808080;
  return word | (upper >>> 2);
}

/** Finds which of `literals` (null: not indexed) occur in an ASCII line's bytes; indices are positions in `literals`. */
export class GramIndex {
  private readonly step: number;
  private readonly shift: number;
  private readonly bucketStart: Int32Array;
  /**
   * One bit per bucket, set when it holds entries: 8 KiB that stay in the L1 cache, where the
   * bucket starts (256 KiB) do not, and most probes stop here (scan ~8% faster on the bench log).
   */
  private readonly occupied: Int32Array;
  private readonly entryLiteral: Int32Array;
  /** Where the entry's gram sits in its literal: a probe at i means the literal starts at i − offset. */
  private readonly entryOffset: Int32Array;
  /** The gram itself, so a probe whose gram only shares its hash stops at one comparison. */
  private readonly entryGram: Int32Array;
  /** Each literal as 4-byte words; the last word is its last four bytes (overlapping the one before). */
  private readonly literalWords: Int32Array[];
  private readonly literalLength: Int32Array;
  private readonly seen: Uint32Array;
  private generation = 0;

  /** Every non-null literal must be ASCII, lower-case, and at least `GRAM_MIN_LENGTH` long. */
  constructor(literals: readonly (string | null)[]) {
    const literalBytes = literals.map((text) => Uint8Array.from(text ?? '', (c) => c.charCodeAt(0)));
    const indexed = literalBytes.filter((_, j) => literals[j] !== null);
    const shortest = Math.min(...indexed.map((bytes) => bytes.length));
    if (!(shortest >= GRAM_MIN_LENGTH)) throw new Error('GramIndex: a literal is shorter than GRAM_MIN_LENGTH');
    const step = shortest - GRAM + 1;
    const window = step + GRAM - 1;
    this.step = step;
    this.seen = new Uint32Array(literals.length);

    // A gram many literals share makes every probe that reads it verify them all: each literal
    // takes the window whose grams the fewest literals contain.
    const sharing = new Map<number, number>();
    for (const bytes of indexed) {
      const own = new Set<number>();
      for (let at = 0; at + GRAM <= bytes.length; at++) own.add(gramAt(bytes, at));
      for (const gram of own) sharing.set(gram, (sharing.get(gram) ?? 0) + 1);
    }
    const entries: { gram: number; literal: number; offset: number }[] = [];
    literalBytes.forEach((bytes, literal) => {
      if (literals[literal] === null) return;
      let bestStart = 0;
      let bestCost = Infinity;
      for (let start = 0; start + window <= bytes.length; start++) {
        let cost = 0;
        for (let k = 0; k < step; k++) cost += sharing.get(gramAt(bytes, start + k))!;
        if (cost < bestCost) {
          bestCost = cost;
          bestStart = start;
        }
      }
      for (let k = 0; k < step; k++) entries.push({ gram: gramAt(bytes, bestStart + k), literal, offset: bestStart + k });
    });

    // Mostly empty buckets, so a probe rarely lands on a gram it does not hold: on the bench
    // log, 8 slots per entry sent 4.3 probes per line to a bucket, 32 slots 2.4.
    const bits = Math.min(MAX_TABLE_BITS, Math.max(10, Math.ceil(Math.log2(entries.length * 32))));
    this.shift = 32 - bits;
    const slot = (gram: number): number => Math.imul(gram, 0x9e3779b1) >>> this.shift;
    entries.sort((a, b) => slot(a.gram) - slot(b.gram) || a.literal - b.literal || a.offset - b.offset);
    this.bucketStart = new Int32Array((1 << bits) + 1);
    this.occupied = new Int32Array(Math.max(1, (1 << bits) >>> 5));
    for (const entry of entries) {
      const s = slot(entry.gram);
      this.bucketStart[s + 1]!++;
      this.occupied[s >>> 5]! |= 1 << (s & 31);
    }
    for (let s = 0; s < 1 << bits; s++) this.bucketStart[s + 1]! += this.bucketStart[s]!;
    this.entryLiteral = Int32Array.from(entries, (e) => e.literal);
    this.entryOffset = Int32Array.from(entries, (e) => e.offset);
    this.entryGram = Int32Array.from(entries, (e) => e.gram);
    this.literalLength = Int32Array.from(literalBytes, (bytes) => bytes.length);
    this.literalWords = literalBytes.map((bytes) => {
      if (bytes.length < GRAM) return new Int32Array(0);
      const words: number[] = [];
      for (let at = 0; at < bytes.length - GRAM; at += GRAM) words.push(wordAt(bytes, at));
      words.push(wordAt(bytes, bytes.length - GRAM));
      return Int32Array.from(words);
    });
  }

  /**
   * Writes the index of each literal found in `bytes[from, to)` (read also through `view`, the
   * same memory) into `found`, once each; returns how many.
   */
  scan(bytes: Uint8Array, view: DataView, from: number, to: number, found: Int32Array): number {
    const seen = this.seen;
    const generation = (this.generation = this.generation === 0xffffffff ? 1 : this.generation + 1);
    if (generation === 1) seen.fill(0);
    const { step, shift, occupied, bucketStart, entryLiteral, entryOffset, entryGram, literalWords, literalLength } = this;
    let hits = 0;
    for (let at = from, last = to - GRAM; at <= last; at += step) {
      const gram = view.getInt32(at, true) | 0x20202020;
      const s = Math.imul(gram, 0x9e3779b1) >>> shift;
      if ((occupied[s >>> 5]! & (1 << (s & 31))) === 0) continue;
      for (let e = bucketStart[s]!, end = bucketStart[s + 1]!; e < end; e++) {
        const j = entryLiteral[e]!;
        if (entryGram[e] !== gram || seen[j] === generation) continue;
        const begin = at - entryOffset[e]!;
        const n = literalLength[j]!;
        if (begin < from || begin + n > to) continue;
        const words = literalWords[j]!;
        const lastWord = n - GRAM;
        let k = 0;
        while (k < lastWord && lowerWord(view.getInt32(begin + k, true)) === words[k >> 2]) k += GRAM;
        if (k < lastWord || lowerWord(view.getInt32(begin + lastWord, true)) !== words[words.length - 1]) continue;
        seen[j] = generation;
        found[hits++] = j;
      }
    }
    return hits;
  }
}
