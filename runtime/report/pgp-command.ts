import { spawn } from 'node:child_process';
import { ReportError } from './report-error.js';
import { assertEncrypted } from './pgp-verify.js';

/** Seconds a `set pgp` command may take for one attachment. */
const PGP_COMMAND_TIMEOUT_MS = 120_000;

/** Bytes of its standard error kept for the message. */
const STDERR_MAX = 4096;

/**
 * Pipes `body` (the attachment `name`) through the seed-style `set pgp` command (argv, no shell)
 * and returns what it printed, which must be an OpenPGP encrypted message (see pgp-verify).
 * Throws ReportError naming the attachment when the command cannot start, fails, times out or
 * prints anything else; the body is then not used at all.
 */
export function encryptWithCommand(argv: readonly string[], body: Buffer, name: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const program = argv[0] ?? '';
  const shown = `pgp command \`${argv.join(' ')}\` (encrypting ${name})`;
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => reject(new ReportError(`${shown} ${why}`));
    let child;
    try {
      child = spawn(program, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
    } catch (error) {
      fail(`cannot start: ${(error as Error).message}`);
      return;
    }
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < STDERR_MAX) err += chunk.toString('utf8');
    });
    // It may exit before reading all its input (a missing key): that is its exit status's story.
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), PGP_COMMAND_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(`cannot start: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = err.trim() === '' ? '' : `: ${err.trim().slice(0, STDERR_MAX)}`;
      if (signal !== null) return fail(`was killed by ${signal}${said}`);
      if (code !== 0) return fail(`exited with status ${code}${said}`);
      const result = Buffer.concat(out);
      try {
        assertEncrypted(result);
      } catch (error) {
        return fail(`did not encrypt: ${(error as Error).message}; it must encrypt, as gpg -a -e -r KEYID --no-tty --batch does${said}`);
      }
      resolve(result);
    });
    child.stdin.end(body);
  });
}
