/**
 * Case-insensitive matching spelled out, so the pattern runs without the `i` flag: Node 20's
 * linear-time regex engine takes no `i` pattern, and without it a hostile line can make a
 * case-insensitive rule backtrack for minutes (runtime/engine/linear-regex-fallback.ts).
 *
 * Exact: without the `u` flag, ECMA-262 makes two code units equal under `i` when their
 * Canonicalize values are (the upper-case of the unit when that is one unit, except that a
 * non-ASCII unit never becomes ASCII). V8 computes it with the same upper-casing as
 * `String.prototype.toUpperCase`, so each unit written with every unit of its class matches
 * what the `i` flag matched.
 */
import { union, type Ranges } from './char-sets.js';

/** ECMA-262 Canonicalize(rer, ch) for a pattern without the `u` flag. */
function canonicalize(unit: number): number {
  const upper = String.fromCharCode(unit).toUpperCase();
  if (upper.length !== 1) return unit;
  const canonical = upper.charCodeAt(0);
  return unit >= 128 && canonical < 128 ? unit : canonical;
}

interface CaseClasses {
  /** Every code unit that shares its Canonicalize value with another, ascending. */
  readonly cased: readonly number[];
  /** The units equal to each of `cased` under `i`, itself included. */
  readonly classOf: ReadonlyMap<number, readonly number[]>;
}

let built: CaseClasses | null = null;

/** Built on first use: one upper-casing per BMP code unit (~15 ms), only for caseless patterns. */
function caseClasses(): CaseClasses {
  if (built !== null) return built;
  const canonical = new Uint16Array(0x10000);
  const sharing = new Uint16Array(0x10000);
  for (let unit = 0; unit <= 0xffff; unit++) sharing[(canonical[unit] = canonicalize(unit))]!++;
  const byCanonical = new Map<number, number[]>();
  const cased: number[] = [];
  for (let unit = 0; unit <= 0xffff; unit++) {
    const key = canonical[unit]!;
    if (sharing[key]! < 2) continue;
    cased.push(unit);
    let members = byCanonical.get(key);
    if (members === undefined) byCanonical.set(key, (members = []));
    members.push(unit);
  }
  const classOf = new Map<number, readonly number[]>(cased.map((unit) => [unit, byCanonical.get(canonical[unit]!)!]));
  built = { cased, classOf };
  return built;
}

/** The code units an `i` pattern without `u` matches for a unit in `ranges` (units ≤ 0xFFFF). */
export function caseClosure(ranges: Ranges): Ranges {
  const { cased, classOf } = caseClasses();
  const extra: [number, number][] = [];
  let r = 0;
  for (const unit of cased) {
    while (r < ranges.length && ranges[r]![1] < unit) r++;
    if (r === ranges.length) break;
    if (ranges[r]![0] <= unit) for (const member of classOf.get(unit)!) extra.push([member, member]);
  }
  return extra.length === 0 ? ranges : union(ranges, extra);
}
