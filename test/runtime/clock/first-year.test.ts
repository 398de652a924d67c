import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { firstYears, forEachDayChange } from '../../../runtime/clock/first-year.js';
import { parseLogTime } from '../../../runtime/clock/timestamp.js';
import type { TimestampSpec } from '../../../runtime/contract.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
/** loghub's full Linux set: /var/log/messages from Jun 9 to Feb 28 of the next year, no year in its stamps. */
const LINUX = `${CORPUS}loghub/full/Linux.log`;
const UTC: TimestampSpec = { format: 'auto', zone: 'UTC' };
const WRITTEN = Date.UTC(2026, 11, 7, 22, 45);

function withFd<T>(path: string, body: (fd: number) => T): T {
  const fd = openSync(path, 'r');
  try {
    return body(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every line's time, each read with the last one as its hint, as the engine reads a replay. */
function chain(lines: readonly string[], spec: TimestampSpec, now: number): number[] {
  const times: number[] = [];
  let hint = Number.NaN;
  for (const line of lines) {
    const t = parseLogTime(line, spec, now, hint);
    if (t === null) continue;
    times.push(t);
    hint = t;
  }
  return times;
}

describe('firstYears', () => {
  it('starts loghub\'s Linux.log (June to February) in the year that ends it before the file\'s last write', () => {
    const lines = readFileSync(LINUX, 'utf8').split('\n');
    // Read from its first stamp on, as before: June of the write's year, and it ends next February.
    const unplaced = chain(lines, UTC, WRITTEN);
    expect(new Date(unplaced.at(-1)!).toISOString()).toBe('2027-02-28T04:48:54.000Z');
    const years = withFd(LINUX, (fd) => firstYears(fd, [UTC], WRITTEN));
    expect(years.get(UTC)).toBe(2025);
    const placed = chain(lines, { ...UTC, year: 2025 }, WRITTEN);
    expect(new Date(placed[0]!).toISOString()).toBe('2025-06-09T06:06:20.000Z');
    expect(new Date(placed.at(-1)!).toISOString()).toBe('2026-02-28T04:48:54.000Z');
    expect(placed.length).toBe(unplaced.length);
  });

  it('leaves a log alone that already ends before the last write, and a spec with its own year', () => {
    const march = Date.UTC(2026, 2, 10);
    // Jun 9 then goes to 2025, and Feb 28 to 2026, before March 2026.
    expect(withFd(LINUX, (fd) => firstYears(fd, [UTC], march)).size).toBe(0);
    expect(withFd(LINUX, (fd) => firstYears(fd, [{ ...UTC, year: 2004 }], WRITTEN)).size).toBe(0);
  });

  it('follows the year runs of every line, reading only where the day changes: the same last time as reading them all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-first-year-'));
    try {
      // A log that steps back more than 30 days twice (a clock set back), so the run crosses two
      // years; day changes, comment lines, a line with no stamp and a CRLF, and chunks of 1 MiB.
      const filler = `${'x'.repeat(120)}\n`.repeat(12_000);
      const text = [
        '# a note with Jan  1 in it',
        'Dec 30 23:59:59 h a',
        filler,
        'Dec 31 00:00:01 h b',
        'Jan 31 23:00:00 h c\r',
        'no stamp here',
        'Jan  1 00:30:00 h d (more than 30 days back: the next year)',
        'Jan  1 00:30:00 h e',
        filler,
        'Mar  3 10:00:00 h f',
        'Jan  2 10:00:00 h g (back again: one more year)',
        'Jan  2 10:00:00 h h',
      ].join('\n');
      const file = join(dir, 'x.log');
      writeFileSync(file, text);
      const written = Date.UTC(2026, 0, 5);
      const all = chain(text.split('\n').filter((l) => !l.startsWith('#')), UTC, written);
      expect(new Date(all.at(-1)!).toISOString()).toBe('2028-01-02T10:00:00.000Z');
      const years = withFd(file, (fd) => firstYears(fd, [UTC], written));
      // Two years too late: it begins two years earlier, in 2023, and ends on 2 January 2026.
      expect(years.get(UTC)).toBe(new Date(all[0]!).getUTCFullYear() - 2);
      const placed = chain(text.split('\n').filter((l) => !l.startsWith('#')), { ...UTC, year: years.get(UTC)! }, written);
      expect(new Date(placed.at(-1)!).toISOString()).toBe('2026-01-02T10:00:00.000Z');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the same line heads whatever the chunks: lines across chunk ends, comment lines, same-day runs, lines no stamp starts, no last newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-first-year-'));
    try {
      const lines = [
        'Jan  1 00:00:01 a',
        'Jan  1 00:00:02 same day: unread',
        '# Feb  2 a comment between two lines of a day',
        'Jan  1 00:00:03 the last of its day',
        `Jan  2 10:00:00 ${'long '.repeat(30)}`,
        `Jan  2 10:00:01 é ${'ü'.repeat(40)}`,
        'Jan  2 10:00:02 x',
        '',
        'Jan',
        'Jan  3 00:00:00 y',
        'Jan  3 00:00:01 z',
        '2026-01-03T00:00:02Z iso',
        '[Sat Jan 03 00:00:02 2026] no stamp a syslog or auto spec reads: not passed',
        '- 1767398402 nor here',
        '<13>Jan  3 00:00:02 a priority',
        'Jan  3 00:00:03 last, no newline',
      ];
      const file = join(dir, 'x.log');
      writeFileSync(file, lines.join('\n'));
      // What it promises, from the lines themselves: the first 64 bytes of each line whose
      // first 6 differ from the line before (comments aside), and that line before when unread.
      const mayStamp = (head: Buffer): boolean => /^[<0-9A-Z]/.test(head.toString());
      const heads = lines.filter((l) => !l.startsWith('#')).map((l) => Buffer.from(l).subarray(0, 64));
      const expected: string[] = [];
      heads.forEach((head, i) => {
        const before = heads[i - 1];
        const same = before !== undefined && head.length >= 6 && before.length >= 6 && head.subarray(0, 6).equals(before.subarray(0, 6));
        if (same) return;
        const beforeRead = i < 2 || !(heads[i - 2]!.length >= 6 && before!.length >= 6 && heads[i - 2]!.subarray(0, 6).equals(before!.subarray(0, 6)));
        if (!beforeRead && mayStamp(before!)) expected.push(before!.toString());
        if (mayStamp(head)) expected.push(head.toString());
      });
      expect(expected).toContain('Jan  1 00:00:03 the last of its day');
      expect(expected).not.toContain(lines[1]);
      expect(expected).toContain('<13>Jan  3 00:00:02 a priority');
      expect(expected.some((head) => head.startsWith('[') || head.startsWith('-') || head === '')).toBe(false);
      // What it leaves out reads no time, as syslog or auto, whatever the hint.
      for (const l of lines.filter((l) => !mayStamp(Buffer.from(l)))) {
        for (const spec of [UTC, { ...UTC, format: 'syslog' } as const]) {
          expect(parseLogTime(l, spec, WRITTEN)).toBeNull();
          expect(parseLogTime(l, spec, WRITTEN, Date.UTC(2026, 0, 3))).toBeNull();
        }
      }
      for (const chunk of [1, 2, 5, 6, 7, 17, 63, 64, 65, 100, 1 << 20]) {
        const read: string[] = [];
        withFd(file, (fd) => forEachDayChange(fd, (head) => read.push(head), chunk));
        expect(read, `chunks of ${chunk} bytes`).toEqual(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
