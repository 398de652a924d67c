import type { TimestampSpec } from '../contract.js';
import { DAY_MS, daysFromCivil, daysInMonth } from './civil.js';
import { UTC, zoneContext, type ZoneContext } from './zone.js';

/** Month names by their three character codes packed into one number (no string made per line). */
const MONTHS: ReadonlyMap<number, number> = new Map(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((name, i) => [monthKey(name), i]),
);

function monthKey(text: string): number {
  return (text.charCodeAt(0) << 16) | (text.charCodeAt(1) << 8) | text.charCodeAt(2);
}

/** `<PRI>` (RFC 3164) or `<PRI>1 ` (RFC 5424) before the stamp, as syslog writes to the wire and some files. */
const PRIORITY = /^<\d{1,3}>(?:1 )?/;

/** `line` from its stamp on: without a PRIORITY before it. */
function withoutPriority(line: string): string {
  return line.charCodeAt(0) === 60 /* < */ ? line.replace(PRIORITY, '') : line;
}
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
 * A stamp read in the year before its hint's is at least 365 days, less a change of the zone's
 * offset (under two days), before where it is in the hint's year: if that is less than this
 * after the hint, the year before puts it more than STEP_BACK_MS before the hint.
 */
const YEAR_BEFORE_MS = 363 * 86_400_000 - STEP_BACK_MS;

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
  const text = withoutPriority(line);
  switch (spec.format) {
    case 'syslog':
      return parseSyslog(text, spec, now, hint);
    case 'iso8601':
      return parseIso(text, spec, hint);
    case 'epoch':
      return parseEpoch(text, true);
    case 'auto': {
      // ISO and epoch stamps start with a digit: most lines need no regex run at all.
      if (!isDigit(text.charCodeAt(0))) return parseSyslog(text, spec, now, hint);
      const stamped = parseIso(text, spec, hint);
      if (stamped !== null) return stamped;
      // Any 9 to 11 digits look like epoch seconds (an order number, a pid): only a plausible
      // time is one. Milliseconds only when asked for: 12 or 13 digits are too often an id.
      const epoch = parseEpoch(text, false);
      return epoch !== null && epoch <= now + FUTURE_SLACK_MS ? epoch : null;
    }
  }
}

/**
 * The fields of a syslog stamp, as `/^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?![\d:])/`
 * reads them, by hand: a regex match (an array of seven strings) per line was most of the cost
 * of a replay. One object, overwritten by each call.
 */
const stamp = { month: 0, day: 0, h: 0, mi: 0, s: 0, ms: 0, end: 0 };

/**
 * The last syslog stamp read (the first `end` characters of `text`) and its time. A line read next with the same spec
 * that starts with the same stamp, its hint that time, is at that time too (the same year, and
 * in a repeated hour the same pass): lines logged within one second skip the reading.
 */
const lastSyslog = { spec: null as TimestampSpec | null, text: '', end: 0, time: Number.NaN };

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Two digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Reads a syslog stamp at the start of `text` into `stamp`; false when there is none. */
function readSyslogStamp(text: string): boolean {
  const c0 = text.charCodeAt(0);
  if (!(c0 >= 65 && c0 <= 90)) return false;
  const month = MONTHS.get(monthKey(text));
  if (month === undefined || text.charCodeAt(3) !== 32) return false;
  let at = text.charCodeAt(4) === 32 ? 5 : 4;
  if (!isDigit(text.charCodeAt(at))) return false;
  let day = text.charCodeAt(at++) - 48;
  if (isDigit(text.charCodeAt(at))) day = day * 10 + text.charCodeAt(at++) - 48;
  if (text.charCodeAt(at) !== 32) return false;
  const h = twoDigits(text, at + 1);
  const mi = twoDigits(text, at + 4);
  const s = twoDigits(text, at + 7);
  if (h < 0 || mi < 0 || s < 0 || text.charCodeAt(at + 3) !== 58 || text.charCodeAt(at + 6) !== 58) return false;
  at += 9;
  let ms = 0;
  const next = text.charCodeAt(at);
  if (next === 46 /* . */) {
    let end = at + 1;
    while (isDigit(text.charCodeAt(end))) end++;
    // Up to nine digits not followed by a colon are a fraction; otherwise the stamp ends before the dot.
    if (end > at + 1 && end <= at + 10 && text.charCodeAt(end) !== 58) {
      ms = fraction(text.slice(at + 1, end));
      at = end;
    }
  } else if (isDigit(next) || next === 58) {
    return false;
  }
  stamp.month = month;
  stamp.day = day;
  stamp.h = h;
  stamp.mi = mi;
  stamp.s = s;
  stamp.ms = ms;
  stamp.end = at;
  return true;
}

/** How a line's leading time is written. */
export type StampFormat = 'syslog' | 'iso8601' | 'epoch';

/**
 * The format of the time `line` starts with, for a line `parseLogTime` read a time from: the
 * formats start differently (a month name; four digits and a dash; digits only).
 */
export function formatOf(line: string): StampFormat {
  const text = withoutPriority(line);
  const c = text.charCodeAt(0);
  if (c >= 65 && c <= 90) return 'syslog';
  return text.charCodeAt(4) === 45 /* - */ ? 'iso8601' : 'epoch';
}

/** Whether `text` starts with the stamp `previous` starts with (its first `end` characters), ending there too. */
function sameStamp(text: string, previous: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) !== previous.charCodeAt(i)) return false;
  // Not the same if it goes on: more digits, a fraction or a colon.
  const next = text.charCodeAt(end);
  return end > 0 && !(isDigit(next) || next === 58 || next === 46);
}

function parseSyslog(text: string, spec: TimestampSpec, now: number, hint: number): number | null {
  const last = lastSyslog;
  if (spec === last.spec && hint === last.time && sameStamp(text, last.text, last.end)) return last.time;
  if (!readSyslogStamp(text)) return null;
  const zone = zoneContext(spec.zone);
  if (zone === null) return null;
  const t = syslogTime(zone, spec, now, hint);
  if (t !== null) {
    last.spec = spec;
    last.text = text;
    last.end = stamp.end;
    last.time = t;
  }
  return t;
}

/** The time of the syslog stamp just read into `stamp`. */
function syslogTime(zone: ZoneContext, spec: TimestampSpec, now: number, hint: number): number | null {
  const { month, day, h, mi, s, ms } = stamp;
  if (Number.isNaN(hint)) {
    if (spec.year !== undefined) return wallTime(zone, spec.year, month, day, h, mi, s, ms, hint);
  } else {
    // A log goes forward: the first year that does not put the stamp back before the last one
    // by more than a log can step back (a clock set back, lines out of order), even where that
    // is after now (a log of last November piped in on 23 November goes on into "this"
    // December). Nearest-year would put a stamp after a gap of over half a year before the log's start.
    const year = zone.wallYear(hint);
    const same = wallTime(zone, year, month, day, h, mi, s, ms, hint);
    // The year before comes first, but is a year earlier: it can only qualify when this year's
    // time is nearly a year after the hint (or does not exist: Feb 29).
    const from = same === null || same >= hint + YEAR_BEFORE_MS ? year - 1 : year;
    for (let candidate = from; candidate <= year + 1; candidate++) {
      const t = candidate === year ? same : wallTime(zone, candidate, month, day, h, mi, s, ms, hint);
      if (t !== null && t >= hint - STEP_BACK_MS) return t;
    }
  }
  const limit = now + FUTURE_SLACK_MS;
  for (let year = zone.wallYear(now) + 1, oldest = year - 9; year >= oldest; year--) {
    const t = wallTime(zone, year, month, day, h, mi, s, ms, hint);
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

/** Largest |epoch ms| a `Date` holds. */
const MAX_DATE_MS = 8.64e15;

function wallTime(zone: ZoneContext, y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, hint: number): number | null {
  // A leap second (:60) is read as :59; anything else out of range is not a time.
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || d > daysInMonth(y, mo)) return null;
  const wall = daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + Math.min(s, 59)) * 1000 + ms;
  if (!(Math.abs(wall) <= MAX_DATE_MS)) return null;
  const epoch = zone.toEpoch(wall, hint);
  return Number.isFinite(epoch) ? epoch : null;
}
