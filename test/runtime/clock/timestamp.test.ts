import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLogTime } from '../../../runtime/clock/timestamp.js';
import type { TimestampSpec } from '../../../runtime/contract.js';

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
    expect(parseLogTime('1124013600 msg', utc, 0)).toBe(NOW);
    expect(parseLogTime('1124013600.5 msg', { format: 'epoch' }, 0)).toBe(NOW + 500);
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
