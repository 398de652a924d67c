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

/**
 * For commands that print a stream of results (`rulec test`, `rulec regex`): when the reader of
 * standard output goes away (`| head`), the output is over; end quietly instead of with Node's
 * EPIPE stack trace. The daemon does not use it: it keeps running without its stdout.
 */
export function endWhenStdoutCloses(): void {
  if (stdoutWatched) return;
  stdoutWatched = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

let stdoutWatched = false;
