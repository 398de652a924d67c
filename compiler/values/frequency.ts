import { fail, trimmed, type ValueResult } from './value-result.js';

const FREQUENCY = /^(\d+)(\s*)\/(\s*)(\d+)$/;
/** The engine keeps the times of the last N matches per key: beyond this, one key alone takes 8 MB. */
export const MAX_FREQUENCY_COUNT = 1_000_000;

/**
 * `N/T`: N matches in T seconds, both whole numbers; spaces around `/` are allowed. `0/0` and `0/T`
 * are valid (they mean "every match" for an up-bound and "disabled" for a down-bound); `N/0` with
 * N > 0 is not, because an empty window can never hold N matches.
 */
export function parseFrequency(text: string): ValueResult<{ count: number; seconds: number }> {
  const { body, offset } = trimmed(text);
  const end = offset + body.length;
  if (body === '') return fail('expected a frequency `count/seconds`, e.g. `5/30`', 0, text.length);
  const m = FREQUENCY.exec(body);
  if (!m) {
    const slash = body.indexOf('/');
    if (slash < 0) return fail('expected a frequency `count/seconds`, e.g. `5/30`', offset, end);
    const left = body.slice(0, slash).trimEnd();
    if (!/^\d+$/.test(left)) return fail('the count must be a whole number', offset, offset + Math.max(left.length, 1));
    const right = body.slice(slash + 1);
    const rightStart = offset + slash + 1 + (right.length - right.trimStart().length);
    return fail('the time window must be a whole number of seconds', rightStart, Math.max(end, rightStart + 1));
  }
  const count = Number(m[1]);
  const seconds = Number(m[4]);
  const secondsStart = offset + m[1]!.length + m[2]!.length + 1 + m[3]!.length;
  if (!(count <= MAX_FREQUENCY_COUNT)) {
    return fail(`the count is too large: at most ${MAX_FREQUENCY_COUNT.toLocaleString('en-US')} (the time of each of the last N matches is kept per key)`, offset, offset + m[1]!.length);
  }
  if (!Number.isSafeInteger(seconds)) return fail('the time window is too large', secondsStart, end);
  if (seconds === 0 && count > 0) {
    return fail('a window of 0 seconds can never hold matches (`0/0` fires on every match as an up-bound, and turns a down-bound off)', secondsStart, end);
  }
  return { ok: true, value: { count, seconds } };
}
