import { readSync } from 'node:fs';
import type { TimestampSpec } from '../contract.js';
import { parseLogTime } from './timestamp.js';
import { zoneContext } from './zone.js';

/** A guessed year may put a stamp up to a day after the file's last write (clock skew), as `parseLogTime` allows. */
const SLACK_MS = 86_400_000;
const CHUNK = 1024 * 1024;
/** Bytes of a line's start decoded to read its time: more than any stamp takes. */
const HEAD = 64;
/** Bytes compared to tell whether a line starts another day than the one before (`Mmm dd`). */
const DAY = 6;
const NEWLINE = 0x0a;
const HASH = 0x23;

/** One way of reading times, followed through the log as the engine follows it. */
interface Chain {
  readonly spec: TimestampSpec;
  first: number;
  last: number;
  lastHead: string;
}

/**
 * The year a log whose stamps carry none (syslog) must be read as beginning in, for each way of
 * reading times in `specs` that has no `year` of its own, so that its last stamp falls at or
 * before `writtenAt` (the file's last write; a day of slack), as docs/cli.md promises for
 * `rulec test --replay`. Read from the first stamp on, a log of June to February written last
 * December would otherwise end next February.
 *
 * Reads the file `fd` from its start as the engine reads its lines (comment lines, `#`, left
 * out, as `rulec test` leaves them out), following each spec's year run with `parseLogTime`
 * and the last time as its hint. Within one day a year does not change, so it reads only the
 * lines whose first bytes (`Mmm dd`) differ from the line before, and that line: the same
 * hints and years, at the cost of finding each line's start. Returns only the specs whose last
 * stamp would fall after `writtenAt`.
 */
export function firstYears(fd: number, specs: readonly TimestampSpec[], writtenAt: number): Map<TimestampSpec, number> {
  const chains: Chain[] = specs
    .filter((spec) => spec.year === undefined && (spec.format === 'syslog' || spec.format === 'auto'))
    .map((spec) => ({ spec, first: Number.NaN, last: Number.NaN, lastHead: '' }));
  const years = new Map<TimestampSpec, number>();
  if (chains.length === 0) return years;
  const read = (head: string): void => {
    for (const chain of chains) {
      const t = parseLogTime(head, chain.spec, writtenAt, chain.last);
      if (t === null) continue;
      if (Number.isNaN(chain.first)) chain.first = t;
      chain.last = t;
      chain.lastHead = head;
    }
  };
  forEachDayChange(fd, read);
  for (const chain of chains) {
    if (!(chain.last > writtenAt + SLACK_MS)) continue;
    const zone = zoneContext(chain.spec.zone);
    // Where the last stamp is read on its own, at or before the last write.
    const alone = parseLogTime(chain.lastHead, chain.spec, writtenAt);
    if (zone === null || alone === null) continue;
    const behind = zone.wallYear(chain.last) - zone.wallYear(alone);
    if (behind > 0) years.set(chain.spec, zone.wallYear(chain.first) - behind);
  }
  return years;
}

/**
 * Calls `read` with the start (HEAD bytes, as text) of each line, comment lines aside, whose
 * first DAY bytes differ from the line before it, preceded by the line before it when that was
 * not read: so `read` sees the last line of each day and the first of the next.
 */
function forEachDayChange(fd: number, read: (head: string) => void): void {
  const buf = Buffer.allocUnsafe(CHUNK);
  const prev = Buffer.alloc(HEAD);
  const cur = Buffer.alloc(HEAD);
  let prevLength = -1;
  let prevRead = true;
  let curLength = 0;
  let open = false;
  const sameDay = (): boolean => {
    if (prevLength < DAY || curLength < DAY) return false;
    for (let i = 0; i < DAY; i++) if (cur[i] !== prev[i]) return false;
    return true;
  };
  const endLine = (): void => {
    if (!(curLength > 0 && cur[0] === HASH)) {
      const same = sameDay();
      if (!same) {
        if (!prevRead) read(prev.toString('utf8', 0, prevLength));
        read(cur.toString('utf8', 0, curLength));
      }
      cur.copy(prev, 0, 0, curLength);
      prevLength = curLength;
      prevRead = !same;
    }
    curLength = 0;
    open = false;
  };
  for (let position = 0; ; ) {
    const n = readSync(fd, buf, 0, CHUNK, position);
    if (n === 0) break;
    position += n;
    const chunk = buf.subarray(0, n);
    for (let at = 0; at < n; ) {
      const nl = chunk.indexOf(NEWLINE, at);
      const end = nl === -1 ? n : nl;
      if (curLength < HEAD && end > at) curLength += chunk.copy(cur, curLength, at, Math.min(end, at + HEAD - curLength));
      open = true;
      if (nl === -1) break;
      endLine();
      at = nl + 1;
    }
  }
  if (open) endLine();
}
