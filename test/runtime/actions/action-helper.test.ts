import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionHelper } from '../../../runtime/actions/action-helper.js';
import { ActionRunner } from '../../../runtime/actions/action-runner.js';
import type { ActionRequest } from '../../../runtime/actions/action-sink.js';
import type { ActionSpec, Captures } from '../../../runtime/contract.js';
import { Logger } from '../../../runtime/log/logger.js';
import { packageRoot } from '../../../compiler/manifest.js';
import { childrenOf, listeningSockets, procStrings, running } from '../../helpers/proc.js';
import { cap, dumpAction, item, tempDir, text, whole, type TempDir } from './helpers.js';

/** The runtime's helper program, as built (the daemon's `defaultHelperProgram()`). */
const HELPER = join(packageRoot(), 'out', 'runtime', 'actions', 'helper-main.js');

let dir: TempDir;
let helper: ActionHelper;

/** Polls `check` every 20 ms for up to 5 s. */
async function eventually(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
}

afterEach(async () => {
  await helper?.close(0);
  // The next test must not find this helper still on its way out.
  await eventually(() => helperPids().length === 0);
  dir?.remove();
});

function request(spec: ActionSpec, captures: Captures = [], line = '', actionTimeout = 0): ActionRequest {
  const it = item({ actionTimeout });
  return { item: it, kind: 'upbound', spec, captures, line, env: { RULEC_ITEM: it.name } };
}

function runnerWithHelper(onSpawn?: (r: ActionRequest) => void): ActionRunner {
  helper = new ActionHelper(HELPER);
  const log = new Logger({ level: 'error', stdout: { write: () => {} } });
  return new ActionRunner(log, { threads: 2, killGraceMs: 300, baseEnv: { ...process.env, DUMP_FILE: dir.dump }, helper, onSpawn });
}

/** Pids of this process's children running the helper script (read from /proc: no `ps` needed). */
function helperPids(): number[] {
  return childrenOf(process.pid).map((child) => child.pid).filter((pid) => procStrings(pid, 'cmdline').includes(HELPER));
}

describe('actions started from the helper process (the real, built helper-main.js)', () => {
  it('runs hostile captures byte-exact as single argv words, with the RULEC_* environment, and reports each start', async () => {
    dir = tempDir();
    const pwned = join(dir.path, 'pwned');
    const hostile = ['; rm -rf x', `$(touch ${pwned})`, `\`touch ${pwned}\``, 'two\nlines\r\n', '\x1b[31mred', 'ünïcödé ✓ \u2028', '$1 and $@'];
    const started: string[] = [];
    const r = runnerWithHelper((req) => started.push(req.line));
    r.submit(request(dumpAction(...hostile.map((_, i) => [cap(i + 1)]), [whole]), [hostile.join(' '), ...hostile], 'the line'));
    expect(await r.drain(10_000)).toBe(true);
    const [got] = dir.records();
    expect(got?.argv).toEqual([...hostile, 'the line']);
    expect(got?.env.RULEC_ITEM).toBe('T');
    expect(dir.has('pwned')).toBe(false);
    expect(started).toEqual(['the line']);
    expect(helperPids()).toHaveLength(1);
  });

  it('kills a hung action at its timeout from the helper, and reports a program that cannot start', async () => {
    dir = tempDir();
    const r = runnerWithHelper();
    r.submit(request({ shell: true, command: 'trap "" TERM; sleep 30', source: 'x' }, [], '', 0.3));
    r.submit(request({ shell: false, argv: [[text('/nonexistent/rulec-nothing')]], source: 'x' }));
    expect(await r.drain(10_000)).toBe(true);
    expect(r.stats()).toMatchObject({ timedOut: 1, spawnFailed: 1 });
  });

  it('fails the actions of a helper that died, with a clear reason, and starts a new one for the next', async () => {
    dir = tempDir();
    const failures: string[] = [];
    helper = new ActionHelper(HELPER);
    const log = new Logger({ level: 'error', stdout: { write: (t: string) => failures.push(t) } });
    let started = false;
    const r = new ActionRunner(log, { threads: 1, baseEnv: { ...process.env, DUMP_FILE: dir.dump }, helper, onSpawn: () => (started = true) });
    const pidFile = join(dir.path, 'action.pid');
    // It ignores SIGTERM: only the SIGKILL after the grace ends it.
    r.submit(request({ shell: true, command: `trap '' TERM; echo $$ > ${pidFile}; sleep 30`, source: 'x' }));
    await eventually(() => started && existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '');
    const action = Number(readFileSync(pidFile, 'utf8'));
    const [first] = helperPids();
    expect(first).toBeTypeOf('number');
    process.kill(first!, 'SIGKILL');
    r.submit(request(dumpAction([text('after')])));
    expect(await r.drain(10_000)).toBe(true);
    expect(failures.some((l) => l.includes('was lost: action helper exited (SIGKILL) before the action ended; its process group was stopped'))).toBe(true);
    expect(dir.records().map((x) => x.argv)).toEqual([['after']]);
    expect(helperPids()).not.toContain(first);
    // No one is left to time it out: the daemon ends it instead of leaving it running for ever.
    await eventually(() => !running(action));
    expect(running(action)).toBe(false);
  });

  it('gives up a helper that cannot start, says why once, and starts the actions itself, losing none', async () => {
    dir = tempDir();
    const warnings: string[] = [];
    helper = new ActionHelper(join(dir.path, 'no-such-rulec.js'), (reason) => warnings.push(reason));
    const log = new Logger({ level: 'error', stdout: { write: () => {} } });
    const r = new ActionRunner(log, { threads: 2, baseEnv: { ...process.env, DUMP_FILE: dir.dump }, helper });
    for (const word of ['a', 'b', 'c']) r.submit(request(dumpAction([text(word)])));
    expect(await r.drain(10_000)).toBe(true);
    r.submit(request(dumpAction([text('later')])));
    expect(await r.drain(10_000)).toBe(true);
    expect(dir.records().map((x) => x.argv[0]).sort()).toEqual(['a', 'b', 'c', 'later']);
    expect(r.stats()).toMatchObject({ succeeded: 4, spawnFailed: 0 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('no-such-rulec.js exited (1) before it was ready');
  });

  it('does not take a helper closed and started again at once for one that cannot start', async () => {
    dir = tempDir();
    const warnings: string[] = [];
    helper = new ActionHelper(HELPER, (reason) => warnings.push(reason));
    const log = new Logger({ level: 'error', stdout: { write: () => {} } });
    const r = new ActionRunner(log, { threads: 1, baseEnv: { ...process.env, DUMP_FILE: dir.dump }, helper });
    r.submit(request(dumpAction([text('one')])));
    expect(await r.drain(10_000)).toBe(true);
    r.close();
    // The next action starts a new helper while the old one is still exiting.
    r.submit(request(dumpAction([text('two')])));
    expect(await r.drain(10_000)).toBe(true);
    expect(dir.records().map((x) => x.argv)).toEqual([['one'], ['two']]);
    expect(warnings).toEqual([]);
    await eventually(() => helperPids().length === 1);
    expect(helperPids()).toHaveLength(1);
  });

  it('keeps a process with nothing else to do alive while an action runs, as an in-process child would', () => {
    // Built JS, as the daemon runs it: a script whose only pending work is one action.
    const helperModule = pathToFileURL(join(packageRoot(), 'out', 'runtime', 'actions', 'action-helper.js')).href;
    const script = [
      `import { ActionHelper } from ${JSON.stringify(helperModule)};`,
      `const helper = new ActionHelper(${JSON.stringify(HELPER)});`,
      "const outcome = await helper.run(['/bin/sh', '-c', 'sleep 0.3; echo done'], { env: process.env, timeoutMs: 0, killGraceMs: 100, outputCap: 100 });",
      'helper.close();',
      'console.log(JSON.stringify(outcome));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(JSON.parse(out)).toMatchObject({ kind: 'exited', code: 0, stdout: 'done\n' });
  });

  it('outlives the signals a process group gets on Ctrl-C, a service stop or a reload, opens no inspector, and exits on close', async () => {
    dir = tempDir();
    const r = runnerWithHelper();
    r.submit(request(dumpAction([text('x')])));
    expect(await r.drain(10_000)).toBe(true);
    const [pid] = helperPids();
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1'] as const) process.kill(pid!, signal);
    r.submit(request(dumpAction([text('y')])));
    expect(await r.drain(10_000)).toBe(true);
    expect(dir.records().map((x) => x.argv)).toEqual([['x'], ['y']]);
    expect(helperPids()).toEqual([pid]);
    // Node's default for SIGUSR1 is an inspector listening on 127.0.0.1:9229 (within ~10 ms).
    await new Promise((res) => setTimeout(res, 300));
    expect(listeningSockets(pid!)).toEqual([]);
    r.close();
    await eventually(() => helperPids().length === 0);
    expect(helperPids()).toEqual([]);
  });
});
