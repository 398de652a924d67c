/** Typed readers for INI values: each reports its own problem at the exact span and returns undefined. */
import type { Entry } from '../../grammar/ast.js';
import type { Code } from '../../grammar/codes.js';
import type { Frequency } from '../../runtime/contract.js';
import { didYouMean } from '../did-you-mean.js';
import { parseBoolean, parseDuration, parseFrequency, parseInteger, parseSize } from '../values/index.js';
import type { ValueResult } from '../values/index.js';
import { entryValue, suggestion } from './context.js';
import type { CheckContext } from './context.js';

function read<T>(ctx: CheckContext, entry: Entry, code: Code, parse: (text: string) => ValueResult<T>): T | undefined {
  let result: ValueResult<T>;
  try {
    result = parse(entry.value);
  } catch (error) {
    result = { ok: false, message: error instanceof Error ? error.message : String(error), start: 0, end: entry.value.length };
  }
  if (result.ok) return result.value;
  ctx.error(code, `\`${entry.key}\`: ${result.message}`, ctx.at(entryValue(entry), result.start, result.end));
  return undefined;
}

/** `N/T`; null when it means "every match" / "disabled" (`0/T`, `0/0`). */
export function readFrequency(ctx: CheckContext, entry: Entry): Frequency | null | undefined {
  const frequency = read(ctx, entry, 'R303', parseFrequency);
  if (frequency === undefined) return undefined;
  return frequency.count === 0 ? null : { count: frequency.count, seconds: frequency.seconds };
}

/** `0/1/yes/no/true/false`, any case. */
export function readBoolean(ctx: CheckContext, entry: Entry): boolean | undefined {
  return read(ctx, entry, 'R305', parseBoolean);
}

/** Bytes within `[min, max]`. */
export function readSize(ctx: CheckContext, entry: Entry, min: number, max: number): number | undefined {
  const bytes = read(ctx, entry, 'R304', parseSize);
  if (bytes === undefined) return undefined;
  if (bytes < min || bytes > max) {
    ctx.error('R304', `\`${entry.key}\` must be between ${min} and ${max} bytes`, ctx.at(entryValue(entry)));
    return undefined;
  }
  return bytes;
}

/** A whole number within `[min, max]`. */
export function readInteger(ctx: CheckContext, entry: Entry, min: number, max: number): number | undefined {
  return read(ctx, entry, 'R306', (text) => parseInteger(text, min, max));
}

/** Seconds, never negative, at most `max`. */
export function readDuration(ctx: CheckContext, entry: Entry, max = Infinity): number | undefined {
  const seconds = read(ctx, entry, 'R306', parseDuration);
  if (seconds === undefined) return undefined;
  if (seconds < 0) {
    ctx.error('R306', `\`${entry.key}\` must not be negative`, ctx.at(entryValue(entry)));
    return undefined;
  }
  if (seconds > max) {
    ctx.error('R306', `\`${entry.key}\` must be at most ${max} seconds`, ctx.at(entryValue(entry)));
    return undefined;
  }
  return seconds;
}

/** One of a fixed set of words. */
export function readChoice<T extends string>(ctx: CheckContext, entry: Entry, choices: readonly T[]): T | undefined {
  const found = choices.find((choice) => choice === entry.value);
  if (found !== undefined) return found;
  ctx.error('R321', `\`${entry.key}\` must be ${listOf(choices)}, not \`${entry.value}\``, ctx.at(entryValue(entry)), {
    notes: suggestion(didYouMean(entry.value, choices)),
  });
  return undefined;
}

/** A non-empty text value, kept verbatim. */
export function readText(ctx: CheckContext, entry: Entry): string | undefined {
  if (entry.value !== '') return entry.value;
  ctx.error('R302', `\`${entry.key}\` is empty`, entry.span);
  return undefined;
}

/** `UTC` or an IANA zone name the runtime's Intl knows. */
export function readTimeZone(ctx: CheckContext, entry: Entry): string | undefined {
  if (isTimeZone(entry.value)) return entry.value;
  ctx.error('R321', `\`${entry.key}\`: unknown time zone \`${entry.value}\``, ctx.at(entryValue(entry)), {
    notes: suggestion(didYouMean(entry.value, Intl.supportedValuesOf('timeZone'))),
  });
  return undefined;
}

function isTimeZone(name: string): boolean {
  if (name === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** "`a`, `b` or `c`" for messages. */
export function listOf(words: readonly string[]): string {
  const quoted = words.map((w) => `\`${w}\``);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)!}`;
}
