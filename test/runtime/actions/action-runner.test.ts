import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRunner, droppedSummary } from '../../../runtime/actions/action-runner.js';
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
    // SIGTERM ignored from the first instant (a node process would need time to install a
    // handler, and a loaded machine let the timeout come first): ignored stays ignored across exec.
    const stubborn = "trap '' TERM; exec sleep 30";
    r.submit(request({ shell: true, command: stubborn, source: 'x' }, [], '', item({ name: 'A', actionTimeout: 0.3 })));
    r.submit(request({ shell: true, command: 'sleep 30', source: 'x' }, [], '', item({ name: 'B', actionTimeout: 0.3 })));
    expect(await r.drain(10_000)).toBe(true);
    expect(r.stats().timedOut).toBe(2);
    const timedOut = logged.filter((l) => l.includes('timed out'));
    expect(timedOut.map((l) => /\[(\w)\].* killed by (\w+)/.exec(l)?.slice(1))).toEqual(expect.arrayContaining([['A', 'SIGKILL'], ['B', 'SIGTERM']]));
    expect(timedOut).toHaveLength(2);
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
    // Ended at the action's 0.5 s timeout, long before its own 30 s.
    expect(await waitFor(() => !running(left), 20_000)).toBe(true);
  });

  it('close() ends the actions this process started, and what they left behind, SIGKILL for those ignoring SIGTERM', async () => {
    dir = tempDir();
    const r = runner();
    const [stubbornPid, leftPid] = [join(dir.path, 'stubborn.pid'), join(dir.path, 'left.pid')];
    const stubborn = `process.on("SIGTERM", () => {}); require("fs").writeFileSync(${JSON.stringify(stubbornPid)}, String(process.pid)); setInterval(() => {}, 1000)`;
    // No action_timeout: only the stop can end them. Two items, so both run at once.
    r.submit(request({ shell: false, argv: [[text(process.execPath)], [text('-e')], [text(stubborn)]], source: 'x' }, [], '', item({ name: 'A' })));
    r.submit(request({ shell: true, command: `sleep 30 >/dev/null 2>&1 & echo $! > ${leftPid}`, source: 'x' }, [], '', item({ name: 'B' })));
    expect(await waitFor(() => existsSync(stubbornPid) && existsSync(leftPid) && readFileSync(leftPid, 'utf8') !== '', 20_000)).toBe(true);
    const pids = [stubbornPid, leftPid].map((f) => Number(readFileSync(f, 'utf8')));
    await r.close(300);
    expect(await waitFor(() => pids.every((pid) => !running(pid)), 20_000)).toBe(true);
  });

  it('does not wait for a grandchild that left the group but holds the output pipes', async () => {
    dir = tempDir();
    const r = runner();
    const started = Date.now();
    // Done long before the grandchild's 30 s, however busy the machine.
    const pidFile = join(dir.path, 'grandchild.pid');
    r.submit(request({ shell: true, command: `setsid sleep 30 & echo $! > ${pidFile}; exit 0`, source: 'x' }));
    expect(await r.drain(20_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stats().succeeded).toBe(1);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  });

  it('refuses the newest action beyond an item\'s queue cap, so the first decided still run; counted and logged', async () => {
    dir = tempDir();
    const r = runner(1, 2);
    for (let i = 0; i < 5; i++) r.submit(request(dumpAction([text(String(i))])));
    expect(await r.drain(10_000)).toBe(true);
    // 0 starts at once; 1 and 2 wait, 3 and 4 find the queue full.
    expect(dir.records().map((x) => x.argv[0])).toEqual(['0', '1', '2']);
    expect(r.stats().dropped).toBe(2);
    expect(r.stats().items).toEqual([{ name: 'T', submitted: 5, dropped: 2, running: 0, queued: 0 }]);
    expect(logged.filter((l) => l.includes('[T] upbound action dropped: the item\'s action queue is full (2 waiting)'))).toHaveLength(2);
  });

  it('drops from the item holding the most waiting log text when the text cap is reached, $0 counted once', async () => {
    dir = tempDir();
    logged = [];
    const log = new Logger({ level: 'debug', stdout: { write: (t: string) => logged.push(t) } });
    // Room for the text of two waiting 1,000-character lines, each also its own $0.
    const r = new ActionRunner(log, { threads: 1, queueTextCap: 2_500, killGraceMs: 300, baseEnv: { ...process.env, DUMP_FILE: dir.dump } });
    const [big, small] = [item({ name: 'BIG' }), item({ name: 'SMALL' })];
    const submit = (it: ItemSpec, tag: string, length: number): void => {
      const line = tag.padEnd(length, '.');
      r.submit(request(dumpAction([text(tag)]), [line], line, it));
    };
    submit(big, 'b0', 1_000);
    submit(big, 'b1', 1_000);
    submit(big, 'b2', 1_000);
    submit(small, 's0', 400);
    submit(big, 'b3', 1_000);
    expect(await r.drain(10_000)).toBe(true);
    // b0 runs at once; b1, b2 wait (2,000); s0 makes 2,400; b3 would make 3,400, and BIG holds
    // the most: its newest, b3 itself, goes. SMALL had its turn in line before BIG's next.
    expect(dir.records().map((x) => x.argv[0])).toEqual(['b0', 's0', 'b1', 'b2']);
    expect(r.stats().items.map((i) => [i.name, i.dropped])).toEqual([['BIG', 1], ['SMALL', 0]]);
    expect(logged.some((l) => l.includes('[BIG]') && l.includes('2500 characters of log text'))).toBe(true);
  });

  it('a newcomer with little text makes the item holding the most give up its newest waiting action', async () => {
    dir = tempDir();
    logged = [];
    const log = new Logger({ level: 'debug', stdout: { write: (t: string) => logged.push(t) } });
    const r = new ActionRunner(log, { threads: 1, queueTextCap: 2_500, killGraceMs: 300, baseEnv: { ...process.env, DUMP_FILE: dir.dump } });
    const [big, small] = [item({ name: 'BIG' }), item({ name: 'SMALL' })];
    for (const tag of ['b0', 'b1', 'b2']) {
      const line = tag.padEnd(1_200, '.');
      r.submit(request(dumpAction([text(tag)]), [line], line, big));
    }
    // b1 and b2 wait with 2,400 characters; s0's 200 more pass the cap: b2 goes.
    const line = 's0'.padEnd(200, '.');
    r.submit(request(dumpAction([text('s0')]), [line], line, small));
    expect(await r.drain(10_000)).toBe(true);
    expect(dir.records().map((x) => x.argv[0])).toEqual(['b0', 's0', 'b1']);
    expect(r.stats().items.map((i) => [i.name, i.dropped])).toEqual([['BIG', 1], ['SMALL', 0]]);
  });

  it('runs up to `threads` actions at once, of different items', () => {
    dir = tempDir();
    const r = runner(3);
    const sleeper: ActionSpec = { shell: true, command: 'sleep 30', source: 'x' };
    for (const name of ['A', 'B', 'C', 'D']) r.submit(request(sleeper, [], '', item({ name })));
    expect(r.stats()).toMatchObject({ running: 3, queued: 1 });
    return r.stop(300);
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

describe('ActionRunner fairness between items', () => {
  const sleeper: ActionSpec = { shell: true, command: 'sleep 30', source: 'sleep 30' };
  /** A quick action (one `sh`) that appends its tag to the `done` file. */
  const note = (tag: string): ActionSpec => ({ shell: true, command: `echo ${tag} >> "$DONE"`, source: 'echo' });
  const done = (): string[] => (existsSync(join(dir.path, 'done')) ? readFileSync(join(dir.path, 'done'), 'utf8').split('\n').filter((l) => l !== '') : []);
  const fairRunner = (threads: number, queueCap = 1000): ActionRunner => {
    logged = [];
    const log = new Logger({ level: 'debug', stdout: { write: (t: string) => logged.push(t) } });
    return new ActionRunner(log, { threads, queueCap, killGraceMs: 300, baseEnv: { ...process.env, DONE: join(dir.path, 'done') } });
  };

  it('a flood of hanging actions of one item holds at most its share of the workers: another item\'s 40 actions all run', async () => {
    dir = tempDir();
    const r = fairRunner(2);
    const slow = item({ name: 'SLOW' });
    const ban = item({ name: 'BAN' });
    for (let i = 0; i < 20; i++) r.submit(request(sleeper, [], '', slow));
    for (let i = 0; i < 40; i++) r.submit(request(note(`ban${i}`), [], '', ban));
    expect(await waitFor(() => done().length === 40, 20_000)).toBe(true);
    expect(done()).toEqual(Array.from({ length: 40 }, (_, i) => `ban${i}`));
    const slowStats = r.stats().items.find((i) => i.name === 'SLOW');
    expect(slowStats).toMatchObject({ running: 1, queued: 19, dropped: 0 });
    await r.stop(300);
  });

  it('takes items in turn: one worker alternates between two items\' waiting actions', async () => {
    dir = tempDir();
    const r = fairRunner(1);
    const [a, b] = [item({ name: 'A' }), item({ name: 'B' })];
    for (let i = 0; i < 4; i++) r.submit(request(note(`a${i}`), [], '', a));
    for (let i = 0; i < 4; i++) r.submit(request(note(`b${i}`), [], '', b));
    expect(await r.drain(20_000)).toBe(true);
    expect(done()).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  it('counts drops per item and names them in the summary: a flooding item does not cost another its actions', async () => {
    dir = tempDir();
    const r = fairRunner(2, 3);
    const [slow, ban] = [item({ name: 'SLOW' }), item({ name: 'BAN' })];
    for (let i = 0; i < 10; i++) r.submit(request(sleeper, [], '', slow));
    for (let i = 0; i < 3; i++) r.submit(request(note(`ban${i}`), [], '', ban));
    expect(await waitFor(() => done().length === 3 && r.stats().running === 1, 20_000)).toBe(true);
    // SLOW: 1 running, 3 waiting, 6 refused; BAN: all 3 ran.
    const stats = r.stats();
    expect(stats.items).toEqual([
      { name: 'SLOW', submitted: 10, dropped: 6, running: 1, queued: 3 },
      { name: 'BAN', submitted: 3, dropped: 0, running: 0, queued: 0 },
    ]);
    expect(droppedSummary(stats)).toBe('6 action(s) dropped (SLOW 6)');
    // The 1st, 2nd and 4th drop of SLOW are logged, under SLOW.
    expect(logged.filter((l) => l.includes('action dropped')).map((l) => /\[(\w+)\].*\((\d+) of this item's/.exec(l)?.slice(1))).toEqual([
      ['SLOW', '1'],
      ['SLOW', '2'],
      ['SLOW', '4'],
    ]);
    await r.stop(300);
  });
});
