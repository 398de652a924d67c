import type { TimestampSpec } from '../contract.js';
import { zoneContext } from './zone.js';

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** `<PRI>` (RFC 3164) or `<PRI>1 ` (RFC 5424) before the stamp, as syslog writes to the wire and some files. */
const PRIORITY = /^<\d{1,3}>(?:1 )?/;
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?![\d:])/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?(?![\d:])/;
const EPOCH = /^(\d{9,11})(?:\.(\d{1,9}))?(?![\d.])/;

/** A stamp up to a day ahead of now keeps the current year (clock skew), as fail2ban allows. */
const FUTURE_SLACK_MS = 86_400_000;

/**
 * The time a log line carries at its start, in epoch ms, or null when it carries none that
 * `spec.format` accepts. Syslog `Mon DD HH:MM:SS` takes `spec.year`, else the year that puts it at
 * or before `now` (up to a day of slack); stamps without an offset are read in `spec.zone`, else
 * the host zone. `auto` tries syslog, ISO 8601, then epoch seconds. Never throws.
 */
export function parseLogTime(line: string, spec: TimestampSpec, now: number): number | null {
  const text = line.charCodeAt(0) === 60 /* < */ ? line.replace(PRIORITY, '') : line;
  switch (spec.format) {
    case 'syslog':
      return parseSyslog(text, spec, now);
    case 'iso8601':
      return parseIso(text, spec);
    case 'epoch':
      return parseEpoch(text);
    case 'auto':
      return parseSyslog(text, spec, now) ?? parseIso(text, spec) ?? parseEpoch(text);
  }
}

function parseSyslog(text: string, spec: TimestampSpec, now: number): number | null {
  const m = SYSLOG.exec(text);
  if (m === null) return null;
  const month = MONTHS[m[1] ?? ''];
  if (month === undefined) return null;
  const zone = zoneContext(spec.zone);
  if (zone === null) return null;
  const [day, h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const ms = fraction(m[6]);
  if (spec.year !== undefined) return wallTime(zone.toEpoch, spec.year, month, day, h, mi, s, ms);
  const year = zone.wallYear(now);
  const guess = wallTime(zone.toEpoch, year, month, day, h, mi, s, ms);
  if (guess === null || guess <= now + FUTURE_SLACK_MS) return guess;
  return wallTime(zone.toEpoch, year - 1, month, day, h, mi, s, ms);
}

function parseIso(text: string, spec: TimestampSpec): number | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const ms = fraction(m[7]);
  const offset = m[8];
  if (offset === undefined) {
    const zone = zoneContext(spec.zone);
    return zone === null ? null : wallTime(zone.toEpoch, y, mo, d, h, mi, s, ms);
  }
  const utc = wallTime((wall) => wall, y, mo, d, h, mi, s, ms);
  if (utc === null || offset === 'Z') return utc;
  const sign = offset.charCodeAt(0) === 45 /* - */ ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const oh = Number(digits.slice(0, 2));
  const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (oh > 23 || om > 59) return null;
  return utc - sign * (oh * 60 + om) * 60_000;
}

function parseEpoch(text: string): number | null {
  const m = EPOCH.exec(text);
  if (m === null) return null;
  return Number(m[1]) * 1000 + fraction(m[2]);
}

/** Digits after the decimal point as whole milliseconds (truncated). */
function fraction(digits: string | undefined): number {
  if (digits === undefined) return 0;
  return Number((digits + '00').slice(0, 3));
}

function wallTime(
  toEpoch: (wallMs: number) => number,
  y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number,
): number | null {
  // A leap second (:60) is read as :59; anything else out of range is not a time.
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const wall = Date.UTC(y, mo, d, h, mi, Math.min(s, 59), ms);
  if (new Date(wall).getUTCDate() !== d) return null;
  return toEpoch(wall);
}
