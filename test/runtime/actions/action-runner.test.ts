import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRunner } from '../../../runtime/actions/action-runner.js';
import type { ActionRequest } from '../../../runtime/actions/action-sink.js';
import type { ActionSpec, Captures, ItemSpec } from '../../../runtime/contract.js';
import { Logger } from '../../../runtime/log/logger.js';
import { running } from '../../helpers/proc.js';
import { waitFor } from '../../helpers/wait-for.js';
import { cap, dumpAction, item, tempDir, text, whole, type TempDir } from './helpers.js';

setFlagsFromString('--expose-gc');

let dir: TempDir;
let logged: string[];

function runner(threads = 2, queueCap = 1000): ActionRunner {
  logged = [];
  const log = new Logger({ level: 'debug', stdout: { write: (t: string) => logged.push(t) } });
  return new ActionRunner(log, { threads, queueCap, killGraceMs: 300, baseEnv: { ...process.env, DUMP_FILE: dir.dump } });
}

function request(spec: ActionSpec, captures: Captures = [], line = '', it: ItemSpec = item()): ActionRequest {
  return { item: it, kind: 'upbound', spec, captures, line, env: { RULEC_ITEM: it.name } };
}

afterEach(() => dir?.remove());

describe('ActionRunner with hostile log text', () => {
  it('hands every hostile capture to a real child byte-exact as one argv word, and runs nothing else', async () => {
    dir = tempDir();
    const pwned = join(dir.path, 'pwned');
    const hostile = [
      '; rm -rf x',
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      `'"'"'; touch ${pwned}; echo "`,
      'text with $1 and $@ and $0 inside',
      'two\nlines\r\nand a tab\t',
      '\x1b[31mred\x1b[0m \x1b]0;title\x07',
      `&& touch ${pwned} || touch ${pwned} | touch ${pwned} > ${pwned}`,
      '   ',
      'ünïcödé ✓ \u2028',
      '-rf',
    ];
    const big = 'A'.repeat(100_000) + '$1' + 'B'.repeat(20_000);
    const captures = [hostile.join(' '), ...hostile, big];
    const spec = dumpAction(...hostile.map((_, i) => [cap(i + 1)]), [cap(hostile.length + 1)], [whole]);
    const r = runner();
    r.submit(request(spec, captures, `line $(touch ${pwned})`));
    expect(await r.drain(10_000)).toBe(true);
    const [got] = dir.records();
    expect(got?.argv).toEqual([...hostile, big, `line $(touch ${pwned})`]);
    expect(dir.has('pwned')).toBe(false);
    expect(r.stats()).toMatchObject({ succeeded: 1, spawnFailed: 0 });
  });

  it('logs a 1 MiB argument the system refuses (E2BIG) and goes on with the next action', async () => {
    dir = tempDir();
    const r = runner(1);
    r.submit(request(dumpAction([whole]), [], 'x'.repeat(1 << 20)));
    r.submit(request(dumpAction([text('after')])));
    expect(await r.drain(10_000)).toBe(true);
    expect(dir.records().map((x) => x.argv)).toEqual([['after']]);
    expect(r.stats()).toMatchObject({ spawnFailed: 1, succeeded: 1 });
    expect(logged.some((l) => l.includes('could not start') && l.includes('E2BIG') && l.includes('(1048576 chars)'))).toBe(true);
  });

  it('logs an action\'s words escaped once, as JSON, and what it printed escaped by the log, one line each', async () => {
    dir = tempDir();
    const r = runner(1);
    const hostile = 'a\nb\\c"d\u001b[2J\u2028e';
    r.submit(request({ shell: false, argv: [[text('/bin/echo')], [cap(1)]], source: '/bin/echo "$1"' }, ['x', hostile], hostile));
    expect(await r.drain(10_000)).toBe(true);
    const done = logged.filter((l) => l.includes('exited 0'));
    expect(done).toHaveLength(1);
    const [line] = done;
    // The words: valid JSON, with one backslash per escape (not `\\n` as after a second escaping).
    const json = /upbound action (\[.*?\]) exited 0/.exec(line!)?.[1];
    expect(json).toBe('["/bin/echo","a\\nb\\\\c\\"d\\u001b[2J\\u2028e"]');
    expect(JSON.parse(json!)).toEqual(['/bin/echo', hostile]);
    // The output echo printed is attacker text too: the log escapes it (backslash doubled).
    expect(line).toContain(' stdout: a\\nb\\\\c"d\\x1b[2J\\u2028e\\n');
    expect(line!.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('runs an action whose log text holds a NUL byte, the NUL as U+FFFD (no argv word or variable can hold one)', async () => {
    dir = tempDir();
    const out = join(dir.path, 'shell-out');
    const r = runner();
    // A NUL someone put into a logged field must not keep their own ban from starting.
    r.submit(request(dumpAction([cap(1)], [whole]), ['x', 'a\0b'], 'line\0end'));
    r.submit(request({ shell: true, command: `printf '%s|%s' "$RULEC_1" "$RULEC_LINE" > '${out}'`, source: 'x' }, ['x', 'a\0b'], 'line\0end'));
    expect(await r.drain(5_000)).toBe(true);
    expect(r.stats()).toMatchObject({ succeeded: 2, spawnFailed: 0 });
    expect(dir.records().map((x) => x.argv)).toEqual([['a\uFFFDb', 'line\uFFFDend']]);
    expect(readFileSync(out, 'utf8')).toBe('a\uFFFDb|line\uFFFDend');
  });
});

describe('ActionRunner shell opt-in', () => {
  it('runs the command under /bin/sh with captures only in RULEC_* variables', async () => {
    dir = tempDir();
    const out = join(dir.path, 'shell-out');
    const pwned = join(dir.path, 'pwned');
    const spec: ActionSpec = {
      shell: true,
      command: `printf '%s|%s|%s|%s' "$RULEC_0" "$RULEC_1" "$RULEC_LINE" "$RULEC_ITEM" > '${out}'`,
      source: 'x',
    };
    const r = runner();
    r.submit(request(spec, [`$(touch ${pwned})`, '`id`'], '; touch ' + pwned));
    expect(await r.drain(5_000)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(`$(touch ${pwned})|\`id\`|; touch ${pwned}|T`);
    expect(dir.has('pwned')).toBe(false);
  });
  it('gives a shell action no RULEC_* variable from the daemon\'s own environment', async () => {
    dir = tempDir();
    const out = join(dir.path, 'env-out');
    logged = [];
    const log = new Logger({ level: 'debug', stdout: { write: (t: string) => logged.push(t) } });
    const r = new ActionRunner(log, { baseEnv: { ...process.env, RULEC_7: 'stale', RULEC_LINE: 'stale', KEPT: 'kept' } });
    r.submit(request({ shell: true, command: `printf '%s|%s|%s' "\${RULEC_7-unset}" "$RULEC_LINE" "$KEPT" > '${out}'`, source: 'x' }, ['whole', 'one'], 'the line'));
    expect(await r.drain(5_000)).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('unset|the line|kept');
  });
});

describe('ActionRunner failures and limits', () => {
  it('logs a missing program and a failing exit, and keeps running later actions', async () => {
    dir = tempDir();
    const r = runner(1);
    r.submit(request({ shell: false, argv: [[text('/nonexistent/rulec-nothing')]], source: 'x' }));
    r.submit(request({ shell: false, argv: [[text(process.execPath)], [text('-e')], [text('console.error("boom"); process.exit(3)')]], source: 'x' }));
    r.submit(request(dumpAction([text('still')])));
    expect(await r.drain(10_000)).toBe(true);
    expect(r.stats()).toMatchObject({ spawnFailed: 1, exitedBadly: 1, succeeded: 1 });
    expect(logged.some((l) => l.includes('ENOENT'))).toBe(true);
    expect(logged.some((l) => l.includes('exited 3') && l.includes('stderr: boom'))).toBe(true);
    expect(dir.records().map((x) => x.argv)).toEqual([['still']]);
  });

  it('kills a hung action at actionTimeout, even one that ignores SIGTERM', async () => {
    dir = tempDir();
    const r = runner();
    const stubborn = 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)';
    const started = Date.now();
    r.submit(request({ shell: false, argv: [[text(process.execPath)], [text('-e')], [text(stubborn)]], source: 'x' }, [], '', item({ actionTimeout: 0.3 })));
    r.submit(request({ shell: true, command: 'sleep 30', source: 'x' }, [], '', item({ actionTimeout: 0.3 })));
    expect(await r.drain(10_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.stats().timedOut).toBe(2);
    expect(logged.filter((l) => l.includes('timed out')).length).toBe(2);
    expect(logged.some((l) => l.includes('SIGKILL'))).toBe(true);
  });

  it('keeps an action_timeout longer than Node\'s timers allow instead of firing it at once', async () => {
    dir = tempDir();
    const r = runner();
    r.submit(request({ shell: true, command: 'sleep 0.3', source: 'x' }, [], '', item({ actionTimeout: 30 * 86_400 })));
    expect(await r.drain(10_000)).toBe(true);
    expect(r.stats()).toMatchObject({ succeeded: 1, timedOut: 0 });
  });

  it('ends what an action left running in its group at the action\'s timeout, after reporting the action', async () => {
    dir = tempDir();
    const r = runner();
    const pidFile = join(dir.path, 'bg.pid');
    r.submit(request({ shell: true, command: `sleep 30 >/dev/null 2>&1 & echo $! > ${pidFile}`, source: 'x' }, [], '', item({ actionTimeout: 0.5 })));
    expect(await r.drain(5_000)).toBe(true);
    expect(r.stats()).toMatchObject({ succeeded: 1, timedOut: 0 });
    const left = Number(readFileSync(pidFile, 'utf8'));
    expect(running(left)).toBe(true);
    expect(await waitFor(() => !running(left), 3_000)).toBe(true);
  });

  it('close() ends the actions this process started, and what they left behind, SIGKILL for those ignoring SIGTERM', async () => {
    dir = tempDir();
    const r = runner();
    const [stubbornPid, leftPid] = [join(dir.path, 'stubborn.pid'), join(dir.path, 'left.pid')];
    const stubborn = `process.on("SIGTERM", () => {}); require("fs").writeFileSync(${JSON.stringify(stubbornPid)}, String(process.pid)); setInterval(() => {}, 1000)`;
    // No action_timeout: only the stop can end them.
    r.submit(request({ shell: false, argv: [[text(process.execPath)], [text('-e')], [text(stubborn)]], source: 'x' }));
    r.submit(request({ shell: true, command: `sleep 30 >/dev/null 2>&1 & echo $! > ${leftPid}`, source: 'x' }));
    expect(await waitFor(() => existsSync(stubbornPid) && existsSync(leftPid) && readFileSync(leftPid, 'utf8') !== '', 5_000)).toBe(true);
    const pids = [stubbornPid, leftPid].map((f) => Number(readFileSync(f, 'utf8')));
    await r.close(300);
    expect(await waitFor(() => pids.every((pid) => !running(pid)), 1_000)).toBe(true);
  });

  it('does not wait for a grandchild that left the group but holds the output pipes', async () => {
    dir = tempDir();
    const r = runner();
    const started = Date.now();
    r.submit(request({ shell: true, command: 'setsid sleep 4 & exit 0', source: 'x' }));
    expect(await r.drain(3_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(r.stats().succeeded).toBe(1);
  });

  it('drops the oldest waiting action beyond the queue cap, counted and logged', async () => {
    dir = tempDir();
    const r = runner(1, 2);
    for (let i = 0; i < 5; i++) r.submit(request(dumpAction([text(String(i))])));
    expect(await r.drain(10_000)).toBe(true);
    // 0 starts at once; 1..4 compete for two places, so 1 and 2 are dropped.
    expect(dir.records().map((x) => x.argv[0])).toEqual(['0', '3', '4']);
    expect(r.stats().dropped).toBe(2);
    expect(logged.some((l) => l.includes('queue full'))).toBe(true);
  });

  it('drops the oldest waiting actions when their log text passes the text cap, $0 counted once', async () => {
    dir = tempDir();
    logged = [];
    const log = new Logger({ level: 'debug', stdout: { write: (t: string) => logged.push(t) } });
    // Room for the text of two waiting 1,000-character lines, each also its own $0.
    const r = new ActionRunner(log, { threads: 1, queueTextCap: 2_500, killGraceMs: 300, baseEnv: { ...process.env, DUMP_FILE: dir.dump } });
    for (let i = 0; i < 5; i++) {
      const line = String(i).repeat(1_000);
      r.submit(request(dumpAction([cap(0)]), [line], line));
    }
    expect(await r.drain(10_000)).toBe(true);
    expect(dir.records().map((x) => x.argv[0]![0])).toEqual(['0', '3', '4']);
    expect(r.stats().dropped).toBe(2);
    expect(logged.some((l) => l.includes('2500 characters of log text'))).toBe(true);
  });

  it('runs up to `threads` actions at once', async () => {
    dir = tempDir();
    const r = runner(3);
    const sleeper: ActionSpec = { shell: false, argv: [[text(process.execPath)], [text('-e')], [text('setTimeout(() => {}, 1500)')]], source: 'x' };
    const started = Date.now();
    for (let i = 0; i < 3; i++) r.submit(request(sleeper));
    expect(r.stats()).toMatchObject({ running: 3, queued: 0 });
    expect(await r.drain(10_000)).toBe(true);
    // One after another they would take at least 4.5 s.
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('keeps no read segment alive behind a queued action: line and captures are copied', async () => {
    dir = tempDir();
    const r = runner(1, 1000);
    r.submit(request({ shell: true, command: 'sleep 0.5', source: 'x' }));
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const queued = 150;
    const segmentBytes = 32 * 1024;
    for (let i = 0; i < queued; i++) {
      // As the line splitter hands them over: views into a flat decoded segment of the read buffer.
      const segment = Buffer.alloc(segmentBytes, `${i} `).toString('latin1');
      const line = segment.substring(10, 110);
      r.submit(request({ shell: false, argv: [[text('true')]], source: 'x' }, [line, line.substring(20, 60)], line));
    }
    gc();
    const held = process.memoryUsage().heapUsed - before;
    expect(r.stats().queued).toBe(queued);
    // The segments themselves would hold ~4.9 MB; the copies are a few hundred bytes each.
    expect(held).toBeLessThan((queued * segmentBytes) / 4);
    expect(await r.drain(20_000)).toBe(true);
    expect(r.stats().succeeded).toBe(queued + 1);
  });

  it('drain reports false when time runs out first', async () => {
    dir = tempDir();
    const r = runner();
    r.submit(request({ shell: true, command: 'sleep 1', source: 'x' }));
    expect(await r.drain(50)).toBe(false);
    expect(await r.drain(5_000)).toBe(true);
  });
});
