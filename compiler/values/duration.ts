import { fail, trimmed, type ValueResult } from './value-result.js';

// Milliseconds divide rather than multiply by 0.001 so `300ms` is exactly 0.3.
const SECONDS_PER: Readonly<Record<string, number>> = { '': 1, ms: -1000, s: 1, m: 60, h: 3600, d: 86400 };

/** A duration in seconds: a number with an optional unit `ms`, `s`, `m`, `h` or `d` ("500ms" is 0.5). */
export function parseDuration(text: string): ValueResult<number> {
  const { body, offset } = trimmed(text);
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(body);
  if (!m) {
    return fail('expected a duration such as `30`, `30s`, `500ms`, `2m` or `1h`', body === '' ? 0 : offset, body === '' ? text.length : offset + body.length);
  }
  const unit = m[2]!;
  const key = unit.toLowerCase();
  const factor = Object.hasOwn(SECONDS_PER, key) ? SECONDS_PER[key] : undefined;
  if (factor === undefined) {
    const unitStart = offset + body.length - unit.length;
    return fail(`unknown duration unit \`${unit}\`; use ms, s, m, h or d`, unitStart, unitStart + unit.length);
  }
  const value = factor < 0 ? Number(m[1]) / -factor : Number(m[1]) * factor;
  if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER) return fail('the duration is too large', offset, offset + body.length);
  return { ok: true, value };
}
