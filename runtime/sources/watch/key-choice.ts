/**
 * Which literal a pattern is found by. Every option is a string every match of the pattern holds
 * (or a set of strings one of which it holds); the best key is the one the log holds least, as
 * each line holding it makes the pattern a candidate whose checks run in vain. How often the log
 * holds a string is estimated from a sample of its first lines: a string occurs at most as often
 * as its rarest 4-character piece, and the pieces of the sample are counted in one pass. Ties go
 * to the longer key. Measured on the corpus's Linux log with Debian's server lists: choosing by
 * length alone made ` connect` the key of the jabberd rules (in 14% of lines) rather than
 * ` jabberd/s2s[` (in none).
 */

/** Hash table size of the sample's 4-grams: a collision only overestimates. */
const BITS = 16;
const GRAM = 4;

/** A code unit as the prefilter compares it: ASCII letters in lower case. */
function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** A 4-gram's hash, case-folded: the prefilter finds a key in either case, so a key is as frequent as its folded form. */
function gramHash(text: string, at: number): number {
  const h =
    (fold(text.charCodeAt(at)) * 0x9e3779b1) ^
    Math.imul(fold(text.charCodeAt(at + 1)), 0x85ebca6b) ^
    Math.imul(fold(text.charCodeAt(at + 2)), 0xc2b2ae35) ^
    Math.imul(fold(text.charCodeAt(at + 3)), 0x27d4eb2f);
  return Math.imul(h, 0x9e3779b1) >>> (32 - BITS);
}

/** Counts of the 4-grams of a sample of the log. */
export class GramSample {
  private readonly counts = new Uint32Array(1 << BITS);
  private readonly empty: boolean;

  constructor(lines: readonly string[]) {
    for (const line of lines) for (let at = 0; at + GRAM <= line.length; at++) this.counts[gramHash(line, at)]! += 1;
    this.empty = lines.length === 0;
  }

  /** At least how often `text` occurs in the sample; 0 when it cannot, Infinity when too short to tell. */
  bound(text: string): number {
    if (text.length < GRAM) return Infinity;
    if (this.empty) return 0;
    let least = Infinity;
    for (let at = 0; at + GRAM <= text.length; at++) least = Math.min(least, this.counts[gramHash(text, at)]!);
    return least;
  }
}

/** Shortest key the gram index probes well (its GRAM_MIN_LENGTH); a shorter one costs a native test on every line. */
const GOOD_KEY = 6;

/**
 * The key among `options` (each a set of strings, one of which every match holds): the least
 * frequent in the sample among those of at least GOOD_KEY characters when there are some, then
 * the longest. Null when there is no option.
 */
export function chooseKey(options: readonly (readonly string[])[], sample: GramSample): readonly string[] | null {
  const scored = options
    .filter((set) => set.length > 0 && set.every((text) => text.length > 0))
    .map((set) => {
      const length = Math.min(...set.map((text) => text.length));
      const seen = set.reduce((sum, text) => sum + sample.bound(text), 0);
      return { set, length, seen };
    });
  const good = scored.filter((o) => o.length >= GOOD_KEY);
  const pool = good.length > 0 ? good : scored;
  pool.sort((a, b) => a.seen - b.seen || b.length - a.length);
  return pool[0]?.set ?? null;
}
