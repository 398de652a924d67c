/**
 * Bounds the time a rule's regex can spend on one line. V8's regex engine backtracks: on
 * hostile text a pattern can take exponential time (`^(\w+\s?)*$` on 30 letters and a `!`:
 * minutes) and common log patterns take quadratic time in the line's length
 * (`(\d+)\.(\d+)\.(\d+)\.(\d+)` on a 64 KiB line of digits: 4.2 s per line). V8 also has a
 * linear-time engine; with these flags a match that backtracks more than 1,000 times is run
 * again on it, with the same result. Measured worst cases on a 64 KiB line fell to 70–170 ms,
 * and the 200-rule throughput bench did not change (its lines never reach the limit).
 *
 * Node 20's linear engine takes no pattern with the `i` or `u` flag, a lookaround or a
 * backreference; those still backtrack (see docs/regex.md). The limit is read when a RegExp is
 * created, so the flags must be set before any rule module is loaded: `guardProcess`
 * (runtime/daemon/process-guards.ts) sets them, first thing in the CLI and in every bundle.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Backtracks of one match after which it is run again on the linear engine, which is ~100×
 * slower per character on ordinary text. Measured: at 100, `(\S+)=(\S+);` on a normal 156-char
 * line of key=value pairs already fell back (79 µs instead of 0.8); at 1,000 no corpus-like line
 * did, and hostile 64 KiB lines cost 120–170 ms; at 3,000, 310–370 ms.
 */
export const BACKTRACKS_BEFORE_LINEAR = 1000;

/** The V8 flags. */
export const LINEAR_FALLBACK_FLAGS: readonly string[] = [
  '--enable-experimental-regexp-engine-on-excessive-backtracks',
  `--regexp-backtracks-before-fallback=${BACKTRACKS_BEFORE_LINEAR}`,
];

/** Sets the flags for this process; regexes created before the call keep backtracking unbounded. */
export function enableLinearRegexFallback(): void {
  for (const flag of LINEAR_FALLBACK_FLAGS) setFlagsFromString(flag);
}
