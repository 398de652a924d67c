/**
 * Check, the first of the compiler's stages: an entry file and its includes loaded, checked, and
 * the diagnostics named as the user wrote the files. Without code generation, so the language
 * server and `rulec fmt` load neither the generator nor esbuild (pipeline.ts chains the rest).
 */
import { posix } from 'node:path';
import type { Diagnostic, DiagnosticLabel, Span } from '../grammar/diagnostic.js';
import { hasErrors } from '../grammar/diagnostic.js';
import { capPerFile } from './cap-diagnostics.js';
import { check } from './check/index.js';
import { loadProgram, nodeHost, readEntry, whyNot, type LoadHost } from './load.js';
import type { RuleModel } from './model.js';
import { readRuleFile } from './read-rule-file.js';
import { UserError } from './user-error.js';
import { veilPrivate } from './veil-private.js';

/** What checking one entry file found. */
export interface CheckedFile {
  /** The entry path as given. */
  readonly path: string;
  readonly diagnostics: readonly Diagnostic[];
  /** The text of every file read, keyed by the file names the diagnostics use. */
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * Reading from disk, names are relative to the entry's directory, so generated output does
 * not depend on where the compiler ran; diagnostics get the names back as the user wrote them.
 */
export interface Rooted {
  readonly entry: string;
  readonly host: LoadHost;
  readonly display: (name: string) => string;
  /** Where a displayed name is on disk (relative to the origin's `cwd`); absent for a host. */
  readonly onDisk?: (name: string) => string;
}

/**
 * Where an entry's files are read: a host (an editor's buffers, a test's map), or the disk with
 * names relative to `cwd` (default the process's), which a command run in process passes as the
 * directory its user is in. Names in diagnostics stay as given either way.
 */
export type Origin = LoadHost | { readonly cwd: string };

function rooted(path: string, origin: Origin | undefined): Rooted {
  if (origin !== undefined && !('cwd' in origin)) return { entry: path, host: origin, display: (name) => name };
  const cwd = origin?.cwd;
  const onDiskAt = (name: string): string => (cwd === undefined || posix.isAbsolute(name) ? name : posix.join(cwd, name));
  const normal = posix.normalize(path);
  const root = posix.dirname(normal);
  const entry = posix.basename(normal);
  // A file that is there and readable but not a rule file's text (too large, binary) is a
  // diagnostic at its place; one that cannot be read at all says why, as log files do.
  const first = readRuleFile(onDiskAt(normal));
  if (first.kind === 'missing') throw new UserError(`cannot read ${path}: ENOENT: no such file or directory`);
  if (first.kind === 'unreadable') throw new UserError(`cannot read ${path}: ${whyNot(first)}`);
  const resolve = (name: string): string => (posix.isAbsolute(name) || root === '.' ? name : posix.join(root, name));
  const at = (name: string): string => onDiskAt(resolve(name));
  const onDisk: LoadHost = {
    read: (name) => readRuleFile(at(name)),
    readFile: (name) => nodeHost.readFile(at(name)),
    unreadable: (name) => nodeHost.unreadable?.(at(name)) ?? null,
    identity: (name) => nodeHost.identity?.(at(name)) ?? at(name),
    isPrivate: (name) => nodeHost.isPrivate?.(at(name)) ?? false,
    display: resolve,
  };
  return { entry, host: onDisk, display: resolve, onDisk: onDiskAt };
}

function renameSpan(span: Span, display: (name: string) => string): Span {
  return { ...span, file: display(span.file) };
}

export function renameDiagnostic(diagnostic: Diagnostic, display: (name: string) => string): Diagnostic {
  const labels = diagnostic.labels?.map((label): DiagnosticLabel => ({ ...label, span: renameSpan(label.span, display) }));
  return { ...diagnostic, span: renameSpan(diagnostic.span, display), ...(labels === undefined ? {} : { labels }) };
}

export interface Checked {
  readonly rooted: Rooted;
  readonly model: RuleModel | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
  /** Texts by the names the model uses (relative to the entry's directory). */
  readonly texts: ReadonlyMap<string, string>;
}

export function checkEntry(path: string, origin: Origin | undefined): Checked {
  const root = rooted(path, origin);
  const loaded = loadProgram(root.entry, root.host);
  const checked = check(loaded.value);
  const texts = new Map([...loaded.value.files].map(([name, file]) => [name, file.text]));
  const { diagnostics, veiled } = veilPrivate(loaded.value, [...loaded.diagnostics, ...checked.diagnostics], (name) => root.host.isPrivate?.(name) ?? false, root.display);
  return {
    rooted: root,
    model: hasErrors(diagnostics) ? null : checked.value,
    // The counts of R215 name files as the user does, so capped after the renaming.
    diagnostics: capPerFile(diagnostics.map((d) => renameDiagnostic(d, root.display))),
    sources: new Map([...texts].filter(([name]) => !veiled.has(name)).map(([name, text]) => [root.display(name), text])),
    texts,
  };
}

/** Checks each entry file (with its includes); one result per path, in order. */
export function checkFiles(paths: readonly string[], origin?: Origin): CheckedFile[] {
  return paths.map((path) => {
    const { diagnostics, sources } = checkEntry(path, origin);
    return { path, diagnostics, sources };
  });
}


/** What `readRuleText` read: the text, or the diagnostics that refused it (named as given), with the texts to show them. */
export interface RuleText {
  readonly text: string | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * One rule file read as `check` reads it (readRuleFile: a regular file, within the size limit,
 * UTF-8 with no NUL), its includes not read: for `rulec fmt`. A file too large, binary or not
 * UTF-8 is a diagnostic (R212-R214); one missing or unreadable (a device, a FIFO) throws a
 * UserError saying why, as `check` does.
 */
export function readRuleText(path: string, origin?: Origin): RuleText {
  const root = rooted(path, origin);
  const read = readEntry(root.entry, root.host);
  return {
    text: read.value,
    diagnostics: read.diagnostics.map((d) => renameDiagnostic(d, root.display)),
    sources: new Map([...read.texts].map(([name, text]) => [root.display(name), text])),
  };
}
