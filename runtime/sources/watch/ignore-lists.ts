/**
 * `ignore_from FILE|DIR`: ignore lists in logcheck's format, so Debian's logcheck-database
 * lists (/etc/logcheck/ignore.d.server/ ...) work as they are. A file holds one POSIX extended
 * regex per line, as `grep -E -f` reads it; blank lines and lines starting with `#` are left
 * out, as logcheck's cleanrules does. A directory contributes the files run-parts would list
 * (logcheck lists them with `run-parts --list`): names of letters, digits, `_` and `-` only, so
 * `foo.dpkg-old` or an editor's `foo~` are skipped, in byte order.
 *
 * Compiling Debian's server lists takes a few hundred milliseconds; a process keeps what it
 * compiled, by file and its identity (device, inode, size, modification time), so the `every`
 * digests of a daemon read a list again only once it changed.
 */
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { inputFileFix, inputFileProblem } from '../../fs/trusted-file.js';
import { compileEre, type CompiledEre } from './ere-compile.js';
import { EreError } from './ere-parse.js';

/** One pattern of a list, with where it came from. */
export interface ListPattern extends CompiledEre {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly source: string;
}

/**
 * A list that cannot be read or holds a pattern grep -E would refuse (R365), or that another
 * user could change (R381); `where` is `file:line:col` or the path.
 */
export class IgnoreListError extends Error {
  constructor(
    readonly where: string,
    message: string,
    readonly code: 'R365' | 'R381' = 'R365',
  ) {
    super(`${where}: error[${code}]: ${message}`);
  }
}

/** Refuses a list (or its directory) another user could change: they could hide any line from the report. */
function refuseUntrusted(path: string): void {
  const problem = inputFileProblem(path);
  if (problem !== null) throw new IgnoreListError(path, `refusing the ignore list: ${problem}, so another user could make it hide any line; ${inputFileFix()}`, 'R381');
}

/** run-parts' default name rule (Debian, without --lsbsysinit). */
const RUN_PARTS_NAME = /^[A-Za-z0-9_-]+$/;
/** Bytes one list file may have; Debian's largest is ~40 KB. */
const MAX_LIST_BYTES = 16 * 1024 * 1024;
/** logcheck's cleanrules: `grep -E -v '^[[:space:]]*$|^#'`. */
const SKIPPED = /^[\t\n\v\f\r ]*$|^#/;

function reason(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** The files a path stands for: itself, or a directory's files as run-parts lists them. */
function listFiles(path: string): string[] {
  refuseUntrusted(path);
  let st;
  try {
    st = statSync(path);
  } catch (error) {
    throw new IgnoreListError(path, `cannot read the ignore list: ${reason(error)}`);
  }
  if (st.isFile()) return [path];
  if (!st.isDirectory()) throw new IgnoreListError(path, 'an ignore list must be a file or a directory of files');
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (error) {
    throw new IgnoreListError(path, `cannot read the ignore list directory: ${reason(error)}`);
  }
  const files = names
    .filter((name) => RUN_PARTS_NAME.test(name))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map((name) => join(path, name))
    .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile() === true);
  files.forEach(refuseUntrusted);
  return files;
}

/** A list file compiled in this process, and the identity of the file it was compiled from. */
const compiled = new Map<string, { readonly identity: string; readonly patterns: readonly ListPattern[] }>();
/** Files whose compiled patterns are kept at most (a daemon's lists; a few dozen as a rule). */
const KEPT_FILES = 1024;

const identityOf = (st: Stats): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;

/** The patterns of one list file, compiled now or earlier in this process. */
function readList(file: string): readonly ListPattern[] {
  let bytes: Buffer;
  let st: Stats;
  try {
    st = statSync(file);
    const known = compiled.get(file);
    if (known !== undefined && known.identity === identityOf(st)) return known.patterns;
    if (st.size > MAX_LIST_BYTES) throw new Error(`larger than ${MAX_LIST_BYTES} bytes`);
    bytes = readFileSync(file);
  } catch (error) {
    throw new IgnoreListError(file, `cannot read the ignore list: ${reason(error)}`);
  }
  const patterns: ListPattern[] = [];
  const lines = bytes.toString('utf8').split('\n');
  // grep -f: a last line without a newline is a pattern too; the empty string after a final newline is not.
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((source, i) => {
    if (SKIPPED.test(source)) return;
    try {
      patterns.push({ file, line: i + 1, source, ...compileEre(source) });
    } catch (error) {
      if (!(error instanceof EreError)) throw error;
      throw new IgnoreListError(`${file}:${i + 1}:${error.at + 1}`, error.message);
    }
  });
  // Written while it was read (its identity changed meanwhile): compiled, not kept.
  if (identityOf(statSync(file, { throwIfNoEntry: false }) ?? st) === identityOf(st)) {
    if (compiled.size >= KEPT_FILES) compiled.clear();
    compiled.set(file, { identity: identityOf(st), patterns });
  }
  return patterns;
}

/** Reads and compiles every pattern of the lists, in order; throws IgnoreListError at the first problem. */
export function readIgnoreLists(paths: readonly string[]): ListPattern[] {
  return paths.flatMap((path) => listFiles(path).flatMap((file) => readList(file)));
}
