/**
 * Wall time in ms with microsecond resolution, comparable across processes: each process's
 * `performance.timeOrigin` may be off by up to a millisecond, so it is calibrated against the
 * moments `Date.now()` ticks over to a new millisecond (then the wall time is exactly that
 * value). Self-contained: the latency writer runs its source text in another process.
 */
export function calibratedClock(): () => number {
  const hr = (): number => performance.timeOrigin + performance.now();
  let sum = 0;
  const ticks = 30;
  for (let i = 0; i < ticks; i++) {
    const from = Date.now();
    let now = from;
    let at = hr();
    while (now === from) {
      at = hr();
      now = Date.now();
    }
    sum += now - at;
  }
  const offset = sum / ticks;
  return () => hr() + offset;
}
