/**
 * `rulec run` as root beside a second, unprivileged user (nobody): what that user can plant
 * where the daemon writes (state directory, own log) must never redirect a write, and a
 * careless umask must not make rulec's directories writable by others.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asNobody, NOBODY, secondUserMissing } from '../runtime/fs/helpers.js';
import { BIN, tempDir } from './run-cli.js';
import { read, waitFor, type Daemon } from './run-helpers.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** `sh -c SCRIPT` whose last command is `exec node bin/rulec.js run ARGS`; the daemon keeps the shell's pid. */
function shellRun(script: string, args: readonly string[], cwd: string): Daemon {
  const quoted = [process.execPath, BIN, 'run', ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('sh', ['-c', `${script}\nexec ${quoted}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    clearTimeout(timer);
    resolve(code);
  }));
  cleanup.push(() => child.kill('SIGKILL'));
  return { child, output: () => output, exited };
}

function setup(): { dir: string; log: string; rules: string } {
  const { dir, remove } = tempDir('rulec-safe-');
  cleanup.push(remove);
  chmodSync(dir, 0o755);
  const log = join(dir, 'app.log');
  writeFileSync(log, '');
  return { dir, log, rules: join(dir, 'app.rules') };
}

const rulesText = (log: string, state: string): string => `[general]\nstate = ${state}\n\n[ERRORS]\npath = ${log}\nregex = ERROR\nupbound_action = /bin/true\n`;
const mode = (p: string): number => statSync(p).mode & 0o7777;

/**
 * Waits until the daemon exits or says it runs (in its output or in `ownLog`), stops one that
 * did start (SIGTERM also saves its checkpoint) and returns its exit code.
 */
async function settle(d: Daemon, ownLog: string | null = null): Promise<number | null> {
  const running = (): boolean => d.output().includes('running 1 item(s)') || (ownLog !== null && read(ownLog).includes('running 1 item(s)'));
  // A shell, setpriv and the compile child start first: generous on a loaded machine (the cases get 120 s).
  const started = await waitFor(() => running() || d.child.exitCode !== null, 60_000);
  expect(started).toBe(true);
  if (d.child.exitCode === null) d.child.kill('SIGTERM');
  return d.exited;
}

describe('rulec run: files and directories it writes', () => {
  it('under umask 000 creates its state directories 0700, its checkpoint 0600 and its own log 0640', async () => {
    const t = setup();
    const state = join(t.dir, 'var', 'lib', 'rulec');
    writeFileSync(t.rules, rulesText(t.log, state));
    const own = join(t.dir, 'rulec.log');
    const d = shellRun('umask 000', [t.rules, '-l', own], t.dir);
    expect(await waitFor(() => read(own).includes('running 1 item(s)'), 20_000)).toBe(true);
    appendFileSync(t.log, 'ERROR one\n');
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect([join(t.dir, 'var'), join(t.dir, 'var', 'lib'), state].map(mode)).toEqual([0o700, 0o700, 0o700]);
    const files = readdirSync(state);
    expect(files).toHaveLength(1);
    expect(mode(join(state, files[0]!))).toBe(0o600);
    expect(mode(own)).toBe(0o640);
  });

  it('as root: a symlink another user planted in a state directory others can write touches nothing; rulec refuses the directory', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const t = setup();
    // What an earlier rulec left under umask 000: a state directory anyone can write.
    const state = join(t.dir, 'state');
    mkdirSync(state);
    chmodSync(state, 0o777);
    const victim = join(t.dir, 'victim');
    writeFileSync(victim, 'root only\n', { mode: 0o644 });
    writeFileSync(t.rules, rulesText(t.log, state));
    const hash = createHash('sha256').update(t.log).digest('hex').slice(0, 32);
    // nobody plants the temporary name the checkpoint store used, `<hash>.json.<pid>.<seq>.tmp`:
    // the shell's pid is the daemon's, since it execs it.
    const plant = `setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups -- ln -s '${victim}' '${state}/${hash}.json.'$$'.0.tmp' || exit 99`;
    const d = shellRun(plant, [t.rules, '-s'], t.dir);
    const code = await settle(d);
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    expect(code).toBe(1);
    expect(d.output()).toContain(`error cannot start: refusing to use state directory ${state}: ${state} is writable by every user (mode 0777)`);
  }, 120_000);

  it('as root: a symlink another user planted at the own log path (-l) is not written through; rulec says why and exits 1', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const t = setup();
    writeFileSync(t.rules, rulesText(t.log, join(t.dir, 'state')));
    // The log directory belongs to the service user, as /var/log/app often does.
    const logDir = join(t.dir, 'logs');
    mkdirSync(logDir);
    chownSync(logDir, NOBODY, NOBODY);
    const victim = join(t.dir, 'victim');
    writeFileSync(victim, 'root only\n', { mode: 0o644 });
    expect(asNobody(['ln', '-s', victim, join(logDir, 'rulec.log')]).status).toBe(0);
    const d = shellRun(':', [t.rules, '-l', join(logDir, 'rulec.log')], t.dir);
    const code = await settle(d, victim);
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    expect(code).toBe(1);
    expect(d.output()).toContain(`cannot write log file ${join(logDir, 'rulec.log')}: Error: ${join(logDir, 'rulec.log')} is a symbolic link; refusing to write through it`);
  }, 120_000);
});
