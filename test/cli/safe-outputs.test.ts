/**
 * Files a root rulec writes at a path the user named (`report --dry-run OUT`, the snort JSON
 * handler's `file=`): a symlink another user planted there is refused, never written through.
 * As root with a real second user (nobody) planting the link, through setpriv.
 */
import { chownSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gpg } from '../helpers/gpg.js';
import type { CliResult } from './run-cli.js';
import { runHere } from './run-here.js';
import { asNobody, NOBODY, scratch, secondUserMissing } from '../runtime/fs/helpers.js';

const dir = scratch();
let gpg: Gpg;

beforeAll(() => {
  gpg = new Gpg();
  gpg.generate('ops <you@example.com>');
}, 60_000);
afterAll(() => gpg?.dispose());

const rulec = (args: string[]): Promise<CliResult> => runHere(args, { cwd: process.cwd() });

/**
 * A directory of nobody's (as a daemon user's log directory is), a root-only victim beside it,
 * and nobody's link to the victim at `name` in it. Not a sticky world-writable one: there this
 * test machine's kernel already refused root the link (EACCES) before rulec did.
 */
function plant(name: string): { shared: string; victim: string; link: string } {
  const d = dir();
  const victim = join(d, 'victim');
  writeFileSync(victim, 'root only\n', { mode: 0o600 });
  const shared = join(d, 'shared');
  mkdirSync(shared, 0o755);
  chownSync(shared, NOBODY, NOBODY);
  const link = join(shared, name);
  expect(asNobody(['ln', '-s', victim, link]).status).toBe(0);
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  return { shared, victim, link };
}

describe('as root, a symlink another user planted at an output path', () => {
  it('report --dry-run OUT: refused with a clear message, exit 1; the root-only file it points to is unchanged', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const { shared, victim, link } = plant('out.eml');
    const rules = join(shared, '..', 'report.rules');
    writeFileSync(rules, `set pgp "gpg -a -e -r 'you@example.com' --no-tty --batch --homedir ${gpg.home}"\nset to 'ops@example.com'\nset from 'rulec@example.com'\nset smtp "127.0.0.1:9"\nset smtp_tls none\ncommand <<__A\n    exec "echo hello"\n__A\n`);
    const result = await rulec(['report', rules, '--dry-run', link]);
    expect(result.stderr).toContain(`rulec report: --dry-run: ${link} is a symbolic link; refusing to write through it`);
    expect(result.code).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    // Where no link is, the message is written (0600: it may hold what the blocks printed).
    const plain = join(shared, 'plain.eml');
    const ok = await rulec(['report', rules, '--dry-run', plain]);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(readFileSync(plain, 'utf8')).toContain('-----BEGIN PGP MESSAGE-----');
    expect(lstatSync(plain).mode & 0o777).toBe(0o600);
  });

  it('snort handler json file=PATH: refused with a clear message, exit 1; the root-only file it points to is unchanged', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const { shared, victim, link } = plant('alerts.jsonl');
    const running = rulec(['snort', '--logdir', shared, '--handler', 'json', `file=${link}`]);
    // Had it opened the file, it would listen until stopped: stop it then (SIGTERM as its handler sees it).
    const timer = setTimeout(() => process.emit('SIGTERM', 'SIGTERM'), 20_000);
    const result = await running.finally(() => clearTimeout(timer));
    expect(result.stderr).toContain(`${link} is a symbolic link; refusing to write through it`);
    expect(result.code).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
  });
});
