/**
 * The compile cache: a rule file compiled to the script the runtime evaluates, kept on disk so
 * that starting `rulec run`, `rulec test` or a reload on an unchanged file loads neither the
 * compiler nor its dependencies. Cheap to import (no parser): the CLI asks it before it loads
 * the compiler.
 *
 * - Where: `$XDG_CACHE_HOME/rulec` (an absolute XDG_CACHE_HOME), else `~/.cache/rulec`.
 * - One entry per compiler and entry file: its name is the sha256 of the compiler's identity (a
 *   hash of the built compiler, grammar and runtime code, the package and Node versions), the
 *   entry's absolute path and the name it was given as (diagnostics show that name). An entry
 *   holds the sha256 of the text of every file the compile read (the entry and everything it
 *   `source`s), and is used only while each still hashes the same: an edit anywhere, a file
 *   gone, makes it a miss. Only clean compiles (no errors) are kept.
 * - Trust: the directory is made 0700 and refused, like the state directory, when it or one
 *   above it is writable by other users (runtime/fs's StrictModes); an entry is read only when
 *   it is a regular file (no symlink followed) owned by this user or root and writable by no one
 *   else. A cache shared with root (root's entries, in a directory only root writes) is
 *   therefore read by other users but never written by them; an entry another user could have
 *   written is never loaded.
 * - Writes are atomic (runtime/fs's writeFileAtomic); the oldest entries beyond MAX_ENTRIES go.
 * - A custom module's bundle (`kind: 'module'`, cli/module-importer.ts) is kept the same way,
 *   under the bundler's version and the bytes of every file the bundler read.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { checkTrustedDir, ensurePrivateDir, inputFileProblem, writeFileAtomic } from '../runtime/index.js';
import type { Diagnostic } from '../grammar/diagnostic.js';
import { packageRoot, packageVersion } from './manifest.js';
import { readRuleFile } from './read-rule-file.js';

/** A compiled rule file as the cache gives it back. */
export interface CachedCompile {
  /** The module as the runtime's `evaluateModuleScript` takes it. */
  readonly script: string;
  /** The compiler's report as the user read it (warnings), rendered. */
  readonly report: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Which compile an entry is for: the entry file as given, and the directory it was given in.
 * A rule file's compile (the default) reads text as rule files are read; a custom module's
 * bundle (`module`, with the bundler's name and version in `tool`) reads files as bytes.
 */
export interface CacheKey {
  readonly path: string;
  readonly cwd: string;
  readonly kind?: 'rules' | 'module';
  readonly tool?: string;
}

/** Entries kept; beyond this the least recently written go (a few rule files per user, a few compiler versions). */
export const MAX_ENTRIES = 50;
/** The largest entry read back (a 1,000-rule module is about 3 MB). */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const ENTRY_NAME = /^[0-9a-f]{64}\.json$/;
const FORMAT = 1;

/** What an entry file holds. */
interface Entry {
  readonly format: number;
  readonly identity: string;
  readonly entry: string;
  readonly given: string;
  readonly kind: 'rules' | 'module';
  readonly tool: string;
  /** [absolute path, sha256 of its text] for every file the compile read. */
  readonly inputs: readonly (readonly [string, string])[];
  readonly script: string;
  readonly report: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** The cache directory for an environment (XDG Base Directory: a relative XDG_CACHE_HOME is ignored). */
export function cacheDirectory(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env.HOME !== undefined && isAbsolute(env.HOME) ? env.HOME : homedir(), '.cache');
  return join(base, 'rulec');
}

let identity: string | null = null;

/**
 * The compiler's identity: the package and Node versions (V8 decides which patterns compile)
 * and a hash of every built module of the grammar, compiler and runtime (what a compile's
 * output can depend on), so a rebuilt or upgraded rulec never takes an older compiler's output.
 */
export function compilerIdentity(): string {
  if (identity !== null) return identity;
  const root = packageRoot();
  const hash = createHash('sha256').update(`${FORMAT}\0${packageVersion()}\0${process.version}\0`);
  for (const dir of ['grammar', 'compiler', 'runtime']) hashTree(hash, join(root, 'out'), dir);
  identity = hash.digest('hex');
  return identity;
}

function hashTree(hash: ReturnType<typeof createHash>, root: string, dir: string): void {
  const entries = readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const name = `${dir}/${entry.name}`;
    if (entry.isDirectory()) hashTree(hash, root, name);
    else if (entry.name.endsWith('.js')) hash.update(`${name}\0`).update(readBytes(join(root, name))).update('\0');
  }
}

function readBytes(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(size);
    let length = 0;
    for (let n; length < size && (n = readSync(fd, buf, length, size - length, null)) > 0; ) length += n;
    return buf.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * An input's hash as it is now, or null when it cannot be read or another user could change it
 * (a miss: the compile then says why, R380): a rule file's text as the compiler reads it
 * (readRuleFile), a module's file as bytes.
 */
function hashOf(kind: 'rules' | 'module', path: string): string | null {
  if (kind === 'module') {
    // Another user could have changed it since: a miss, and the loader refuses it (R381).
    if (inputFileProblem(path) !== null) return null;
    try {
      return sha256(readBytes(path));
    } catch {
      return null;
    }
  }
  const read = readRuleFile(path);
  return read.kind === 'text' ? sha256(read.text) : null;
}

function entryFile(dir: string, key: CacheKey): string {
  const name = sha256(JSON.stringify([compilerIdentity(), resolve(key.cwd, key.path), key.path, key.kind ?? 'rules', key.tool ?? '']));
  return join(dir, `${name}.json`);
}

/** A cache hit: the compile, and the absolute paths of the files it was made from (what `run --watch` watches). */
export interface CacheHit extends CachedCompile {
  readonly files: readonly string[];
}

/** What a look-up found: the compile, a miss, or why the cache cannot be used (say it once). */
export type Lookup = { readonly hit: CacheHit } | { readonly miss: true } | { readonly refused: string };

/** Looks `key` up in `dir`; never throws. */
export function lookupCompiled(dir: string, key: CacheKey): Lookup {
  try {
    if (lstatSync(dir, { throwIfNoEntry: false }) === undefined) return { miss: true };
    checkTrustedDir(dir, 'compile cache directory');
    const text = readTrusted(entryFile(dir, key));
    if (text === null) return { miss: true };
    const entry = JSON.parse(text) as Entry;
    const fresh =
      entry.format === FORMAT &&
      entry.identity === compilerIdentity() &&
      entry.entry === resolve(key.cwd, key.path) &&
      entry.given === key.path &&
      entry.kind === (key.kind ?? 'rules') &&
      entry.tool === (key.tool ?? '') &&
      entry.inputs.length > 0 &&
      entry.inputs.every(([path, hash]) => hashOf(entry.kind, path) === hash);
    return fresh ? { hit: { script: entry.script, report: entry.report, diagnostics: entry.diagnostics, files: entry.inputs.map(([path]) => path) } } : { miss: true };
  } catch (error) {
    // A damaged entry, or a cache this user may not read (a daemon after -u reloading with
    // root's): nothing another user could have written is loaded, so just compile.
    if (error instanceof SyntaxError) return { miss: true };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return { miss: true };
    return { refused: (error as Error).message };
  }
}

/**
 * The entry's text, or null when there is none. Throws (a reason to stop using the cache) when
 * the file is there but another user could have written it.
 */
function readTrusted(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new Error(`refusing the compile cache entry ${path}: it is a symbolic link`);
    throw error;
  }
  try {
    const st = fstatSync(fd);
    const me = process.geteuid?.() ?? 0;
    const why = !st.isFile()
      ? 'it is not a regular file'
      : st.uid !== me && st.uid !== 0
        ? `it is owned by uid ${st.uid}`
        : (st.mode & 0o022) !== 0
          ? `it is writable by ${(st.mode & 0o002) !== 0 ? 'every user' : 'its group'}`
          : st.size > MAX_ENTRY_BYTES
            ? `it is larger than ${MAX_ENTRY_BYTES} bytes`
            : null;
    if (why !== null) throw new Error(`refusing the compile cache entry ${path}: ${why}`);
    const buf = Buffer.alloc(st.size);
    let length = 0;
    for (let n; length < st.size && (n = readSync(fd, buf, length, st.size - length, null)) > 0; ) length += n;
    return buf.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Keeps a clean compile of `key`: `inputs` maps the absolute path of every file the compile
 * read to the text it read there. Returns null, or why nothing was kept (the cache directory
 * cannot be made or trusted, a write failed); never throws.
 */
export function storeCompiled(dir: string, key: CacheKey, inputs: ReadonlyMap<string, string | Uint8Array>, compiled: CachedCompile): string | null {
  try {
    ensurePrivateDir(dir, 'compile cache directory');
    const entry: Entry = {
      format: FORMAT,
      identity: compilerIdentity(),
      entry: resolve(key.cwd, key.path),
      given: key.path,
      kind: key.kind ?? 'rules',
      tool: key.tool ?? '',
      inputs: [...inputs].map(([path, data]) => [path, sha256(data)] as const),
      script: compiled.script,
      report: compiled.report,
      diagnostics: compiled.diagnostics,
    };
    writeFileAtomic(entryFile(dir, key), JSON.stringify(entry), { mode: 0o600 });
    prune(dir);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Removes the least recently written entries beyond MAX_ENTRIES (only names the cache writes). */
function prune(dir: string): void {
  const entries = readdirSync(dir).filter((name) => ENTRY_NAME.test(name));
  if (entries.length <= MAX_ENTRIES) return;
  const dated = entries.map((name) => ({ name, at: statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }));
  dated.sort((a, b) => a.at - b.at);
  for (const { name } of dated.slice(0, dated.length - MAX_ENTRIES)) rmSync(join(dir, name), { force: true });
}
