/**
 * Reads an entry rule file and its `source` includes into a Program. The only reader of rule
 * files: everything else works on the Program. Names stay as the user wrote them, resolved
 * against the including file's directory with POSIX path rules, so output is deterministic.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';
import type { CommandStatement, RulesFile, Statement } from '../grammar/ast.js';
import type { Diagnostic, Result, Span } from '../grammar/diagnostic.js';
import type { Code } from '../grammar/codes.js';
import { parse } from '../grammar/index.js';
import { BUNDLE_HEAD } from './bundle-marks.js';
import type { Program } from './program.js';

/** Where rule files come from: the disk, an editor's open buffers, or a test's map. */
export interface LoadHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(name: string): string | undefined;
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
}

/** Reads files from disk as UTF-8, dropping a leading byte-order mark. */
export const nodeHost: LoadHost = {
  readFile(name: string): string | undefined {
    try {
      const text = readFileSync(name, 'utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
      return undefined;
    }
  },
  unreadable(name: string): string | null {
    try {
      readFileSync(name);
      return null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? null : code ?? (error as Error).message;
    }
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
      const text = this.host.readFile(target);
      if (text === undefined) {
        const why = this.host.unreadable?.(target) ?? null;
        this.error('R205', why === null ? `source file not found: ${this.shown(target)}` : `source file cannot be read: ${this.shown(target)} (${why})`, statement.span);
        continue;
      }
      out.push(...this.load(target, text, chain, identity));
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
 * Loads `entry` and everything it sources. Missing files (R205), cycles (R206) and `source`
 * inside a block (R207) are reported at the `source` line; the rest of the program still loads.
 */
export function loadProgram(entry: string, host: LoadHost): Result<Program> {
  const loader = new Loader(host);
  const text = host.readFile(entry);
  let statements: Statement[] = [];
  if (text === undefined) {
    loader.error('R205', `rule file not found: ${entry}`, { file: entry, start: 0, end: 0 });
  } else {
    statements = loader.load(entry, text, []);
  }
  // A file sourced twice is expanded twice; report each of its problems once.
  const seen = new Set<string>();
  const diagnostics = loader.diagnostics.filter((d) => {
    const key = `${d.code}\0${d.span.file}\0${d.span.start}\0${d.span.end}\0${d.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { value: { entry, files: loader.files, statements }, diagnostics };
}
