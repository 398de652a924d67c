/**
 * mulberry32: a tiny seeded generator. The demo, the fuzz tests and the benchmarks use it so
 * that every run writes the same log or the same mutations, and a failure replays.
 */

/** Returns a generator of numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
