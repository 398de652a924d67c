import { spawn } from 'node:child_process';
import { ReportError } from './report-error.js';

/** Seconds a `set pgp` command may take for one attachment. */
const PGP_COMMAND_TIMEOUT_MS = 120_000;

/** Bytes of its standard error kept for the message. */
const STDERR_MAX = 4096;

/**
 * True when `bytes` start as an OpenPGP message does: the armor header, or a first packet that
 * is an encrypted session key (tag 1 or 3, old or new packet format). What a command printed
 * otherwise (its input, an empty line, a usage text) is not encrypted and must not be sent.
 */
export function looksEncrypted(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 64).toString('latin1').trimStart();
  if (head.startsWith('-----BEGIN PGP MESSAGE-----')) return true;
  const first = bytes[0];
  if (first === undefined) return false;
  if ((first & 0xc0) === 0xc0) return (first & 0x3f) === 1 || (first & 0x3f) === 3;
  if ((first & 0xc0) === 0x80) {
    const tag = (first >> 2) & 0x0f;
    return tag === 1 || tag === 3;
  }
  return false;
}

/**
 * Pipes `body` through the seed-style `set pgp` command (argv, no shell) and returns what it
 * printed, which must be an OpenPGP message. Throws ReportError when the command cannot start,
 * fails, times out or prints anything else; the body is then not used at all.
 */
export function encryptWithCommand(argv: readonly string[], body: Buffer, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const program = argv[0] ?? '';
  const shown = argv.join(' ');
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => reject(new ReportError(`pgp command \`${shown}\` ${why}`));
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
      if (!looksEncrypted(result)) return fail(`printed something that is not an OpenPGP message${said}`);
      resolve(result);
    });
    child.stdin.end(body);
  });
}
