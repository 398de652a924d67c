import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatOf, parseLogTime } from '../../../runtime/clock/timestamp.js';
import type { TimestampSpec } from '../../../runtime/contract.js';
import { REPO } from '../../cli/run-cli.js';

const corpus = fileURLToPath(new URL('../../../../shared/corpus/fail2ban/expectations/', import.meta.url));
// fail2ban's test clock (SOURCES.md): 2005-08-14T12:00:00 local in CET/CEST.
const NOW = 1_124_013_600_000;
const PARIS: TimestampSpec = { format: 'auto', zone: 'Europe/Paris' };

interface Sample {
  readonly text: string;
  readonly time?: string;
}

function samples(name: string): Sample[] {
  return readFileSync(corpus + name, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Sample)
    .filter((s) => s.time !== undefined);
}

/** Formats forward with Intl, independent of the parser's wall-to-epoch path. */
const paris = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});
const local = (ms: number): string => paris.format(new Date(ms)).replace(' ', 'T');

describe('parseLogTime against fail2ban sshd expectations', () => {
  const sshd = samples('sshd.jsonl');

  it('has the samples it claims to test', () => {
    expect(sshd.length).toBeGreaterThanOrEqual(100);
  });

  it('reads every sshd sample with a time to the expected local time', () => {
    const wrong = sshd
      .map((s) => ({ s, got: parseLogTime(s.text, PARIS, NOW) }))
      .filter(({ s, got }) => got === null || local(got) !== s.time?.slice(0, 19))
      .map(({ s, got }) => `${s.time} <- ${got === null ? 'null' : local(got)} <- ${s.text.slice(0, 40)}`);
    expect(wrong).toEqual([]);
  });
});

describe('parseLogTime formats', () => {
  const utc: TimestampSpec = { format: 'auto', zone: 'UTC' };

  it('takes the year that places a syslog stamp at or before now', () => {
    expect(local(parseLogTime('Jun 21 16:47:48 host x', PARIS, NOW) ?? 0)).toBe('2005-06-21T16:47:48');
    expect(local(parseLogTime('Nov 28 09:16:03 host x', PARIS, NOW) ?? 0)).toBe('2004-11-28T09:16:03');
  });

  it('reads stamps without an offset in the host zone when no zone is given', () => {
    const got = parseLogTime('Jun 21 16:47:48.250 host', { format: 'syslog', year: 2005 }, NOW);
    expect(got).toBe(new Date(2005, 5, 21, 16, 47, 48, 250).getTime());
  });

  it('uses spec.year when given', () => {
    const got = parseLogTime('Nov 28 09:16:03 host', { format: 'syslog', year: 2020, zone: 'UTC' }, NOW);
    expect(got).toBe(Date.UTC(2020, 10, 28, 9, 16, 3));
  });

  it('reads ISO 8601 with offsets, Z, fractions and without offset in the spec zone', () => {
    expect(parseLogTime('2015-04-16T18:02:50.568798+00:00 host', utc, NOW)).toBe(Date.UTC(2015, 3, 16, 18, 2, 50, 568));
    expect(parseLogTime('2019-07-08T17:40:16-04:00 x', utc, NOW)).toBe(Date.UTC(2019, 6, 8, 21, 40, 16));
    expect(parseLogTime('2019-07-08T17:40:16+0530 x', utc, NOW)).toBe(Date.UTC(2019, 6, 8, 12, 10, 16));
    expect(parseLogTime('2019-07-08 17:40:16Z x', utc, NOW)).toBe(Date.UTC(2019, 6, 8, 17, 40, 16));
    expect(parseLogTime('2019-07-08T17:40:16,250 x', { format: 'iso8601', zone: 'Europe/Paris' }, NOW))
      .toBe(Date.UTC(2019, 6, 8, 15, 40, 16, 250));
  });

  it('reads epoch seconds with and without a fraction', () => {
    expect(parseLogTime('1124013600 msg', utc, NOW)).toBe(NOW);
    expect(parseLogTime('1124013600.5 msg', { format: 'epoch' }, 0)).toBe(NOW + 500);
  });

  it('reads epoch milliseconds (12 or 13 digits) under time_format = epoch, not under auto where they are too often an id', () => {
    expect(parseLogTime('1124013600000 msg', { format: 'epoch' }, 0)).toBe(NOW);
    expect(parseLogTime('1124013600123 msg', { format: 'epoch' }, 0)).toBe(NOW + 123);
    expect(parseLogTime('1124013600000 msg', { format: 'auto' }, NOW)).toBeNull();
    expect(parseLogTime('11240136000000 msg', { format: 'epoch' }, 0)).toBeNull();
  });

  it('restricts to the requested format', () => {
    expect(parseLogTime('1124013600 msg', { format: 'syslog' }, NOW)).toBeNull();
    expect(parseLogTime('Jun 21 16:47:48 x', { format: 'iso8601' }, NOW)).toBeNull();
  });

  it('returns null, never throws, on lines without a time or with nonsense', () => {
    for (const line of ['', 'hello', 'Foo 21 16:47:48 x', '2019-13-01T00:00:00Z', '2019-02-30T00:00:00Z', 'Jun 21 25:00:00 x', '12345 x']) {
      expect(parseLogTime(line, utc, NOW)).toBeNull();
    }
    expect(parseLogTime('Jun 21 16:47:48 x', { format: 'auto', zone: 'Not/AZone' }, NOW)).toBeNull();
  });
});

/** Wall time in `zone` of an instant, as `YYYY-MM-DDTHH:MM:SS`, formatted by Intl (not by the parser's path). */
function wallIn(zone: string, ms: number | null): string {
  if (ms === null) return 'null';
  const fmt = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  return fmt.format(new Date(ms)).replace(' ', 'T');
}

describe('parseLogTime: which year a syslog stamp is in', () => {
  const utc: TimestampSpec = { format: 'syslog', zone: 'UTC' };

  it('takes next year for a stamp up to a day ahead across New Year', () => {
    expect(parseLogTime('Jan  1 00:00:10 x', utc, Date.UTC(2025, 11, 31, 23, 59, 20))).toBe(Date.UTC(2026, 0, 1, 0, 0, 10));
  });

  it('reads Feb 29 in the last leap year when this year has none', () => {
    expect(parseLogTime('Feb 29 12:00:00 x', utc, Date.UTC(2025, 2, 10))).toBe(Date.UTC(2024, 1, 29, 12));
  });

  it('takes time_year as the year the log begins in, and goes on from there across New Year', () => {
    const spec: TimestampSpec = { format: 'syslog', zone: 'UTC', year: 2025 };
    const first = parseLogTime('Dec 31 23:59:40 x', spec, Date.UTC(2026, 10, 23))!;
    expect(first).toBe(Date.UTC(2025, 11, 31, 23, 59, 40));
    expect(parseLogTime('Jan  1 00:00:20 x', spec, Date.UTC(2026, 10, 23), first)).toBe(Date.UTC(2026, 0, 1, 0, 0, 20));
  });

  it('goes forward across a gap of more than half a year rather than back before the log began', () => {
    const spec: TimestampSpec = { format: 'syslog', zone: 'UTC', year: 2024 };
    const now = Date.UTC(2026, 10, 23);
    const first = parseLogTime('Jan  1 10:00:00 x', spec, now)!;
    const july = parseLogTime('Jul  3 10:00:00 x', spec, now, first)!;
    expect([first, july]).toEqual([Date.UTC(2024, 0, 1, 10), Date.UTC(2024, 6, 3, 10)]);
    // Stepping back a little (lines out of order, a clock set back) stays in the same run.
    expect(parseLogTime('Jul  2 22:00:00 x', spec, now, july)).toBe(Date.UTC(2024, 6, 2, 22));
  });

  it('keeps a log read in order in sequence, whatever day it is read on', () => {
    // Last November's log piped in on 23 November: the first stamp lands in this year, and the
    // rest follow it, where each stamp alone would fall a year back once past tomorrow.
    const today = Date.UTC(2026, 10, 23, 18);
    const stamps = ['Nov 19 10:00:00', 'Nov 23 23:50:00', 'Nov 24 00:10:00', 'Nov 30 12:00:00', 'Dec 31 23:59:59', 'Jan  1 00:00:01', 'Dec 31 23:59:58'];
    let hint = Number.NaN;
    const times = stamps.map((stamp) => {
      const t = parseLogTime(`${stamp} host x`, utc, today, hint);
      hint = t ?? Number.NaN;
      return t === null ? 'null' : new Date(t).toISOString();
    });
    expect(times).toEqual([
      '2026-11-19T10:00:00.000Z', '2026-11-23T23:50:00.000Z', '2026-11-24T00:10:00.000Z', '2026-11-30T12:00:00.000Z',
      '2026-12-31T23:59:59.000Z', '2027-01-01T00:00:01.000Z', '2026-12-31T23:59:58.000Z',
    ]);
    expect(parseLogTime('Nov 30 12:00:00 host x', utc, today)).toBe(Date.UTC(2025, 10, 30, 12));
  });
});

describe('parseLogTime: clocks going back and forward', () => {
  const berlin: TimestampSpec = { format: 'syslog', year: 2024, zone: 'Europe/Berlin' };

  it('reads the repeated hour by the last stamp: the first pass before the change, the second after it, the earlier without a hint', () => {
    // 27 Oct 2024: 02:00–03:00 happens at +02:00 (00:00–01:00Z), then again at +01:00 (01:00–02:00Z).
    expect(parseLogTime('Oct 27 02:30:00 x', berlin, Date.UTC(2025, 0, 1))).toBe(Date.UTC(2024, 9, 27, 0, 30));
    expect(parseLogTime('Oct 27 02:30:00 x', berlin, Date.UTC(2025, 0, 1), Date.UTC(2024, 9, 27, 0, 25))).toBe(Date.UTC(2024, 9, 27, 0, 30));
    expect(parseLogTime('Oct 27 02:00:00 x', berlin, Date.UTC(2025, 0, 1), Date.UTC(2024, 9, 27, 0, 59))).toBe(Date.UTC(2024, 9, 27, 1, 0));
    expect(parseLogTime('Oct 27 02:30:00 x', berlin, Date.UTC(2025, 0, 1), Date.UTC(2024, 9, 27, 1, 20))).toBe(Date.UTC(2024, 9, 27, 1, 30));
  });

  it('keeps a log in the second pass of the repeated hour there, stamps half an hour apart included', () => {
    const ny: TimestampSpec = { format: 'syslog', year: 2024, zone: 'America/New_York' };
    const now = Date.UTC(2025, 0, 1);
    // 3 Nov 2024: 01:00–02:00 at −04:00 (05:00–06:00Z), then again at −05:00 (06:00–07:00Z).
    let hint = Number.NaN;
    const times = ['Nov  3 01:30:00', 'Nov  3 01:59:00', 'Nov  3 01:05:00', 'Nov  3 01:50:00', 'Nov  3 01:48:00'].map((stamp) => {
      hint = parseLogTime(`${stamp} x`, ny, now, hint)!;
      return new Date(hint).toISOString().slice(11, 16);
    });
    expect(times).toEqual(['05:30', '05:59', '06:05', '06:50', '06:48']);
  });

  it('reads a heartbeat logged every minute through the change as one steady minute apart', () => {
    // What a daemon in Berlin writes from 01:00 to 04:00 local that night: 240 stamps, one a minute.
    const spec: TimestampSpec = { format: 'syslog', zone: 'Europe/Berlin' };
    const wall = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    const stampOf = (ms: number): string => {
      const p = Object.fromEntries(wall.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
      return `${p.month} ${p.day} ${p.hour}:${p.minute}:${p.second}`;
    };
    const first = Date.UTC(2024, 9, 26, 23, 0);
    let hint = Number.NaN;
    for (let i = 0; i < 240; i++) {
      const t = parseLogTime(`${stampOf(first + i * 60_000)} host beat`, spec, Date.UTC(2024, 10, 1), hint);
      expect(t, stampOf(first + i * 60_000)).toBe(first + i * 60_000);
      hint = t!;
    }
  });

  it('resolves skipped and repeated times alike in a named zone and in the host zone (as Date does)', () => {
    const cases: [string, string][] = [
      ['America/New_York', 'Mar 10 02:30:00'], ['America/New_York', 'Nov  3 01:30:00'],
      ['Europe/Berlin', 'Mar 31 02:30:00'], ['Europe/Berlin', 'Oct 27 02:30:00'],
      ['Australia/Lord_Howe', 'Oct  6 02:10:00'], ['Australia/Lord_Howe', 'Apr  7 01:45:00'],
    ];
    // The host zone is the process's at start (rulec reads it once): one process per zone.
    const script = [
      "const { parseLogTime } = await import('./out/runtime/clock/timestamp.js');",
      'const month = { Mar: 2, Apr: 3, Oct: 9, Nov: 10 };',
      'const out = process.argv.slice(1).map((stamp) => {',
      "  const [mon, day, time] = stamp.split(/ +/); const [h, m] = time.split(':').map(Number);",
      "  return [parseLogTime(`${stamp} x`, { format: 'syslog', year: 2024 }, Date.UTC(2025, 0, 1)), new Date(2024, month[mon], Number(day), h, m).getTime()];",
      '});',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    const zones = [...new Set(cases.map(([zone]) => zone))];
    for (const zone of zones) {
      const stamps = cases.filter(([z]) => z === zone).map(([, stamp]) => stamp);
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...stamps], { cwd: REPO, encoding: 'utf8', env: { ...process.env, TZ: zone }, timeout: 20_000 });
      expect(child.stderr).toBe('');
      const results = JSON.parse(child.stdout) as [number, number][];
      stamps.forEach((stamp, i) => {
        const [host, viaDate] = results[i]!;
        const named = parseLogTime(`${stamp} x`, { format: 'syslog', year: 2024, zone }, Date.UTC(2025, 0, 1));
        expect([zone, stamp, named], 'named zone').toEqual([zone, stamp, viaDate]);
        expect([zone, stamp, host], 'host zone').toEqual([zone, stamp, viaDate]);
      });
    }
  });

  it('reads times where the clock moves off the hour, whatever was read before', () => {
    // Lord Howe moves 30 minutes at 02:00 (to 02:30); Chatham changes at 02:45 local.
    const howe: TimestampSpec = { format: 'syslog', year: 2024, zone: 'Australia/Lord_Howe' };
    parseLogTime('Oct  6 02:10:00 x', howe, Date.UTC(2025, 0, 1));
    expect(wallIn('Australia/Lord_Howe', parseLogTime('Oct  6 02:45:00 x', howe, Date.UTC(2025, 0, 1)))).toBe('2024-10-06T02:45:00');
    const chatham: TimestampSpec = { format: 'syslog', year: 2024, zone: 'Pacific/Chatham' };
    parseLogTime('Sep 29 03:10:00 x', chatham, Date.UTC(2025, 0, 1));
    expect(wallIn('Pacific/Chatham', parseLogTime('Sep 29 03:52:30 x', chatham, Date.UTC(2025, 0, 1)))).toBe('2024-09-29T03:52:30');
  });

  it('knows the new year in a half-hour zone as soon as it starts there', () => {
    const kolkata: TimestampSpec = { format: 'syslog', zone: 'Asia/Kolkata' };
    parseLogTime('Dec 31 23:50:00 x', kolkata, Date.UTC(2025, 11, 31, 18, 20));
    // 18:40Z is 00:10 on 1 Jan 2026 in India.
    expect(parseLogTime('Jan  1 00:10:00 x', kolkata, Date.UTC(2025, 11, 31, 18, 40))).toBe(Date.UTC(2025, 11, 31, 18, 40));
  });

  it('never throws on a time Date cannot hold', () => {
    for (const now of [Number.NaN, 1e20, -1e20]) {
      expect(() => parseLogTime('Oct 27 02:30:00 x', { format: 'syslog', zone: 'Europe/Berlin' }, now)).not.toThrow();
    }
    expect(parseLogTime('275761-01-01T00:00:00Z x', { format: 'iso8601' }, 0)).toBeNull();
  });
});

describe('parseLogTime: ISO 8601 details', () => {
  const utc: TimestampSpec = { format: 'iso8601', zone: 'UTC' };
  const paris: TimestampSpec = { format: 'iso8601', zone: 'Europe/Paris' };
  const at = Date.UTC(2024, 0, 1, 10);

  it.each([
    ['2024-01-01t10:00:00z x', at],
    ['2024-01-01T10:00:00.1234567890Z x', at + 123],
    ['2024-01-01 15:30:00 +0530 x', at],
    ['2024-01-01T10:00Z x', at],
    ['2024-01-01T11:00 x', at],
    ['0024-01-01T00:00:00Z x', new Date('0024-01-01T00:00:00Z').getTime()],
  ])('%s', (line, expected) => {
    expect(parseLogTime(line, paris, Date.UTC(2030, 0, 1))).toBe(expected);
  });

  it.each(['2024-01-01T10:00:00+05:3 x', '2024-01-01T10:00:00+5 x', '2024-01-01T10:00:00.Z x', '2024-01-01T10:00:00 -1 x'])(
    'does not read %s as local time with its offset dropped',
    (line) => {
      expect(parseLogTime(line, utc, Date.UTC(2030, 0, 1))).toBeNull();
    },
  );
});

describe('parseLogTime: numbers that only look like epoch seconds', () => {
  it('reads a leading number as epoch seconds under auto only up to a day after now', () => {
    const now = Date.UTC(2024, 0, 1);
    expect(parseLogTime('9876543210 order queued', { format: 'auto' }, now)).toBeNull();
    expect(parseLogTime('1704067200 order queued', { format: 'auto' }, now)).toBe(now);
    expect(parseLogTime('9876543210 order queued', { format: 'epoch' }, now)).toBe(9_876_543_210_000);
  });
});

describe('formatOf', () => {
  it('tells the format of the stamp after a syslog priority as of one without', () => {
    for (const [line, format] of [
      ['Aug 14 11:59:58 host sshd[1]: x', 'syslog'],
      ['<34>Aug 14 11:59:58 host sshd[1]: x', 'syslog'],
      ['2005-08-14T11:59:58Z host x', 'iso8601'],
      ['<165>1 2005-08-14T11:59:58Z host x', 'iso8601'],
      ['1124013598 host x', 'epoch'],
      ['<13>1124013598 host x', 'epoch'],
    ] as const) {
      expect(parseLogTime(line, PARIS, NOW), line).not.toBeNull();
      expect(formatOf(line), line).toBe(format);
    }
  });
});
