/**
 * One pass of a `watch` block: the lines written to its log since the last pass, judged
 * (line-judge.ts) and the unusual ones written out, escaped. Where the last pass stopped comes
 * from a `WatchPosition`; if the log was rotated since, the rest of the rotated file (found
 * beside it by device, inode and head, as the tailer finds one) is read first, then the new file
 * from its start. A truncated or rewritten log is read from its start, with a note.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { escapeControl } from '../../log/escape.js';
import { LineStream, type StreamPosition } from '../line-stream.js';
import { fingerprintOf, startsWith } from '../tail/fingerprint.js';
import type { Fingerprint } from '../tail/types.js';
import type { LineJudge } from './line-judge.js';
import { CUT_MARK, ReportLines } from './report-lines.js';
import type { WatchPosition } from './watch-position.js';

/** What a pass reads and how. */
export interface WatchSource {
  readonly logfile: string;
  /** Strip blanks from both ends of each line before judging and reporting (`trim yes`). */
  readonly trim: boolean;
  readonly lineMax?: number;
}

/** How a pass went. `position` is where the next pass starts; null when nothing could be read. */
export interface WatchScanResult {
  readonly position: WatchPosition | null;
  readonly lines: number;
  readonly reported: number;
  /** False when the pass stopped at `maxReportBytes` and the rest waits for the next one. */
  readonly complete: boolean;
}

/** Options of a pass. */
export interface WatchScanOptions {
  /** Characters of reported lines after which the pass stops at the end of a batch (default 16 Mi). */
  readonly maxReportBytes?: number;
}

const DEFAULT_MAX_REPORT = 16 * 1024 * 1024;
/** Directory entries looked at when searching for a rotated log (as the tailer). */
const MAX_SIBLINGS = 10_000;
/** Attempts when the log is replaced between looking at it and opening it. */
const ATTEMPTS = 3;

const blank = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** Strips the blanks Perl's `\s` would from each line's ends (trim), noting where each now starts. */
function trimBlanks(lines: string[], from: Int32Array): void {
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    let start = 0;
    let end = line.length;
    while (start < end && blank(line.charCodeAt(start))) start++;
    while (end > start && blank(line.charCodeAt(end - 1))) end--;
    from[k] = start;
    if (start !== 0 || end !== line.length) lines[k] = line.slice(start, end);
  }
}

/** The file now at `path`: identity and head, and whether `p` describes it (same file, grown only); throws the error opening it. */
function lookAt(path: string, p: WatchPosition | null): { dev: bigint; ino: bigint; fingerprint: Fingerprint; size: number; matches: boolean } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTFILE' });
    const fingerprint = fingerprintOf(fd);
    const size = Number(st.size);
    return {
      dev: st.dev,
      ino: st.ino,
      fingerprint,
      size,
      matches: p !== null && p.dev === String(st.dev) && p.ino === String(st.ino) && p.offset <= size && startsWith(fd, p.fingerprint),
    };
  } finally {
    closeSync(fd);
  }
}

/** Bytes looked at, back from a log's end, for the start of its last line. */
const TAIL_BYTES = 64 * 1024;

/**
 * Where a log ends now, as a position to read on from: after its last complete line (an
 * unfinished one is read whole later), or, when no newline is in its last 64 KiB, at its end
 * with the rest of that line dropped. Null when the log does not exist.
 */
export function startPosition(logfile: string): WatchPosition | null {
  const path = resolve(logfile);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) throw new Error(`${logfile} is not a regular file`);
    const size = Number(st.size);
    const from = Math.max(0, size - TAIL_BYTES);
    const tail = Buffer.alloc(size - from);
    let filled = 0;
    while (filled < tail.length) {
      const n = readSync(fd, tail, filled, tail.length - filled, from + filled);
      if (n === 0) break;
      filled += n;
    }
    const newline = tail.subarray(0, filled).lastIndexOf(0x0a);
    // No newline: the log is one unfinished line (read it whole later), or its last one is too long to keep.
    const discarding = newline === -1 && from > 0;
    const offset = newline !== -1 ? from + newline + 1 : discarding ? size : 0;
    return { dev: String(st.dev), ino: String(st.ino), fingerprint: fingerprintOf(fd), offset, discarding, dir: dirname(path) };
  } finally {
    closeSync(fd);
  }
}

/** The file `p` described, renamed within `dirs` by a rotation, still holding its head; null when gone. */
function findRotated(p: WatchPosition, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.slice(0, MAX_SIBLINGS)) {
      const path = join(dir, name);
      const st = lstatSync(path, { bigint: true, throwIfNoEntry: false });
      if (st === undefined || !st.isFile() || String(st.dev) !== p.dev || String(st.ino) !== p.ino) continue;
      try {
        return lookAt(path, p).matches ? path : null;
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Streams lines into the judge and the report's bytes into `out` (each piece valid only during
 * the call); see the file comment.
 */
export async function scanWatch(
  source: WatchSource,
  judge: LineJudge,
  from: WatchPosition | null,
  out: (bytes: Uint8Array) => void,
  options: WatchScanOptions = {},
): Promise<WatchScanResult> {
  const maxReport = options.maxReportBytes ?? DEFAULT_MAX_REPORT;
  const path = resolve(source.logfile);
  const lineMax = source.lineMax;
  const report = new ReportLines(out);
  let lines = 0;
  let reported = 0;
  let cut = 0;
  const unjudgedBefore = judge.unjudged;
  let picked = new Int32Array(4096);
  let trimmedFrom = source.trim ? new Int32Array(4096) : null;
  const note = (text: string): void => report.text(`[rulec: ${escapeControl(text)}]\n`);

  /** Reads one file from `at`; returns where it stopped and whether it read to the end. */
  const read = async (file: string, at: StreamPosition, ino: bigint, unterminated: 'deliver' | 'keep'): Promise<{ position: StreamPosition; complete: boolean } | null> => {
    const stream = LineStream.open(file, { from: at, unterminated, ...(lineMax === undefined ? {} : { lineMax }) });
    if (stream.stat?.ino !== Number(ino)) {
      // Replaced since we looked: the caller looks again.
      for await (const _ of stream) break;
      return null;
    }
    for await (const batch of stream) {
      const batchLines = batch.lines;
      if (picked.length < batchLines.length) {
        picked = new Int32Array(batchLines.length);
        if (trimmedFrom !== null) trimmedFrom = new Int32Array(batchLines.length);
      }
      if (trimmedFrom !== null) trimBlanks(batchLines, trimmedFrom);
      const count = judge.judgeBatch(batchLines, batch.ascii, picked, batch.cut);
      report.lines(batchLines, picked, count, batch.ascii, trimmedFrom, batch.cut);
      reported += count;
      lines += batchLines.length;
      cut += batch.cut.length;
      if (report.size >= maxReport) return { position: stream.position, complete: false };
    }
    return { position: stream.position, complete: true };
  };

  const finish = (position: WatchPosition | null, complete: boolean): WatchScanResult => {
    const unjudged = judge.unjudged - unjudgedBefore;
    if (unjudged > 0) note(`${unjudged} line${unjudged === 1 ? ' is' : 's are'} here unjudged: a pattern ran past its time bound on ${unjudged === 1 ? 'it' : 'them'} (see rulec check's notes on the block's regexes)`);
    if (cut > 0) note(`${cut} line${cut === 1 ? ' was' : 's were'} longer than line_max (${CUT_MARK} where reported): an ignore whose match needs the line's end does not ignore ${cut === 1 ? 'it' : 'them'}`);
    if (!complete) note(`this report stops after ${report.size} bytes of lines; the next one goes on from there`);
    report.flush();
    return { position, lines, reported, complete };
  };

  // After the rotated file was read, the new one is read from its start, whatever happens next.
  let last = from;
  let afterRotation = false;
  for (let attempt = 1; ; attempt++) {
    let now: ReturnType<typeof lookAt> | null;
    try {
      now = lookAt(path, last);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${source.logfile}: ${(error as Error).message}`);
      now = null;
    }
    let start: StreamPosition = { offset: 0, discarding: false };
    if (last !== null && !afterRotation) {
      if (now !== null && now.matches) {
        start = { offset: last.offset, discarding: last.discarding };
      } else if (now !== null && last.dev === String(now.dev) && last.ino === String(now.ino)) {
        note(`${source.logfile} was truncated or rewritten (or replaced by a file that got its inode) since the last report: read from its start`);
      } else {
        const rotated = findRotated(last, [...new Set([dirname(path), last.dir])]);
        if (rotated === null) {
          note(`${source.logfile} was rotated since the last report and the rotated file was not found beside it (compressed or removed?): lines written to it after the last report are not here`);
        } else {
          const old = await read(rotated, { offset: last.offset, discarding: last.discarding }, BigInt(last.ino), 'deliver');
          if (old !== null && !old.complete) return finish({ ...last, offset: old.position.offset, discarding: old.position.discarding }, false);
          if (old !== null) {
            last = { ...last, offset: old.position.offset, discarding: old.position.discarding };
            note(`the lines above came from ${basename(rotated)}, the rotated ${basename(source.logfile)}; those below from the new file`);
          }
        }
        afterRotation = true;
      }
    }
    if (now === null) {
      if (last === null) throw new Error(`cannot read ${source.logfile}: it does not exist`);
      note(`${source.logfile} does not exist now`);
      return finish(last, true);
    }
    const current = await read(path, start, now.ino, 'keep');
    if (current === null) {
      if (attempt < ATTEMPTS) continue;
      throw new Error(`cannot read ${source.logfile}: it was replaced while being opened, ${ATTEMPTS} times`);
    }
    const position: WatchPosition = {
      dev: String(now.dev),
      ino: String(now.ino),
      fingerprint: now.fingerprint,
      offset: current.position.offset,
      discarding: current.position.discarding,
      dir: dirname(path),
    };
    return finish(position, current.complete);
  }
}
