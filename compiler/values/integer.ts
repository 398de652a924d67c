import { fail, trimmed, type ValueResult } from './value-result.js';

/** A decimal whole number (optionally signed) within `[min, max]`. */
export function parseInteger(text: string, min: number, max: number): ValueResult<number> {
  const { body, offset } = trimmed(text);
  const end = body === '' ? text.length : offset + body.length;
  const start = body === '' ? 0 : offset;
  if (!/^[+-]?\d+$/.test(body)) return fail('expected a whole number', start, end);
  const value = Number(body);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return fail(`expected a whole number from ${min} to ${max}`, start, end);
  }
  return { ok: true, value };
}
