/**
 * SIGTERM at every stage of `rulec run` and `rulec snort`, to real processes (the process
 * boundary is what is tested): right after the spawn, while the rule file compiles in its child
 * process, once it runs, and twice in a row while it stops. Whenever it comes, the process says
 * why, exits with the code docs/cli.md gives (0: stopped by SIGTERM), and leaves neither its pid
 * file nor its socket files. Before, a signal during the compile ended it silently by the
 * signal, and a second one during `rulec snort`'s stop left its socket file behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { BIN } from './run-cli.js';

const made: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-signals-'));
  made.push(dir);
  return dir;
}

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `rulec ARGS` with a compile cache of its own (empty: the rule file compiles in a child process). */
function rulec(args: readonly string[], dir: string): Started {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (out += text));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
  return { child, output: () => out, ended };
}

/** Pids of the live children of `pid` (the compile child), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state, ppid, ...
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false;
    }
  }).map(Number);
}

/** A rule file of one item, and a snort block on `dir` when `snort`. */
function ruleFile(dir: string, snort: boolean): string {
  const file = join(dir, 'app.rules');
  writeFileSync(join(dir, 'app.log'), '');
  writeFileSync(file, `[APP]\npath = ${join(dir, 'app.log')}\nregex = ERROR (\\w+)\nupbound_freq = 3/60\nupbound_action = /bin/true "$1"\n${snort ? `snort <<__S\n    logdir ${dir}\n    handler json file=${join(dir, 'alerts.jsonl')}\n__S\n` : ''}`);
  return file;
}

type Point = 'after spawn' | 'while compiling' | 'once running' | 'twice while stopping';
const POINTS: readonly Point[] = ['after spawn', 'while compiling', 'once running', 'twice while stopping'];

/** Sends SIGTERM at `point`; false when the point never came (the process ended before). */
async function terminateAt(started: Started, point: Point, running: RegExp): Promise<boolean> {
  const { child } = started;
  if (point === 'after spawn') return child.kill('SIGTERM');
  if (point === 'while compiling') {
    // Polled closely: the compile takes a second or so; seeing its child is the point.
    const seen = await waitFor(() => childrenOf(child.pid!).length > 0 || child.exitCode !== null, 20_000, 2);
    return seen && child.exitCode === null && child.kill('SIGTERM');
  }
  if (!(await waitFor(() => running.test(started.output()), 20_000))) return false;
  child.kill('SIGTERM');
  // The second once the first is being handled: while the stop closes sockets and drains actions.
  if (point === 'twice while stopping' && (await waitFor(() => /SIGTERM: stopping\n/.test(started.output()) || child.exitCode !== null, 20_000, 1))) child.kill('SIGTERM');
  return true;
}

/**
 * How a stop at `point` must end: exit 0 saying why. Only a signal before Node has run rulec's
 * first line (right after the spawn) may end it by the signal, as Node does, with nothing made.
 */
function expectOrderly(point: Point, end: { code: number | null; signal: NodeJS.Signals | null }, output: string): void {
  if (point === 'after spawn' && end.signal === 'SIGTERM') {
    expect(output).toBe('');
    return;
  }
  expect({ point, ...end }).toEqual({ point, code: 0, signal: null });
  expect(output).toMatch(/SIGTERM(: stopping|: stopped before listening| while loading the rules: stopped before starting)/);
  // The second may merge with the first (a signal pending is not queued twice); when it does not, it is said.
  if (point === 'twice while stopping') expect(output).not.toMatch(/SIGTERM: stopping\n[^]*SIGTERM: stopping\n/);
}

describe('SIGTERM at every stage of a daemon: it says why, exits 0, and leaves no pid file or socket', () => {
  for (const point of POINTS) {
    it(`rulec run with a snort block: ${point}`, async () => {
      const dir = scratch();
      const pid = join(dir, 'rulec.pid');
      const started = rulec(['run', ruleFile(dir, true), '-s', '-p', pid], dir);
      expect(await terminateAt(started, point, /running 1 item\(s\) and 1 snort block/)).toBe(true);
      const end = await started.ended;
      expectOrderly(point, end, started.output());
      expect(existsSync(pid)).toBe(false);
      expect(existsSync(join(dir, 'snort_alert'))).toBe(false);
      if (point === 'once running' || point === 'twice while stopping') expect(started.output()).toMatch(/stopped: 0 line\(s\) read/);
    });
  }

  for (const point of POINTS) {
    it(`rulec snort FILE: ${point}`, async () => {
      const dir = scratch();
      const started = rulec(['snort', ruleFile(dir, true)], dir);
      expect(await terminateAt(started, point, /handlers: json\n/)).toBe(true);
      const end = await started.ended;
      expectOrderly(point, end, started.output());
      expect(existsSync(join(dir, 'snort_alert'))).toBe(false);
      if (point === 'twice while stopping') expect(started.output()).toMatch(/0 datagram\(s\) received/);
    });
  }

  it('rulec snort --logdir: a second SIGTERM while it stops still leaves its socket closed and removed (exit 0), three times', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = scratch();
      const started = rulec(['snort', '--logdir', dir], dir);
      expect(await terminateAt(started, 'twice while stopping', /handlers: json\n/)).toBe(true);
      expect(await started.ended).toEqual({ code: 0, signal: null });
      expect(existsSync(join(dir, 'snort_alert'))).toBe(false);
    }
  });
});

describe('a signal to a command that does not handle it', () => {
  it('rulec test on an endless log: SIGINT ends it at once with a word and exit 130', async () => {
    const dir = scratch();
    const started = rulec(['test', ruleFile(dir, false), '--log', '/dev/zero'], dir);
    // Reading: the compile is done and its child gone.
    expect(await waitFor(() => childrenOf(started.child.pid!).length === 0 && started.child.exitCode === null && existsSync(join(dir, 'cache', 'rulec')), 20_000)).toBe(true);
    started.child.kill('SIGINT');
    expect(await started.ended).toEqual({ code: 130, signal: null });
    expect(started.output()).toBe('rulec: SIGINT: stopped before finishing\n');
  });
});
