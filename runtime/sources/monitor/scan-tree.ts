/**
 * Walks the `dir`s of a `monitor` block and writes its listing (listing.ts): recursively, in
 * byte order of names, regular files digested, symbolic links listed as links and never
 * followed, other file types (FIFOs, sockets, devices) left alone, and no directory on another
 * file system entered unless the block asks for it. Each directory is entered once, however
 * many roots reach it. Errors on one file or directory become `warn` lines; the walk goes on.
 *
 * Synchronous reads through one buffer are the fastest Node has for many small files
 * (bench/runtime-monitor.ts): `scanTrees` walks in one go, for a report. A daemon cannot stop
 * for a whole tree, so the walk is a generator that yields after each file (and each MiB of a
 * large one): `scanTreesSliced` gives the event loop a turn every few milliseconds.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, type Dirent } from 'node:fs';
import { escapeControl } from '../../log/escape.js';
import { FileDigester, type DigestAlgorithm } from './digest.js';
import { fileLine, linkLine, warnLine } from './listing.js';
import { escapeName } from './name-escape.js';

/** What to scan and how. */
export interface TreeScanOptions {
  readonly dirs: readonly string[];
  readonly algorithm: DigestAlgorithm;
  /** Enter directories on other file systems (mount points) too. */
  readonly crossFilesystems: boolean;
  /** Called now and then with the files and bytes done so far (progress on a terminal). */
  readonly progress?: (files: number, bytes: number) => void;
  /** `dirs` are entries to list as they are, each on its own: a link as a link, a directory not entered (realtime checks). */
  readonly entries?: boolean;
}

/** Counts of one scan. */
export interface TreeScanStats {
  files: number;
  links: number;
  bytes: number;
  warnings: number;
}

const SLASH = Buffer.from('/');
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** Files between progress calls. */
const PROGRESS_EVERY = 256;

const byBytes = (a: Dirent<Buffer>, b: Dirent<Buffer>): number => Buffer.compare(a.name, b.name);

function ownership(st: { mode: number; uid: number; gid: number }): { mode: number; uid: number; gid: number } {
  return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message;
}

/** Scans the trees, handing each listing line (without newline) to `emit`. */
export function scanTrees(options: TreeScanOptions, emit: (line: string) => void): TreeScanStats {
  const walk = walkTrees(options, emit);
  for (;;) {
    const step = walk.next();
    if (step.done === true) return step.value;
  }
}

/**
 * `scanTrees` in slices of about `sliceMs` of work, each followed by a turn of the event loop;
 * resolves null when `stopped()` says so between slices.
 */
export async function scanTreesSliced(options: TreeScanOptions, emit: (line: string) => void, stopped: () => boolean, sliceMs = 20): Promise<TreeScanStats | null> {
  const walk = walkTrees(options, emit);
  let sliceEnd = performance.now() + sliceMs;
  for (let k = 1; ; k++) {
    const step = walk.next();
    if (step.done === true) return step.value;
    if ((k & 15) === 0 && performance.now() > sliceEnd) {
      await new Promise<void>((done) => setImmediate(done));
      if (stopped()) return null;
      sliceEnd = performance.now() + sliceMs;
    }
  }
}

/** The walk; yields between files (see the file comment). */
function* walkTrees(options: TreeScanOptions, emit: (line: string) => void): Generator<void, TreeScanStats> {
  const digester = new FileDigester(options.algorithm);
  const stats: TreeScanStats = { files: 0, links: 0, bytes: 0, warnings: 0 };
  const entered = new Set<string>();
  const warn = (what: string, path: Uint8Array, error: unknown): void => {
    stats.warnings += 1;
    emit(warnLine(`${what} ${escapeName(path)}: ${escapeControl(reason(error))}`));
  };

  function* file(path: Buffer): Generator<void, void> {
    let fd: number;
    try {
      fd = openSync(path, OPEN_FLAGS);
    } catch (error) {
      // Replaced by a link since the directory was read: list what is there now.
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') return yield* other(path);
      return warn('cannot read', path, error);
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return;
      const { digest, bytes } = yield* digester.steps(fd, st.size);
      stats.files += 1;
      stats.bytes += bytes;
      emit(fileLine(path, digest, options.algorithm, bytes, ownership(st)));
      if (options.progress !== undefined && stats.files % PROGRESS_EVERY === 0) options.progress(stats.files, stats.bytes);
    } catch (error) {
      warn('cannot read', path, error);
    } finally {
      closeSync(fd);
    }
    yield;
  }

  function* link(path: Buffer): Generator<void, void> {
    try {
      const st = lstatSync(path);
      if (!st.isSymbolicLink()) return yield* other(path);
      const target = readlinkSync(path, { encoding: 'buffer' });
      stats.links += 1;
      emit(linkLine(path, target, ownership(st)));
    } catch (error) {
      warn('cannot read link', path, error);
    }
  }

  function* directory(path: Buffer, rootDev: bigint | null): Generator<void, void> {
    let entries: Dirent<Buffer>[];
    try {
      const st = lstatSync(path, { bigint: true });
      if (!st.isDirectory()) return;
      if (rootDev !== null && st.dev !== rootDev && !options.crossFilesystems) {
        stats.warnings += 1;
        emit(warnLine(`not entering ${escapeName(path)}: another file system (\`cross_filesystems yes\` enters it)`));
        return;
      }
      const id = `${st.dev}:${st.ino}`;
      if (entered.has(id)) return;
      entered.add(id);
      rootDev ??= st.dev;
      entries = readdirSync(path, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      return warn('cannot read directory', path, error);
    }
    entries.sort(byBytes);
    const prefix = path.length > 0 && path[path.length - 1] === SLASH[0] ? path : Buffer.concat([path, SLASH]);
    for (const entry of entries) {
      const child = Buffer.concat([prefix, entry.name]);
      if (entry.isFile()) yield* file(child);
      else if (entry.isDirectory()) yield* directory(child, rootDev);
      else if (entry.isSymbolicLink()) yield* link(child);
      else if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) continue;
      // The file system did not say (DT_UNKNOWN): ask it.
      else yield* other(child, rootDev);
    }
  }

  function* other(path: Buffer, rootDev: bigint | null = null): Generator<void, void> {
    let st;
    try {
      st = lstatSync(path);
    } catch (error) {
      return warn('cannot read', path, error);
    }
    if (st.isFile()) yield* file(path);
    else if (st.isSymbolicLink()) yield* link(path);
    else if (st.isDirectory() && rootDev !== null) yield* directory(path, rootDev);
  }

  for (const dir of options.dirs) {
    if (options.entries === true) {
      yield* other(Buffer.from(dir));
      continue;
    }
    // A root the operator named is followed even when it is a symlink (`dir /etc` on a host
    // where /etc is a link); what lies under it is not.
    const root = Buffer.from(dir.length > 1 ? dir.replace(/\/+$/, '') : dir);
    let path = root;
    let st;
    try {
      st = lstatSync(root);
      if (st.isSymbolicLink()) {
        path = Buffer.concat([root, SLASH]);
        st = lstatSync(path);
      }
    } catch (error) {
      warn('cannot read directory', root, error);
      continue;
    }
    if (st.isDirectory()) yield* directory(path, null);
    else if (st.isFile()) yield* file(root);
    else warn('cannot read directory', root, new Error('not a directory'));
  }
  return stats;
}
