import { basename, dirname, resolve } from 'node:path';
import { DirWatcher, watchTargets } from './dir-watcher.js';
import { startsWith } from './fingerprint.js';
import { endsInsideLine, NotRegularFile, OpenFile, type ReadOutcome } from './open-file.js';
import { findCopy, findRotated, staleReason } from './find-file.js';
import { Notifier } from './notifier.js';
import { Pump } from './pump.js';
import type { AsciiLineBytes, Checkpoint, Fingerprint, TailHandlers } from './types.js';

/** Settings a follower runs with, defaults already applied. */
export interface FollowSettings {
  readonly path: string;
  readonly start: 'end' | 'beginning';
  readonly rotateWaitMs: number;
  readonly lineMax: number;
  readonly pollMs: number;
}

const READ_BUFFER = 256 * 1024;
// Bytes read per file per turn before yielding, so a huge backlog never stalls the event loop.
const TURN_BUDGET = 4 * 1024 * 1024;
const DRAIN_INTERVAL = 10;
// Rotated files read out at once, at most: beyond, the oldest is read to its end and given up
// (a checkpoint names each, and rotations faster than rotateWait would pile them up).
const MAX_RETIRING = 4;

/**
 * What the followed path is to the follower (see the diagram on FileFollower):
 * `opening` until one open worked, with how to place it; `absent` while nothing is open at
 * the path; `open` while following `file`.
 */
type Phase =
  /** `initial`: the file was there at the start, so `start = end` applies (a later one is new). */
  | { readonly kind: 'opening'; readonly checkpoint: Checkpoint | null; readonly initial: boolean }
  | { readonly kind: 'absent' }
  | { readonly kind: 'open'; readonly file: OpenFile };

/**
 * Follows one regular file by path: reads appends, and survives rename-and-create,
 * copytruncate, truncation, delete-and-recreate, symlink retargeting and a missing file.
 * Every look at the path is one `step`, run by a Pump (never inside itself), so delivery is
 * in order and a handler that calls `stop()` cannot re-enter.
 *
 * The followed path's phase, and what moves it (each arrow is a notice of that name):
 *
 *   begin(checkpoint)
 *         │
 *         ▼            open works: at the checkpoint ('resumed'),
 *      OPENING ──────▶ at `start` or from 0 ('opened') ──────────────────▶ OPEN(file) ◀──────────┐
 *      │  ▲                                                                │  │  │                 │
 *      └──┘ missing, or not a regular file: a file that appears later      │  │  └ same inode,    │
 *           is new, read from 0 (EACCES: it was there, `start` holds)      │  │    shorter or     │
 *                                                                          │  │    another head:  │
 *                                           another inode, or gone:        │  │    'truncated',   │
 *      ABSENT ◀──────────────────── 'rotated'; the file goes to RETIRING ───┘  │    rewind to 0    │
 *        │                                                                    │    (+ COPY)       │
 *        ├── a file appears at the path: 'opened', from 0 ──▶ OPEN            │                   │
 *        └── a RETIRING file is back at the path: 'returned', read on ────────┴───────────────────┘
 *
 * Beside the phase, each step reads first:
 * - RETIRING: rotated files, read by descriptor until `retireAt` (their rotation plus
 *   `rotateWait`, kept across restarts; at most MAX_RETIRING), then flushed and closed ('retired').
 * - COPY: a copytruncate copy, read from our old offset to its end; the followed file waits.
 * `stopped` (halt) ends a step at once, and `mayRead` (the tailer's checkpoint bound) holds
 * reading until `resume()`.
 */
export class FileFollower {
  private phase: Phase = { kind: 'absent' };
  private readonly retiring: OpenFile[] = [];
  /**
   * A copytruncate copy still being read out, a budget's worth per turn like any backlog (it can
   * be gigabytes when we were behind); the followed file, rewound to 0, waits for it.
   */
  private copy: OpenFile | null = null;
  private readonly watcher: DirWatcher;
  private readonly buf = Buffer.allocUnsafe(READ_BUFFER);
  private readonly abs: string;
  private target: string;
  private pollTimer: NodeJS.Timeout | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly pump: Pump;
  private readonly notices: Notifier;
  private cutTotal = 0;
  private lastSize = -1;
  /** Where the last rotated file was read to when it was retired and nothing else is open. */
  private retiredPosition: Checkpoint | null = null;

  /**
   * `mayRead` is asked before and during reading: false holds reading (the tailer waits for a
   * checkpoint save to land) until `resume()`.
   */
  constructor(
    private readonly settings: FollowSettings,
    private readonly handlers: TailHandlers,
    private readonly mayRead: () => boolean = () => true,
  ) {
    this.abs = resolve(settings.path);
    this.notices = new Notifier(settings.path, handlers);
    this.target = this.abs;
    this.watcher = new DirWatcher(
      (dir, name) => this.onEvent(dir, name),
      (dir, message) => this.notices.error(`watching ${dir}: ${message}`),
    );
    this.pump = new Pump(
      (poll) => this.step(poll),
      () => this.stopped,
      (error) => this.notices.error((error as Error).message),
    );
  }

  /** The file followed at the path, while there is one. */
  private get current(): OpenFile | null {
    return this.phase.kind === 'open' ? this.phase.file : null;
  }

  /** Opens the file (resuming from `checkpoint` when it is still the same file) and starts following. */
  begin(checkpoint: Checkpoint | null): void {
    // Oldest first: files that were being read out when we stopped, then the followed one.
    for (const rotated of checkpoint?.rotated ?? []) this.adoptRotated(rotated);
    const successor = checkpoint !== null && this.adoptRotated(checkpoint);
    // When the checkpointed file was found under another name, whatever the path names now
    // was created after it, so all of it is unread. Until an open works, a file there all along
    // but not openable at start (EACCES, EMFILE) still resumes at its checkpoint, or its end.
    this.phase = { kind: 'opening', checkpoint: successor ? null : checkpoint, initial: !successor };
    this.openCurrent();
    this.refreshWatches();
    // A notice handler may have stopped us meanwhile; a timer started now would never be cleared.
    if (this.stopped) return;
    this.pollTimer = setInterval(() => this.check(true), this.settings.pollMs);
    this.check(false);
  }

  /**
   * Where handled lines of the followed file end. While the path names no file (rotated away,
   * not yet recreated), the newest rotated file's position: a restart finds it by its identity
   * and reads on from there, where an older checkpoint would deliver its lines again. Once it
   * was retired too, still its final position, for the same reason.
   */
  checkpoint(): Checkpoint | null {
    const f = this.current ?? this.retiring.at(-1) ?? null;
    if (f === null) return this.retiredPosition;
    const dir = dirname(this.target);
    // Rotated files still read out: a writer may add to one until it reopens, after our stop too.
    // Each once, with when to give it up, so restarts do not keep it (or pile them up) forever.
    const seen = new Set([`${f.dev}:${f.ino}`]);
    const rotated = [...this.retiring, ...(this.copy === null ? [] : [this.copy])]
      .filter((r) => !seen.has(`${r.dev}:${r.ino}`) && seen.add(`${r.dev}:${r.ino}`) !== undefined)
      .map((r) => positionOf(r, dir));
    return rotated.length === 0 ? positionOf(f, dir) : { ...positionOf(f, dir), rotated };
  }

  /** Reads on after `mayRead` said no (a checkpoint landed); a look like any event's otherwise. */
  resume(): void {
    this.check(false);
  }

  /** Stops watching and reading; call `close` once the last checkpoint was taken. */
  halt(): void {
    this.stopped = true;
    if (this.pollTimer !== null) clearInterval(this.pollTimer);
    if (this.drainTimer !== null) clearInterval(this.drainTimer);
    this.pollTimer = null;
    this.drainTimer = null;
    this.watcher.close();
  }

  close(): void {
    this.current?.close();
    this.phase = { kind: 'absent' };
    this.copy?.close();
    this.copy = null;
    for (const f of this.retiring.splice(0)) f.close();
  }

  private onEvent(dir: string, name: string | null): void {
    // Events for unrelated files in a busy directory cost nothing but this comparison.
    const ours =
      name === null ||
      this.retiring.length > 0 ||
      (dir === dirname(this.abs) && name === basename(this.abs)) ||
      (dir === dirname(this.target) && name === basename(this.target));
    if (ours) this.check(false);
  }

  private check(poll: boolean): void {
    this.pump.run(poll);
  }

  /** One look: rotated files, the path's identity, the copy, the followed file. Returns whether reading is left for the next turn. */
  private step(poll: boolean): boolean {
    let more = false;
    const now = Date.now();
    for (const f of [...this.retiring]) {
      const outcome = this.readOut(f, true);
      if (outcome === 'aborted') return false;
      if (outcome === 'budget') more = true;
      else if (f.retireAt !== null && now >= f.retireAt) this.retire(f);
    }
    if (this.stopped) return false;
    this.identify();
    if (this.stopped) return false;
    if (this.copy !== null) {
      const outcome = this.readOut(this.copy, true);
      if (outcome === 'aborted') return false;
      if (outcome === 'budget') more = true;
      else {
        // Its last, unfinished line goes on in the truncated file: dropped, not delivered in half.
        this.copy.close();
        this.copy = null;
      }
    }
    const cur = this.current;
    if (cur !== null && this.copy === null) {
      const outcome = this.readOut(cur, false);
      if (outcome === 'aborted') return false;
      if (outcome === 'budget') more = true;
      if (cur.readPos !== this.lastSize) this.reportSize(cur.readPos);
    }
    if (poll) this.refreshWatches();
    this.paceDrain();
    return more;
  }

  private reportSize(bytes: number): void {
    this.lastSize = bytes;
    try {
      this.handlers.size?.(bytes);
    } catch (err) {
      this.notices.errorOnce(`size handler threw: ${(err as Error).message}`);
    }
  }

  /**
   * Writes to a rotated file moved to another directory (logrotate's `olddir`) raise no event
   * in the directories we watch; while rotated files are read out, look every few ms rather
   * than wait for the poll.
   */
  private paceDrain(): void {
    if (this.retiring.length > 0 && this.drainTimer === null) {
      this.drainTimer = setInterval(() => this.check(false), DRAIN_INTERVAL);
    } else if (this.retiring.length === 0 && this.drainTimer !== null) {
      clearInterval(this.drainTimer);
      this.drainTimer = null;
    }
  }

  /** Compares what the path names now with the open file and switches, rewinds or waits. */
  private identify(): void {
    const path = this.settings.path;
    const st = this.notices.stat(this.abs);
    if (st === null) return;
    const cur = this.current;
    if (st === undefined) {
      if (cur !== null) this.rotateAway(cur, 'removed');
      this.notices.missing();
      return;
    }
    if (cur === null) {
      if (!this.reinstate(st.dev, st.ino)) this.openCurrent();
      return;
    }
    if (st.dev !== cur.dev || st.ino !== cur.ino) {
      // Finish what the old file holds before the new one's lines come in.
      if (this.readOut(cur, false) === 'aborted') return;
      this.rotateAway(cur, 'replaced');
      if (!this.reinstate(st.dev, st.ino)) this.openCurrent();
      return;
    }
    // Same inode: shorter than what was read means truncation; a changed head means it was
    // truncated and rewritten up to or past our offset between two looks (`cmd > job.log` from
    // cron). The head is checked on every look, not only on polls: reading on from the old
    // offset would deliver half a line of the new content first (one 256-byte pread per wake-up).
    const size = Number(st.size);
    if (size < cur.readPos || !startsWith(cur.fd, cur.fingerprint)) {
      const from = cur.readPos;
      const copy = this.readCopy(cur.fingerprint, cur.handled, cur.ino);
      cur.rewind();
      this.notices.notice({ kind: 'truncated', path, from, to: size, copy });
      // Rewritten past its old size between two looks (`cmd > file`), it still was emptied:
      // size thresholds re-arm from 0 before the new content is read.
      this.reportSize(0);
    }
  }

  /** Opens what the path names: placed as the `opening` phase says until one open worked, then from 0. */
  private openCurrent(): void {
    const path = this.settings.path;
    const opening = this.phase.kind === 'opening' ? this.phase : null;
    const checkpoint = opening?.checkpoint ?? null;
    const initial = opening?.initial ?? false;
    let resumed = false;
    let truncatedWhileStopped = false;
    let openedSize = 0;
    let file: OpenFile;
    try {
      file = OpenFile.open(this.abs, this.settings.lineMax, (fd, size, dev, ino) => {
        openedSize = size;
        if (checkpoint !== null) {
          const stale = staleReason(checkpoint, fd, size, dev, ino);
          if (stale === null) {
            resumed = true;
            return { offset: checkpoint.offset, discarding: checkpoint.discarding };
          }
          this.notices.notice({ kind: 'checkpoint-stale', path, reason: stale });
          truncatedWhileStopped = checkpoint.dev === String(dev) && checkpoint.ino === String(ino);
          // We were following this path: a different file there now was written after our
          // last read, so all of it is unread (`start = end` is for a path never followed).
          return { offset: 0, discarding: false };
        }
        // A file that shows up while we follow the path is new: all of it is unread.
        if (!initial || this.settings.start === 'beginning' || size === 0) return { offset: 0, discarding: false };
        // Starting at the end inside a line: drop its tail rather than deliver half a line.
        return { offset: size, discarding: endsInsideLine(fd, size) };
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Missing at first, or something else than a file there (a directory): a file that
      // appears later is new, all of it unread (a checkpoint still decides, if it turns out to
      // be the same file). One there but not openable (EACCES) still starts at its end.
      const absent = code === 'ENOENT' || code === 'ENOTDIR';
      if ((absent || err instanceof NotRegularFile) && opening !== null) this.phase = { ...opening, initial: false };
      if (absent) this.notices.missing();
      else this.notices.errorOnce((err as Error).message);
      return;
    }
    this.phase = { kind: 'open', file };
    this.notices.present();
    this.notices.recovered();
    this.lastSize = -1;
    const offset = file.readPos;
    this.notices.notice(resumed ? { kind: 'resumed', path, offset } : { kind: 'opened', path, offset });
    this.refreshWatches();
    if (truncatedWhileStopped && checkpoint !== null) {
      // A copytruncate while we were stopped: its copy holds what was written after our
      // checkpoint and before the copy, read first as after a live truncation.
      const copy = this.readCopy(checkpoint.fingerprint, checkpoint, file.ino);
      if (copy !== null) this.notices.notice({ kind: 'truncated', path, from: checkpoint.offset, to: openedSize, copy });
    }
  }

  /**
   * copytruncate: the copy holds what was appended between our last read and the copy, so
   * read that from it before starting over. Returns the copy's name when one was found.
   */
  private readCopy(head: Fingerprint, at: { readonly offset: number; readonly discarding: boolean }, ino: bigint): string | null {
    let found;
    try {
      found = findCopy(this.target, head, at.offset + 1, ino, this.settings.lineMax, at);
    } catch (err) {
      this.notices.error(`looking for a copy: ${(err as Error).message}`);
      return null;
    }
    if (found === null) return null;
    // A copy is complete once the truncation it precedes happened. One still being read out
    // from an earlier truncation is older: finish it first.
    // Not held by mayRead: a copy closed before its end would lose its rest.
    while (this.copy !== null && this.readOut(this.copy, true, false) === 'budget');
    this.copy?.close();
    this.copy = found.file;
    return found.name;
  }

  /** Adopts the checkpointed file if a rotation renamed it while we were down; returns whether it did. */
  private adoptRotated(cp: Checkpoint): boolean {
    try {
      const dirs = watchTargets(this.abs).dirs;
      // A symlink pointed at another directory while we were stopped: the file was where it led.
      if (cp.dir !== undefined && !dirs.includes(cp.dir)) dirs.push(cp.dir);
      const found = findRotated(this.abs, cp, this.settings.lineMax, dirs);
      if (found === null) return false;
      // Its grace period runs from its rotation, not from each restart; one that ran out while we
      // were down is read to its end once and given up.
      const grace = Date.now() + this.settings.rotateWaitMs;
      found.file.retireAt = cp.until === undefined ? grace : Math.min(cp.until, grace);
      this.retiring.push(found.file);
      this.limitRetiring();
      this.notices.notice({ kind: 'resumed-rotated', path: this.settings.path, file: found.name, offset: found.file.readPos });
      return true;
    } catch (err) {
      this.notices.error(`looking for the rotated file: ${(err as Error).message}`);
      return false;
    }
  }

  private rotateAway(f: OpenFile, reason: 'replaced' | 'removed'): void {
    f.retireAt = Date.now() + this.settings.rotateWaitMs;
    this.retiring.push(f);
    this.limitRetiring();
    this.phase = { kind: 'absent' };
    this.notices.notice({ kind: 'rotated', path: this.settings.path, reason });
  }

  /** Beyond MAX_RETIRING, the oldest rotated files are given up once read to their end. */
  private limitRetiring(): void {
    for (const f of this.retiring.slice(0, Math.max(0, this.retiring.length - MAX_RETIRING))) f.retireAt = 0;
  }

  /**
   * A rotated file we still read out is back at the path (renamed back, a symlink pointed at it
   * again): it follows on from where it was read to. Opened afresh it would start at 0 while its
   * old descriptor went on reading it too, delivering every line twice.
   */
  private reinstate(dev: bigint, ino: bigint): boolean {
    const back = this.retiring.find((f) => f.dev === dev && f.ino === ino);
    if (back === undefined) return false;
    this.retiring.splice(this.retiring.indexOf(back), 1);
    back.retireAt = null;
    this.phase = { kind: 'open', file: back };
    this.lastSize = -1;
    this.notices.present();
    this.notices.notice({ kind: 'returned', path: this.settings.path, offset: back.readPos });
    this.refreshWatches();
    return true;
  }

  private retire(f: OpenFile): void {
    const rest = f.flush();
    if (rest !== null) this.deliver([rest], f.handled.offset, true, null);
    f.close();
    this.retiring.splice(this.retiring.indexOf(f), 1);
    this.retiredPosition = positionOf(f, dirname(this.target));
    this.notices.notice({ kind: 'retired', path: this.settings.path, bytesAfterRotation: f.bytesAfterRotation });
  }

  /**
   * Reads `f` on (a turn's budget at most). 'aborted' when stopped, or, when `gated`, held by
   * `mayRead` (before or between chunks: what was read is handled, the rest waits for `resume`).
   */
  private readOut(f: OpenFile, rotated: boolean, gated = true): ReadOutcome {
    // A handler may have stopped us in the middle of a step; read nothing more.
    if (this.stopped || (gated && !this.mayRead())) return 'aborted';
    return f.read(this.buf, TURN_BUDGET, (lines, endOffset, cut, ascii) => {
      if (cut.length > 0) {
        this.cutTotal += cut.length;
        this.notices.notice({ kind: 'line-cut', path: this.settings.path, total: this.cutTotal, lineMax: this.settings.lineMax });
      }
      return (lines.length === 0 || this.deliver(lines, endOffset, rotated, ascii, cut)) && (!gated || this.mayRead());
    });
  }

  private deliver(lines: string[], endOffset: number, rotated: boolean, ascii: AsciiLineBytes | null, cut?: readonly number[]): boolean {
    try {
      this.handlers.lines(lines, { path: this.settings.path, endOffset, rotated, ascii, cut });
    } catch (err) {
      this.notices.errorOnce(`lines handler threw: ${(err as Error).message}`);
    }
    return !this.stopped;
  }

  private refreshWatches(): void {
    if (this.stopped) return;
    const watched = watchTargets(this.abs);
    this.target = watched.target;
    this.watcher.update(watched.dirs);
  }
}

/** Where handled lines of one open file end, as a checkpoint records it (a rotated one: until when it is read). */
function positionOf(f: OpenFile, dir: string): Checkpoint {
  const position = { dev: String(f.dev), ino: String(f.ino), fingerprint: f.fingerprint, ...f.handled, dir };
  return f.retireAt === null ? position : { ...position, until: f.retireAt };
}
