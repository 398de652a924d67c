import type { TimestampSpec } from '../contract.js';
import { zoneContext, type ZoneContext } from './zone.js';

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** `<PRI>` (RFC 3164) or `<PRI>1 ` (RFC 5424) before the stamp, as syslog writes to the wire and some files. */
const PRIORITY = /^<\d{1,3}>(?:1 )?/;
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?![\d:])/;
// Seconds may be left out (ISO 8601 allows it); an offset may follow one space (`date`'s own
// format). What looks like a broken offset or fraction (`+05:3`) makes the stamp unreadable
// rather than silently local.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])| ?([+-]\d{2}(?::?\d{2})?))?(?![\d:.,]| ?[+-]\d)/;
// Seconds (9 to 11 digits, from 1973 to 5138) or milliseconds (12 or 13, from 1973 to 2286), as Java and JavaScript log them.
const EPOCH = /^(?:(\d{9,11})(?:\.(\d+))?|(\d{12,13}))(?![\d.])/;

/** A guessed stamp (a syslog year, a number read as epoch) may be up to a day ahead of now (clock skew), as fail2ban allows. */
const FUTURE_SLACK_MS = 86_400_000;
/** How far a syslog stamp may go back from the log's last time and still be in the same year run. */
const STEP_BACK_MS = 30 * 86_400_000;

/**
 * The time a log line carries at its start, in epoch ms, or null when it carries none that
 * `spec.format` accepts. `auto` tries syslog, ISO 8601, then epoch seconds (there only up to a
 * day after `now`: a number that merely looks like one is not a time). Stamps without an offset
 * are read in `spec.zone`, else the host zone.
 *
 * `hint` is the log's last time when one is known. A syslog stamp (no year) takes the first year
 * that does not put it more than 30 days before the hint; the first stamp takes `spec.year` (the year the log begins in), else
 * the latest year that does not put it after `now` (a day of slack; Feb 29 looks back to a leap
 * year): a log read in order keeps its sequence across New Year whatever day it is read on. In the hour repeated when
 * clocks go back the hint also picks which of the two instants (the first not before it). Never throws.
 */
export function parseLogTime(line: string, spec: TimestampSpec, now: number, hint = Number.NaN): number | null {
  const text = line.charCodeAt(0) === 60 /* < */ ? line.replace(PRIORITY, '') : line;
  switch (spec.format) {
    case 'syslog':
      return parseSyslog(text, spec, now, hint);
    case 'iso8601':
      return parseIso(text, spec, hint);
    case 'epoch':
      return parseEpoch(text, true);
    case 'auto': {
      const stamped = parseSyslog(text, spec, now, hint) ?? parseIso(text, spec, hint);
      if (stamped !== null) return stamped;
      // Any 9 to 11 digits look like epoch seconds (an order number, a pid): only a plausible
      // time is one. Milliseconds only when asked for: 12 or 13 digits are too often an id.
      const epoch = parseEpoch(text, false);
      return epoch !== null && epoch <= now + FUTURE_SLACK_MS ? epoch : null;
    }
  }
}

function parseSyslog(text: string, spec: TimestampSpec, now: number, hint: number): number | null {
  const m = SYSLOG.exec(text);
  if (m === null) return null;
  const month = MONTHS[m[1] ?? ''];
  if (month === undefined) return null;
  const zone = zoneContext(spec.zone);
  if (zone === null) return null;
  const [day, h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const ms = fraction(m[6]);
  const inYear = (year: number): number | null => wallTime(zone, year, month, day, h, mi, s, ms, hint);
  if (Number.isNaN(hint)) {
    if (spec.year !== undefined) return inYear(spec.year);
  } else {
    // A log goes forward: the first year that does not put the stamp back before the last one
    // by more than a log can step back (a clock set back, lines out of order), even where that
    // is after now (a log of last November piped in on 23 November goes on into "this"
    // December). Nearest-year would put a stamp after a gap of over half a year before the log's start.
    const year = zone.wallYear(hint);
    for (const candidate of [year - 1, year, year + 1]) {
      const t = inYear(candidate);
      if (t !== null && t >= hint - STEP_BACK_MS) return t;
    }
  }
  const limit = now + FUTURE_SLACK_MS;
  for (let year = zone.wallYear(now) + 1, oldest = year - 9; year >= oldest; year--) {
    const t = inYear(year);
    if (t !== null && t <= limit) return t;
  }
  return null;
}

function parseIso(text: string, spec: TimestampSpec, hint: number): number | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const ms = fraction(m[7]);
  const offset = m[9];
  if (m[8] === undefined && offset === undefined) {
    const zone = zoneContext(spec.zone);
    return zone === null ? null : wallTime(zone, y, mo, d, h, mi, s, ms, hint);
  }
  const utc = wallTime(UTC, y, mo, d, h, mi, s, ms, hint);
  if (utc === null || offset === undefined) return utc;
  const sign = offset.charCodeAt(0) === 45 /* - */ ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const oh = Number(digits.slice(0, 2));
  const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (oh > 23 || om > 59) return null;
  return utc - sign * (oh * 60 + om) * 60_000;
}

const UTC: ZoneContext = { toEpoch: (wall) => wall, wallYear: (epoch) => new Date(epoch).getUTCFullYear() };

function parseEpoch(text: string, millis: boolean): number | null {
  const m = EPOCH.exec(text);
  if (m === null) return null;
  if (m[3] !== undefined) return millis ? Number(m[3]) : null;
  return Number(m[1]) * 1000 + fraction(m[2]);
}

/** Digits after the decimal point as whole milliseconds (truncated). */
function fraction(digits: string | undefined): number {
  if (digits === undefined) return 0;
  return Number((digits + '00').slice(0, 3));
}

function wallTime(zone: ZoneContext, y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, hint: number): number | null {
  // A leap second (:60) is read as :59; anything else out of range is not a time.
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  // Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(Date.UTC(2000, mo, d, h, mi, Math.min(s, 59), ms));
  date.setUTCFullYear(y, mo, d);
  if (date.getUTCDate() !== d) return null;
  const epoch = zone.toEpoch(date.getTime(), hint);
  return Number.isFinite(epoch) ? epoch : null;
}
