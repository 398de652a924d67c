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
 * not read: so `read` sees the last line of each day and the first of the next. A line that
 * cannot start with a stamp `parseLogTime` reads as syslog or auto (see `mayStamp`) is not passed.
 *
 * Works on the bytes of each chunk where they are: a line's head is copied only when the chunk
 * ends inside it, and the line before only when it was not read and the chunk it is in is
 * about to be overwritten. Copying each line's head, and then to the line before, was a quarter
 * of this pass on a log whose day changes at most lines (bench: 1 M resampled lines).
 */
export function forEachDayChange(fd: number, read: (head: string) => void, chunkSize = CHUNK): void {
  const buf = Buffer.allocUnsafe(chunkSize);
  // The head of a line the last chunk ended in, and the line before's head when kept past its chunk.
  const carry = Buffer.alloc(HEAD);
  const kept = Buffer.alloc(HEAD);
  let carryLength = 0;
  let open = false;
  // The line before: where its head is, its first DAY bytes as one number (-1: fewer), whether read.
  let prevBytes: Buffer = kept;
  let prevStart = 0;
  let prevLength = 0;
  let prevDay = -1;
  let prevRead = true;
  /** Copies the line before's head to `kept` when `from` is about to be overwritten and it may yet be read. */
  const keep = (from: Buffer): void => {
    if (prevRead || prevBytes !== from) return;
    from.copy(kept, 0, prevStart, prevStart + prevLength);
    prevBytes = kept;
    prevStart = 0;
  };
  const line = (bytes: Buffer, start: number, length: number): void => {
    if (length > 0 && bytes[start] === HASH) return;
    let day = -1;
    if (length >= DAY) {
      day = 0;
      // Six bytes fit a double's 53 bits exactly.
      for (let i = 0; i < DAY; i++) day = day * 256 + (bytes[start + i] as number);
    }
    const same = day !== -1 && day === prevDay;
    if (!same) {
      if (!prevRead && mayStamp(prevBytes, prevStart, prevLength)) read(prevBytes.toString('utf8', prevStart, prevStart + prevLength));
      if (mayStamp(bytes, start, length)) read(bytes.toString('utf8', start, start + length));
    }
    prevBytes = bytes;
    prevStart = start;
    prevLength = length;
    prevDay = day;
    prevRead = !same;
  };
  for (let position = 0; ; ) {
    keep(buf);
    const n = readSync(fd, buf, 0, chunkSize, position);
    if (n === 0) break;
    position += n;
    const chunk = buf.subarray(0, n);
    let at = 0;
    if (open) {
      // The rest of the line the last chunk ended in.
      const nl = chunk.indexOf(NEWLINE, 0);
      const end = nl === -1 ? n : nl;
      if (carryLength < HEAD) carryLength += buf.copy(carry, carryLength, 0, Math.min(end, HEAD - carryLength));
      if (nl === -1) continue;
      line(carry, 0, carryLength);
      open = false;
      at = nl + 1;
    }
    while (at < n) {
      const nl = chunk.indexOf(NEWLINE, at);
      if (nl === -1) {
        keep(carry);
        carryLength = buf.copy(carry, 0, at, Math.min(n, at + HEAD));
        open = true;
        break;
      }
      line(buf, at, Math.min(nl - at, HEAD));
      at = nl + 1;
    }
  }
  if (open) line(carry, 0, carryLength);
}

/**
 * Whether a line starting with these bytes can carry a syslog or auto stamp: `<` (a priority),
 * a digit (ISO 8601, epoch) or a capital (a month). Others, a third of a mixed log (`[`, `-`),
 * read no time whatever the hint, so they are not decoded.
 */
function mayStamp(bytes: Buffer, start: number, length: number): boolean {
  if (length === 0) return false;
  const c = bytes[start] as number;
  return c === 0x3c || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
}
