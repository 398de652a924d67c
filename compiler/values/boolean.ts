import { fail, trimmed, type ValueResult } from './value-result.js';

const WORDS: Readonly<Record<string, boolean>> = { '0': false, '1': true, no: false, yes: true, false: false, true: true };

/** logNOT booleans: `0`, `1`, `yes`, `no`, `true`, `false`, in any case. */
export function parseBoolean(text: string): ValueResult<boolean> {
  const { body, offset } = trimmed(text);
  const key = body.toLowerCase();
  const value = Object.hasOwn(WORDS, key) ? WORDS[key] : undefined;
  if (value === undefined) {
    return fail('expected a boolean: 0, 1, yes, no, true or false', body === '' ? 0 : offset, body === '' ? text.length : offset + body.length);
  }
  return { ok: true, value };
}
