/**
 * The report-entry interface: one attachment of a `rulec report` mail, after MailLog's
 * ReportEntry. The built-in blocks (`command`, `monitor`, `watch`), `every` digests and custom
 * modules (`module Name alias ./x.js`) all implement it, and runtime/report does the rest:
 *
 * - `mime_file`: the attachment's file name; `description`: its Content-Description.
 * - `validate()`: called for every entry of the report before any of them runs; throw an Error
 *   whose message says what is wrong, and nothing runs and nothing is sent.
 * - `run(out)`: writes the attachment's body with `out.print(...)` (strings as UTF-8, bytes as
 *   they are); may return a promise. Write plaintext: rulec encrypts the body itself (MailLog's
 *   modules piped through `encrypt_cmd` on their own). A throw ends up, encrypted, in the
 *   attachment and the report still goes, with a failed exit status.
 * - `finish()`: called once the message holding the output was accepted by the SMTP server or
 *   written to the spool; never on a failed report or a dry run. Commit state here (a watch's
 *   read position), so that nothing is skipped when a report is lost.
 * - `encrypted()`: true as a rule. False declares the body plaintext on purpose: it is attached
 *   unencrypted and its attachment name says so (`UNENCRYPTED-<mime_file>`).
 *
 * Entries are made from a block by a factory given the block's directives (`EntryContext`).
 */

/** Where `run` writes the attachment's body (MailLog's `$out->print`). */
export interface ReportOutput {
  print(...chunks: (string | Uint8Array)[]): void;
}

/** One attachment's maker; see the file comment for when each member is called. */
export interface ReportEntry {
  readonly mime_file: string;
  readonly description: string;
  validate(): void | Promise<void>;
  run(out: ReportOutput): void | Promise<void>;
  finish(): void | Promise<void>;
  encrypted(): boolean;
}

/** A directive line of a block body: its name and its words, quotes removed. */
export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
}

/** What a block's entry is made with. */
export interface EntryContext {
  /** The block kind or the custom module's alias. */
  readonly kind: string;
  /** The block's place among the report's blocks, from 1 (for default names). */
  readonly index: number;
  /** The block's directives, in order. */
  readonly directives: readonly Directive[];
  /** The rule file's `set` settings, verbatim. */
  readonly settings: Readonly<Record<string, string>>;
  /** The host name the report shows (`set host`, else the system's). */
  readonly host: string;
  /** Relative paths of the rule file (key files, modules) are resolved against this directory. */
  readonly baseDir: string;
  /** `[general] state`: where entries may keep state between runs; null when none is set. */
  readonly stateDir: string | null;
  /** Writes a debug line to stderr when `set debug` is on. */
  debug(message: string): void;
}

/** The first word of the last `name` line of a block, or undefined. */
export function directiveValue(directives: readonly Directive[], name: string): string | undefined {
  for (let k = directives.length - 1; k >= 0; k -= 1) {
    const directive = directives[k]!;
    if (directive.name === name) return directive.args[0];
  }
  return undefined;
}

/** The attachment name a block gets without `mime_file`: `command-2.txt`. */
export function defaultMimeFile(kind: string, index: number): string {
  return `${kind}-${index}.txt`;
}

/**
 * A base with MailLog's defaults, for entries to extend: `mime_file` and `description` from
 * the directives (or `KIND-N.txt` and the kind), nothing to validate or finish, encrypted.
 */
export abstract class BaseReportEntry implements ReportEntry {
  readonly mime_file: string;
  readonly description: string;

  constructor(protected readonly context: EntryContext) {
    this.mime_file = directiveValue(context.directives, 'mime_file') ?? defaultMimeFile(context.kind, context.index);
    this.description = directiveValue(context.directives, 'description') ?? context.kind;
  }

  /** The first word of this block's last `name` directive. */
  directive(name: string): string | undefined {
    return directiveValue(this.context.directives, name);
  }

  validate(): void | Promise<void> {}

  abstract run(out: ReportOutput): void | Promise<void>;

  finish(): void | Promise<void> {}

  encrypted(): boolean {
    return true;
  }
}
