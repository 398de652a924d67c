import { fail, trimmed, type ValueResult } from './value-result.js';

const UNITS: Readonly<Record<string, number>> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `<n>[B|K|M|G]` in bytes, units in powers of 1024 and case-insensitive; no unit means bytes. Zero is rejected. */
export function parseSize(text: string): ValueResult<number> {
  const { body, offset } = trimmed(text);
  const m = /^(\d+)\s*([A-Za-z]*)$/.exec(body);
  if (!m) return fail('expected a size `<number>[B|K|M|G]`, e.g. `100M`', body === '' ? 0 : offset, body === '' ? text.length : offset + body.length);
  const digits = m[1]!;
  const unit = m[2]!;
  const unitStart = offset + body.length - unit.length;
  const factor = unit === '' ? 1 : UNITS[unit.toLowerCase()];
  if (factor === undefined) return fail(`unknown size unit \`${unit}\`; use B, K, M or G`, unitStart, unitStart + unit.length);
  const value = Number(digits) * factor;
  if (!Number.isSafeInteger(value)) return fail('the size is too large', offset, offset + body.length);
  if (value === 0) return fail('the size must be greater than zero', offset, offset + digits.length);
  return { ok: true, value };
}
