import { DAY_MS, yearOfDays } from './civil.js';

/**
 * Wall-clock time in a zone to epoch milliseconds, via `Intl` (no tz database of our own).
 *
 * A wall time can name two instants (the hour repeated when clocks go back) or none (the hour
 * skipped when they go forward). Without a hint both kinds of zone resolve as JavaScript's
 * `Date` and Temporal's `compatible` do: the earlier instant of a repeated hour, and a skipped
 * time moved forward by the gap. With a hint (the log's last time), a repeated hour takes the
 * second pass once the hint is past the change, else the first unless that is well before the
 * hint, so a log written through the change reads as one steady sequence.
 */
export interface ZoneContext {
  readonly toEpoch: (wallMs: number, hint?: number) => number;
  readonly wallYear: (epochMs: number) => number;
}

/** How far back a line may go from the one before it and still be read as the same pass of time. */
const LINE_DISORDER_MS = 15 * 60_000;
const MINUTE_MS = 60_000;
const MAX_DATE_MS = 8.64e15;

const contexts = new Map<string, ZoneContext | null>();
let lastZone: string | undefined;
let lastContext: ZoneContext | null | undefined;

/** A zone by IANA name, `UTC`, or undefined for the host's zone; null when `Intl` does not know the name. */
export function zoneContext(zone: string | undefined): ZoneContext | null {
  // Asked once per stamp read, nearly always for the zone asked for last.
  if (zone === lastZone && lastContext !== undefined) return lastContext;
  const key = zone ?? '';
  let ctx = contexts.get(key);
  if (ctx === undefined) {
    const offsetAt = zone === undefined ? (hostIsUtc() ? utcOffset : hostOffset) : zone.toUpperCase() === 'UTC' ? utcOffset : namedOffset(zone);
    ctx = offsetAt === null ? null : offsetAt === utcOffset ? UTC : contextOf(byDay(offsetAt));
    contexts.set(key, ctx);
  }
  lastZone = zone;
  lastContext = ctx;
  return ctx;
}

/** Local minus UTC, in ms, at one instant. */
type OffsetAt = (epochMs: number) => number;

function contextOf(offsetAt: OffsetAt): ZoneContext {
  return {
    toEpoch: (wall, hint) => {
      const before = offsetAt(wall - DAY_MS);
      const after = offsetAt(wall + DAY_MS);
      if (before === after) return wall - before;
      const early = wall - before;
      const late = wall - after;
      const earlyFits = offsetAt(early) === before;
      const lateFits = offsetAt(late) === after;
      if (earlyFits && lateFits) {
        const [first, second] = early <= late ? [early, late] : [late, early];
        if (hint === undefined || Number.isNaN(hint)) return first;
        // A log goes forward. Once it is past the change (the hint has the new offset) it stays
        // in the second pass; before, the first pass, unless that is before the hint by more
        // than lines written close together can be out of order. (The nearer instant would put
        // stamps from half past on in the second pass back into the first.)
        if (offsetAt(hint) === after) return second;
        return first >= hint - LINE_DISORDER_MS ? first : second;
      }
      if (lateFits) return late;
      // Either the only fit, or a skipped time: read with the offset before the change, it lands after it.
      return early;
    },
    wallYear: (epoch) => yearOfDays(Math.floor((epoch + offsetAt(epoch)) / DAY_MS)),
  };
}

/**
 * Offsets looked up once per UTC day where a day has one offset throughout (nearly every day:
 * reading a stamp asks for three or more), else asked again each time. Like `toEpoch`, it takes
 * it that a zone does not change its offset twice within a day. Bounded, as `namedOffset`.
 */
function byDay(offsetAt: OffsetAt): OffsetAt {
  const days = new Map<number, number>();
  return (epoch) => {
    const day = Math.floor(epoch / DAY_MS);
    let whole = days.get(day);
    if (whole === undefined) {
      const start = offsetAt(day * DAY_MS);
      // NaN (a change that day, or out of range) sends every instant of the day to offsetAt.
      whole = start === offsetAt((day + 1) * DAY_MS - 1) ? start : Number.NaN;
      if (days.size >= 4096) days.clear();
      days.set(day, whole);
    }
    return Number.isNaN(whole) ? offsetAt(epoch) : whole;
  };
}

const utcOffset: OffsetAt = () => 0;

/** UTC: every wall time is one instant. */
export const UTC: ZoneContext = { toEpoch: (wall) => wall, wallYear: (epoch) => yearOfDays(Math.floor(epoch / DAY_MS)) };

/** Whether the host's zone is UTC (servers often are): then no stamp needs `Date`'s zone lookups. */
function hostIsUtc(): boolean {
  const name = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return ['UTC', 'Etc/UTC', 'Etc/Universal', 'Etc/Zulu', 'Universal', 'Zulu', 'Etc/GMT', 'GMT'].includes(name);
}

function hostOffset(epoch: number): number {
  return -new Date(epoch).getTimezoneOffset() * MINUTE_MS;
}

/**
 * Offsets from `Intl`, cached per minute of UTC (zones change offset on a minute at most);
 * bounded so a replay spanning years cannot grow it without end.
 */
function namedOffset(zone: string): OffsetAt | null {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    return null;
  }
  const byMinute = new Map<number, number>();
  return (epoch) => {
    const minute = Math.floor(epoch / MINUTE_MS);
    const known = byMinute.get(minute);
    if (known !== undefined) return known;
    const at = minute * MINUTE_MS;
    // Beyond Date's range (or NaN) Intl would throw; callers check the result is a real time.
    if (!(Math.abs(at) <= MAX_DATE_MS)) return Number.NaN;
    const f: Record<string, number> = {};
    for (const p of fmt.formatToParts(new Date(at))) if (p.type !== 'literal') f[p.type] = Number(p.value);
    const wall = new Date(0);
    wall.setUTCFullYear(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1);
    wall.setUTCHours(f.hour ?? 0, f.minute ?? 0, f.second ?? 0, 0);
    const offset = wall.getTime() - at;
    if (byMinute.size >= 4096) byMinute.clear();
    byMinute.set(minute, offset);
    return offset;
  };
}
