/**
 * Milliseconds on the system-wide monotonic clock (`process.hrtime` reads CLOCK_MONOTONIC on
 * Linux), so stamps taken in two processes compare directly, with no calibration and no error
 * from the wall clock. Self-contained: the latency writer runs its source text in another process.
 */
export function monotonicClock(): () => number {
  return () => Number(process.hrtime.bigint()) / 1e6;
}
