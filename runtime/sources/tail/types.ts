/** Identifies a file's content by a hash of its first `length` bytes (at most 256). */
export interface Fingerprint {
  readonly length: number;
  /** Hex SHA-256 of those bytes. */
  readonly sha256: string;
}

/**
 * Where a path was read to. `offset` counts only bytes whose lines were delivered and whose
 * handler returned; `discarding` means the byte at `offset` sits inside a line whose start was
 * already cut or skipped, so reading resumes by dropping up to the next newline.
 */
export interface Checkpoint {
  /** Device and inode as decimal strings: bigint stats do not fit a JSON number. */
  readonly dev: string;
  readonly ino: string;
  readonly fingerprint: Fingerprint;
  readonly offset: number;
  readonly discarding: boolean;
  /**
   * The directory of the followed file (a symlink's target's) when this was taken: a restart
   * looks there too for a file rotated while stopped, also after the link was pointed elsewhere.
   */
  readonly dir?: string;
  /**
   * Files rotated away from the path and still being read out (`rotateWait`) when this was
   * taken, oldest first: a restart reads on in them too, if they are still beside the path.
   */
  readonly rotated?: readonly Checkpoint[];
  /** For a rotated file: epoch ms when its reading out ends (its rotation plus `rotateWait`). */
  readonly until?: number;
}

/** What a checkpoint load found: nothing, a checkpoint, or a problem (unreadable or corrupt). */
export interface CheckpointLoad {
  readonly value: Checkpoint | null;
  readonly problem: string | null;
}

/** Persists one checkpoint per followed path. Implementations never throw; save reports failures. */
export interface CheckpointStore {
  load(path: string): Promise<CheckpointLoad>;
  /** Resolves to null on success or to a message describing why the write failed. */
  save(path: string, checkpoint: Checkpoint): Promise<string | null>;
}

/** How one path is followed. */
export interface TailOptions {
  readonly path: string;
  /** Where to begin when there is no usable checkpoint. A file that appears later is always read from 0. */
  readonly start: 'end' | 'beginning';
  readonly fileType: 'file' | 'fifo';
  /** Seconds to keep reading a renamed or deleted file by its descriptor (default 5). */
  readonly rotateWait?: number;
  /** Bytes; a longer line is cut to this, delivered once, and the rest up to its newline dropped (default 64 KiB). */
  readonly lineMax?: number;
  readonly checkpoint?: CheckpointStore | null;
  /** Milliseconds between safety-net polls (default 200). */
  readonly pollInterval?: number;
  /** Milliseconds between checkpoint saves (default 1000); a save also happens on stop. */
  readonly checkpointInterval?: number;
  /**
   * Lines handled between checkpoint saves (default 10,000) besides the interval; reading waits
   * while ten times this many are not in a saved checkpoint (the bound on lines a crash repeats).
   */
  readonly checkpointLines?: number;
}

/**
 * The bytes of a batch's lines when the chunk they were read in is ASCII (byte i of a line is
 * then its code unit i): line k is `bytes[starts[k], ends[k])`, or has no bytes here when
 * `starts[k]` is -1 (it was joined with bytes held from an earlier read, or cut). Valid only
 * during the `lines` call: the read buffer is reused.
 */
export interface AsciiLineBytes {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Facts about one delivered batch. */
export interface LineBatchInfo {
  /** The followed path as configured (also for lines read from a rotated-away file). */
  readonly path: string;
  /** Offset just past the batch in the file it came from; for a FIFO, bytes read so far. */
  readonly endOffset: number;
  /** True when the lines come from a file that was renamed or deleted and is read out by descriptor. */
  readonly rotated: boolean;
  /** Lets a prefilter read the lines' bytes without encoding the strings again; null: not at hand. */
  readonly ascii: AsciiLineBytes | null;
  /** Indices, in order, of the lines cut at `lineMax` (absent: none): the engine must know them (engine/cut-line.ts). */
  readonly cut?: readonly number[];
}

/** Events worth a line in the engine's own log. */
export type TailNotice =
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'opened'; readonly path: string; readonly offset: number }
  | { readonly kind: 'resumed'; readonly path: string; readonly offset: number }
  /** The checkpointed file was rotated while stopped and is read out under its new name. */
  | { readonly kind: 'resumed-rotated'; readonly path: string; readonly file: string; readonly offset: number }
  | { readonly kind: 'checkpoint-stale'; readonly path: string; readonly reason: string }
  | { readonly kind: 'rotated'; readonly path: string; readonly reason: 'replaced' | 'removed' }
  /** A rotated file still being read out is back at the path: followed on from `offset`. */
  | { readonly kind: 'returned'; readonly path: string; readonly offset: number }
  | { readonly kind: 'retired'; readonly path: string; readonly bytesAfterRotation: number }
  /** `copy`: the sibling a copytruncate left, from which the lines appended before it were read. */
  | { readonly kind: 'truncated'; readonly path: string; readonly from: number; readonly to: number; readonly copy: string | null }
  | { readonly kind: 'line-cut'; readonly path: string; readonly total: number; readonly lineMax: number }
  | { readonly kind: 'error'; readonly path: string; readonly message: string };

/** Callbacks of a tailer. `lines` is called synchronously and in file order. */
export interface TailHandlers {
  /** Once it returns, those lines count as handled and may be checkpointed. */
  lines(lines: string[], info: LineBatchInfo): void;
  /** Current size of the followed file after each read that changed it (for size thresholds). */
  size?(bytes: number): void;
  notice?(event: TailNotice): void;
}

export const DEFAULT_ROTATE_WAIT = 5;
export const DEFAULT_LINE_MAX = 64 * 1024;
export const DEFAULT_POLL_INTERVAL = 200;
export const DEFAULT_CHECKPOINT_INTERVAL = 1000;
export const DEFAULT_CHECKPOINT_LINES = 10_000;
