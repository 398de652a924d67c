/** The shape of a `rulec` subcommand, as listed in `commands/index.ts`. */

/**
 * What a command sees of its process: where it writes, what it reads, the directory relative
 * names are taken from and the environment. `bin/rulec.js` passes the process's own; tests run
 * commands in process with their own (`withDefaults` fills what they leave out), so no command
 * reads `process.stdin`, `process.cwd()` or `process.env` itself.
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Standard input (`rulec regex`, `rulec test` without `--log`, a `-` listing). */
  readonly stdin: NodeJS.ReadableStream;
  /** The directory relative file names in arguments are read from and written to. */
  readonly cwd: string;
  /** The environment (XDG directories, GNUPGHOME; what actions and command blocks inherit). */
  readonly env: NodeJS.ProcessEnv;
}

const processOut = (text: string): void => void process.stdout.write(text);
const processErr = (text: string): void => void process.stderr.write(text);

/** The process's own streams, directory and environment, for what `io` leaves out. */
export function withDefaults(io: Partial<Io> = {}): Io {
  return {
    out: io.out ?? processOut,
    err: io.err ?? processErr,
    stdin: io.stdin ?? process.stdin,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
}

/** True when `io` reads the process's own standard input (fd 0: it can be stat'ed and read whole). */
export function readsProcessStdin(io: Io): boolean {
  return io.stdin === process.stdin;
}

/** True when `io` writes to the process's own stdout and stderr (a child process can then inherit them). */
export function writesToProcess(io: Io): boolean {
  return io.out === processOut && io.err === processErr;
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
export function endWhenStdoutCloses(io: Io): void {
  if (stdoutWatched || !writesToProcess(io)) return;
  stdoutWatched = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
}

let stdoutWatched = false;
