/** The shape of a `rulec` subcommand, as listed in `commands/index.ts`. */

/** Where a command writes; the CLI passes the process streams, tests may capture. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** A subcommand: its name and help texts, and `run`, which returns the exit code. */
export interface Command {
  /** The word after `rulec`. */
  readonly name: string;
  /** One line for `rulec --help`. */
  readonly summary: string;
  /** Usage lines for `rulec NAME --help` and usage errors, e.g. `rulec check FILE... [--strict]`. */
  readonly usage: string;
  /** Runs with the arguments after the name; returns the exit code (0 ok, 1 findings, 2 usage/internal). */
  run(args: readonly string[], io: Io): Promise<number>;
}

/** Wrong arguments: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
