/**
 * Reads an entry rule file and its `source` includes into a Program. The only reader of rule
 * files: everything else works on the Program. Names stay as the user wrote them, resolved
 * against the including file's directory with POSIX path rules, so output is deterministic.
 */
import { realpathSync } from 'node:fs';
import { posix } from 'node:path';
import type { CommandStatement, RulesFile, Statement } from '../grammar/ast.js';
import type { Diagnostic, Result, Span } from '../grammar/diagnostic.js';
import type { Code } from '../grammar/codes.js';
import { parse } from '../grammar/index.js';
import { inputFileFix } from '../runtime/index.js';
import { BUNDLE_HEAD } from './bundle-marks.js';
import type { Program } from './program.js';
import { MAX_RULE_FILE_BYTES, readableByEveryone, readRuleFile, type FileRead } from './read-rule-file.js';

export { MAX_RULE_FILE_BYTES, type FileRead };

/**
 * Where rule files come from: the disk, an editor's open buffers, or a test's map. Whatever
 * the host, a text longer than MAX_RULE_FILE_BYTES or holding a NUL is refused (R212, R213).
 */
export interface LoadHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(name: string): string | undefined;
  /** The file as `readRuleFile` reads it, with why it could not be; used instead of `readFile` when given. */
  read?(name: string): FileRead;
  /** How a name is shown in messages (the spans' names are shown so too); default as it is. */
  display?(name: string): string;
  /** Why a file `readFile` did not give cannot be read, when it exists; null when it does not. */
  unreadable?(name: string): string | null;
  /**
   * What file a name is, whatever it is called (on disk: the path with every symlink and `..`
   * resolved), so an include cycle through another spelling is still a cycle; default the
   * normalised name.
   */
  identity?(name: string): string;
  /**
   * Whether not every user may read the file (a `source "/etc/shadow"`): then its problems are
   * summarised without quoting it (veil-private.ts). Default: no (an editor's buffer, a test's map).
   */
  isPrivate?(name: string): boolean;
}

/** Reads regular files from disk as UTF-8 within the size limit (readRuleFile), dropping a leading byte-order mark. */
export const nodeHost: LoadHost = {
  read: readRuleFile,
  readFile(name: string): string | undefined {
    const read = readRuleFile(name);
    return read.kind === 'text' ? read.text : undefined;
  },
  unreadable(name: string): string | null {
    return whyNot(readRuleFile(name));
  },
  isPrivate(name: string): boolean {
    return !readableByEveryone(name);
  },
  identity(name: string): string {
    try {
      return realpathSync(name);
    } catch {
      return posix.normalize(name);
    }
  },
};

function isSource(statement: Statement): statement is CommandStatement {
  return statement.kind === 'command' && statement.name.value === 'source';
}

/** The name a `source` argument refers to, relative to the including file's directory. */
export function resolveInclude(from: string, target: string): string {
  return posix.isAbsolute(target) ? posix.normalize(target) : posix.join(posix.dirname(from), target);
}

/** Why a read gave no usable text, in a few words; null when the file does not exist (or was read). */
export function whyNot(read: FileRead): string | null {
  switch (read.kind) {
    case 'unreadable':
      return read.reason;
    case 'untrusted':
      return `refused: ${read.reason}`;
    case 'too-large':
      return `larger than ${MAX_RULE_FILE_BYTES / 1024 / 1024} MiB`;
    case 'not-utf8':
      return `not UTF-8 at byte ${read.byte}`;
    default:
      return null;
  }
}

/** One file on the include chain: its name as resolved, and what file it is. */
interface Link {
  readonly name: string;
  readonly identity: string;
}

class Loader {
  readonly files = new Map<string, RulesFile>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly host: LoadHost) {}

  /**
   * What `name` reads as, refused with one error when it is not a rule file's text: missing or
   * unreadable (R205, at `at`, the `source` line, or the file's start), changeable by another
   * user (R380), too large (R212),
   * binary (R213), not UTF-8 (R214). Returns the text to parse, or null.
   */
  accept(name: string, at: Span | null, read = this.readOf(name)): string | null {
    const where = at ?? { file: name, start: 0, end: 0 };
    const what = at === null ? 'rule file' : 'source file';
    const shown = this.shown(name);
    switch (read.kind) {
      case 'missing':
        this.error('R205', `${what} not found: ${shown}`, where);
        return null;
      case 'unreadable':
        this.error('R205', `${what} cannot be read: ${shown} (${read.reason})`, where);
        return null;
      case 'untrusted':
        this.error('R380', `${what} refused: ${shown}: ${read.reason}, so another user could change the rules rulec runs`, where, [
          `${inputFileFix()} (chown root, chmod go-w), or keep the rules where only you and root can write`,
        ]);
        return null;
      case 'too-large':
        this.error('R212', `${what} too large: ${shown} is ${read.size} bytes, over the limit of ${MAX_RULE_FILE_BYTES / 1024 / 1024} MiB`, where, [
          'a rule file this large is not one; split real rule sets with `source`',
        ]);
        return null;
      case 'not-utf8':
        // A NUL says binary more plainly than the first byte that is not UTF-8.
        if (read.text.includes('\0')) return this.accept(name, at, { kind: 'text', text: read.text });
        this.refuse(name, read.text, read.offset, 'R214', `${what} is not UTF-8: ${shown} has a byte (at byte offset ${read.byte}) that is not part of a UTF-8 character`, [
          'save the file as UTF-8; a binary file is not a rule file',
        ]);
        return null;
      case 'text': {
        const nul = read.text.indexOf('\0');
        if (nul === -1) return read.text;
        this.refuse(name, read.text, nul, 'R213', `${what} is binary: ${shown} holds a NUL byte`, ['a rule file is text; is this the file you meant?']);
        return null;
      }
    }
  }

  /** The file `name` through the host, with the limits applied to any host's text. */
  private readOf(name: string): FileRead {
    let read: FileRead;
    if (this.host.read !== undefined) read = this.host.read(name);
    else {
      const text = this.host.readFile(name);
      const why = text === undefined ? this.host.unreadable?.(name) ?? null : null;
      read = text !== undefined ? { kind: 'text', text } : why === null ? { kind: 'missing' } : { kind: 'unreadable', reason: why };
    }
    // An editor's buffer, a test's map: the same limit as on disk.
    return read.kind === 'text' && read.text.length > MAX_RULE_FILE_BYTES ? { kind: 'too-large', size: read.text.length } : read;
  }

  /** One error at `offset` of a file kept only to show it (no statements): the rest of it is not read. */
  private refuse(name: string, text: string, offset: number, code: Code, message: string, notes: string[]): void {
    if (!this.files.has(name)) this.files.set(name, { kind: 'file', file: name, text, statements: [], span: { file: name, start: 0, end: text.length } });
    this.error(code, message, { file: name, start: offset, end: Math.min(text.length, offset + 1) }, notes);
  }

  /**
   * Parses `name` once (later includes reuse the tree) and returns its expanded statements;
   * `chain` holds the includes that led here, by name and by identity (`identity`: `name`'s).
   */
  load(name: string, text: string, chain: readonly Link[], identity = this.identity(name)): Statement[] {
    let file = this.files.get(name);
    if (!file && text.startsWith(BUNDLE_HEAD)) {
      // Parsed, its JavaScript would be a thousand syntax errors that say nothing.
      this.error('R211', 'a bundle made by rulec build, not a rule file', { file: name, start: 0, end: BUNDLE_HEAD.length }, [
        'run it with `rulec run` or `node`; check and test the .rules file it was built from',
      ]);
      file = { kind: 'file', file: name, text, statements: [], span: { file: name, start: 0, end: text.length } };
      this.files.set(name, file);
    }
    if (!file) {
      const result = parse(text, name);
      file = result.value;
      this.files.set(name, file);
      this.diagnostics.push(...result.diagnostics);
    }
    return this.expand(file.statements, name, [...chain, { name: posix.normalize(name), identity }]);
  }

  private identity(name: string): string {
    return this.host.identity?.(name) ?? posix.normalize(name);
  }

  private expand(statements: readonly Statement[], from: string, chain: readonly Link[]): Statement[] {
    const out: Statement[] = [];
    for (const statement of statements) {
      if (statement.kind === 'block') this.rejectNested(statement.body);
      const arg = isSource(statement) && statement.args.length === 1 ? statement.args[0]! : undefined;
      if (!arg) {
        // `source` with no or several arguments stays for the checker to report (R318).
        out.push(statement);
        continue;
      }
      const target = resolveInclude(from, arg.value);
      // By identity: `link/a.rules` with link → . is a.rules again (by name it would recurse until ELOOP).
      const identity = this.identity(target);
      const back = chain.findIndex((link) => link.identity === identity);
      if (back !== -1) {
        const cycle = [...chain.slice(back).map((link) => link.name), target].map((name) => this.shown(name)).join(' → ');
        this.error('R206', `source include cycle: ${cycle}`, statement.span);
        continue;
      }
      const text = this.accept(target, statement.span);
      if (text !== null) out.push(...this.load(target, text, chain, identity));
    }
    return out;
  }

  /** `source` inside a heredoc body is an error at any depth. */
  private rejectNested(body: readonly Statement[]): void {
    for (const statement of body) {
      if (isSource(statement)) {
        this.error('R207', '`source` is only allowed at the top level, not inside a block', statement.span, [
          'move the `source` line out of the heredoc block',
        ]);
      } else if (statement.kind === 'block') this.rejectNested(statement.body);
    }
  }

  private shown(name: string): string {
    return this.host.display?.(name) ?? name;
  }

  error(code: Code, message: string, span: Span, notes?: string[]): void {
    this.diagnostics.push({ code, severity: 'error', message, span, ...(notes ? { notes } : {}) });
  }
}

/**
 * `entry`'s text as `loadProgram` would take it, without reading what it sources (`rulec fmt`):
 * the text, or null with the one error that refused it (R205, R212-R214); `texts` holds a
 * refused file's text, to show the error at its place.
 */
export function readEntry(entry: string, host: LoadHost): Result<string | null> & { readonly texts: ReadonlyMap<string, string> } {
  const loader = new Loader(host);
  const value = loader.accept(entry, null);
  return { value, diagnostics: loader.diagnostics, texts: new Map([...loader.files].map(([name, file]) => [name, file.text])) };
}

/**
 * Loads `entry` and everything it sources. Missing or unreadable files (R205), cycles (R206)
 * and `source` inside a block (R207) are reported at the `source` line; a file too large, binary
 * or not UTF-8 (R212-R214) is one error and is not parsed; the rest of the program still loads.
 */
export function loadProgram(entry: string, host: LoadHost): Result<Program> {
  const loader = new Loader(host);
  const text = loader.accept(entry, null);
  const statements = text === null ? [] : loader.load(entry, text, []);
  // A file sourced twice is expanded twice; report each of its problems once.
  const seen = new Set<string>();
  const diagnostics = loader.diagnostics.filter((d) => {
    const key = `${d.code}\0${d.span.file}\0${d.span.start}\0${d.span.end}\0${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { value: { entry, files: loader.files, statements }, diagnostics };
}
