/**
 * Wall-clock time in a named zone to epoch milliseconds, via `Intl` (no tz database of our own).
 * Offsets are cached per local hour: DST changes land on hour boundaries in every zone in use.
 */
export interface ZoneContext {
  readonly toEpoch: (wallMs: number) => number;
  readonly wallYear: (epochMs: number) => number;
}

const contexts = new Map<string, ZoneContext | null>();

/** A zone by IANA name, `UTC`, or undefined for the host's zone; null when `Intl` does not know the name. */
export function zoneContext(zone: string | undefined): ZoneContext | null {
  const key = zone ?? '';
  const cached = contexts.get(key);
  if (cached !== undefined) return cached;
  const ctx = zone === undefined ? hostZone() : zone.toUpperCase() === 'UTC' ? utcZone() : namedZone(zone);
  contexts.set(key, ctx);
  return ctx;
}

function utcZone(): ZoneContext {
  return { toEpoch: (wall) => wall, wallYear: (epoch) => new Date(epoch).getUTCFullYear() };
}

function hostZone(): ZoneContext {
  return {
    toEpoch: (wall) => {
      const d = new Date(wall);
      return new Date(
        d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(),
        d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds(),
      ).getTime();
    },
    wallYear: (epoch) => new Date(epoch).getFullYear(),
  };
}

function namedZone(zone: string): ZoneContext | null {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    return null;
  }
  /** Local minus UTC, in ms, at one instant. */
  const offsetAt = (epoch: number): number => {
    const f: Record<string, number> = {};
    for (const p of fmt.formatToParts(new Date(epoch))) if (p.type !== 'literal') f[p.type] = Number(p.value);
    const wall = Date.UTC(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
    return wall - (epoch - (((epoch % 1000) + 1000) % 1000));
  };
  // Local hour → offset; bounded so a replay spanning years cannot grow it without end.
  const offsets = new Map<number, number>();
  let yearHour = Number.NaN;
  let year = 0;
  return {
    toEpoch: (wall) => {
      const hour = Math.floor(wall / 3_600_000);
      const known = offsets.get(hour);
      if (known !== undefined) return wall - known;
      const guess = offsetAt(wall);
      let epoch = wall - guess;
      const actual = offsetAt(epoch);
      if (actual !== guess) epoch = wall - actual;
      if (offsets.size >= 4096) offsets.clear();
      offsets.set(hour, wall - epoch);
      return epoch;
    },
    wallYear: (epoch) => {
      // `now` barely moves during a replay: recompute the year once per hour of it.
      const hour = Math.floor(epoch / 3_600_000);
      if (hour !== yearHour) {
        yearHour = hour;
        year = new Date(epoch + offsetAt(epoch)).getUTCFullYear();
      }
      return year;
    },
  };
}
