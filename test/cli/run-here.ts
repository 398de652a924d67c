/** Runs `rulec` in this process through the CLI's `main`; run-cli.ts runs the real `bin/rulec.js` in a child. */
import { Readable } from 'node:stream';
import { main } from '../../cli/main.js';
import type { CliResult } from './run-cli.js';

/**
 * Runs `rulec ...args` in this process through the CLI's `main`, with `cwd`, standard input and
 * environment as `runCli` gives a child: for the cases where the process boundary is not what is
 * tested (most of them), at a fraction of a process start and the compiler's load each.
 */
export async function runHere(args: readonly string[], options: { cwd: string; input?: string | Buffer; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    cwd: options.cwd,
    stdin: Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]),
    env: { ...process.env, ...options.env },
  });
  return { code, stdout, stderr };
}
