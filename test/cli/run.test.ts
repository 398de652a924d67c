import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catchesSignal, childrenOf, listeningSockets, procStrings, running } from '../helpers/proc.js';
import { REPO, tempDir } from './run-cli.js';
import { runHere } from './run-here.js';
import { alive, itemText, MARKER, PARENT_MARKER, read, records, SLOW_MARKER, startRun, waitFor, writeRules, type Daemon } from './run-helpers.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

function setup(): { dir: string; log: string; own: string; rec: string; rules: string } {
  const { dir, remove } = tempDir('rulec-run-');
  cleanup.push(remove);
  const log = join(dir, 'app.log');
  writeFileSync(log, 'ERROR before-start\n');
  return { dir, log, own: join(dir, 'rulec.log'), rec: join(dir, 'records'), rules: join(dir, 'app.rules') };
}

function daemon(args: readonly string[], cwd: string): Daemon {
  const d = startRun(args, cwd);
  cleanup.push(() => d.child.kill('SIGKILL'));
  return d;
}

async function stopWithin(d: Daemon, ms: number): Promise<{ code: number | null; took: number }> {
  const started = Date.now();
  d.child.kill('SIGTERM');
  const code = await Promise.race([d.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), ms + 2_000))]);
  return { code: code === 'late' ? -1 : code, took: Date.now() - started };
}

describe('rulec run -T REGEX', () => {
  it('is logNOT\'s flag for rulec regex: the same captures of each line of standard input', async () => {
    const input = 'Failed password for root from 203.0.113.5\nnothing\n';
    const regex = 'Failed password for (\\S+) from (?P<host>\\S+)';
    const viaRun = await runHere(['run', '-T', regex], { cwd: REPO, input });
    expect(viaRun).toEqual(await runHere(['regex', regex], { cwd: REPO, input }));
    expect(viaRun.code).toBe(0);
    expect(viaRun.stdout).toContain('  $host ($2) = "203.0.113.5"\n1 of 2 line(s) matched\n');
  });
});

describe('rulec run FILE.rules', () => {
  it('runs a real action per matching line, writes the pid file, and SIGTERM ends the action still running, exit 0', async () => {
    const t = setup();
    // Writes its record after 30 s: still running when SIGTERM comes, however busy the machine.
    const slow = join(t.dir, 'slow.mjs');
    writeFileSync(slow, "import { appendFileSync } from 'node:fs';\nsetTimeout(() => appendFileSync(process.argv[2], 'late\\n'), 30_000);\n");
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', slow, t.rec, '"$1"'));
    const d = daemon([t.rules, '-l', t.own, '-p', join(t.dir, 'rulec.pid')], t.dir);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    expect(readFileSync(join(t.dir, 'rulec.pid'), 'utf8').trim()).toBe(String(d.child.pid));

    appendFileSync(t.log, 'INFO fine\nERROR disk\n');
    const slowRunning = (): boolean => childrenOf(d.child.pid!).some((child) => procStrings(child.pid, 'cmdline').includes(slow));
    expect(await waitFor(slowRunning)).toBe(true);
    // Well before the action's 30 s: the stop ended it rather than waiting for it.
    const { code, took } = await stopWithin(d, 20_000);
    expect(code).toBe(0);
    expect(took).toBeLessThan(20_000);
    expect(read(t.own)).toMatch(/ending 1 running action\(s\): SIGTERM, and SIGKILL 1 s later[\s\S]*was killed by SIGTERM[\s\S]*stopped: 2 line\(s\) read, 1 action\(s\) submitted/);
    expect(read(t.rec)).toBe('');
    expect(existsSync(join(t.dir, 'rulec.pid'))).toBe(false);
    expect(read(t.own)).not.toContain('before-start');
  });

  it('starts its actions itself, by posix_spawn, with no helper process (a bundle without koffi uses one: run-bundle.test.ts)', async () => {
    const t = setup();
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', PARENT_MARKER, t.rec, ''));
    const d = daemon([t.rules, '-l', t.own], t.dir);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    appendFileSync(t.log, 'ERROR one\nERROR two\n');
    expect(await waitFor(() => records(t.rec).length === 2)).toBe(true);
    // A pipe for stdout: posix_spawn started them (Node's spawn would have given a socket pair).
    expect(records(t.rec)).toEqual([[String(d.child.pid), 'other', 'pipe'], [String(d.child.pid), 'other', 'pipe']]);
    expect(childrenOf(d.child.pid!).filter((child) => procStrings(child.pid, 'environ').includes('RULEC_ACTION_HELPER=1'))).toEqual([]);
    expect((await stopWithin(d, 15_000)).code).toBe(0);
  });

  it('a SIGUSR1 while it still compiles its rules is ignored: no inspector opens', async () => {
    const t = setup();
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
    const d = daemon([t.rules, '-l', t.own], t.dir);
    // From the start of the compile (the daemon's SIGHUP guard is set just before it; during
    // Node's own start no script can keep the inspector shut) until the rules are compiled.
    const SIGHUP = 1;
    expect(await waitFor(() => catchesSignal(d.child.pid!, SIGHUP) || read(t.own) !== '', 20_000)).toBe(true);
    expect(read(t.own)).not.toContain('running 1 item(s)');
    let sent = 0;
    while (!read(t.own).includes('running 1 item(s)') && sent < 500) {
      d.child.kill('SIGUSR1');
      sent++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(sent).toBeGreaterThan(0);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    // Node's default for SIGUSR1 is an inspector on 127.0.0.1:9229, listening within ~10 ms.
    await new Promise((r) => setTimeout(r, 300));
    expect(listeningSockets(d.child.pid!)).toEqual([]);
    expect((await stopWithin(d, 15_000)).code).toBe(0);
    // Node says so on stderr when an inspector opens, however late: all of it has been read by now.
    expect(d.output()).not.toContain('Debugger listening');
  });

  it('a SIGHUP while it still compiles its rules does not end it (logrotate during a restart)', async () => {
    const t = setup();
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
    const d = daemon([t.rules, '-l', t.own], t.dir);
    // From the moment a handler exists (before it, no script runs yet) to the end of the compile.
    const SIGHUP = 1;
    expect(await waitFor(() => catchesSignal(d.child.pid!, SIGHUP) || read(t.own) !== '', 20_000)).toBe(true);
    expect(read(t.own)).not.toContain('running 1 item(s)');
    let sent = 0;
    while (!read(t.own).includes('running 1 item(s)') && sent < 500 && d.child.exitCode === null) {
      d.child.kill('SIGHUP');
      sent++;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(sent).toBeGreaterThan(0);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    appendFileSync(t.log, 'ERROR after\n');
    expect(await waitFor(() => records(t.rec).length === 1)).toBe(true);
    expect((await stopWithin(d, 15_000)).code).toBe(0);
  });

  it('-d detaches: the parent exits 0 once the pid file exists, SIGTERM stops the background copy within 5 s', async () => {
    const t = setup();
    const pidFile = join(t.dir, 'rulec.pid');
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', SLOW_MARKER, t.rec, '"$1"'));
    const parent = daemon([t.rules, '-d', '-l', t.own, '-p', pidFile], t.dir);
    expect(await parent.exited).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).not.toBe(parent.child.pid);
    expect(alive(pid)).toBe(true);
    cleanup.push(() => alive(pid) && process.kill(pid, 'SIGKILL'));

    appendFileSync(t.log, 'ERROR detached\n');
    expect(await waitFor(() => read(t.own).includes('[ERRORS]') || records(t.rec).length > 0)).toBe(true);
    process.kill(pid, 'SIGTERM');
    expect(await waitFor(() => !alive(pid))).toBe(true);
    expect(records(t.rec)).toEqual([['detached']]);
    expect(read(t.own)).toMatch(/SIGTERM: stopping[\s\S]*stopped: 1 line\(s\) read, 1 action\(s\) submitted/);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('-d: the background copy runs the rules its parent checked, so their warnings reach the terminal, not the log again', async () => {
    const t = setup();
    const pidFile = join(t.dir, 'rulec.pid');
    const shellItem = `[SH]\npath = ${t.log}\nregex = SHELL (\\w+)\nshell = true\nupbound_action = echo "$RULEC_1"\n`;
    writeRules(t.rules, `${itemText('ERRORS', t.log, 'ERROR (\\w+)', SLOW_MARKER, t.rec, '"$1"')}\n${shellItem}`);
    const parent = daemon([t.rules, '-d', '-l', t.own, '-p', pidFile], t.dir);
    expect(await parent.exited).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    cleanup.push(() => alive(pid) && process.kill(pid, 'SIGKILL'));
    expect(parent.output()).toContain('warning[R312]');
    appendFileSync(t.log, 'ERROR handed\n');
    expect(await waitFor(() => records(t.rec).length > 0)).toBe(true);
    expect(records(t.rec)).toEqual([['handed']]);
    // Compiled again in the copy, the warning would be in its log (its stderr) too.
    expect(read(t.own)).toContain('running 2 item(s)');
    expect(read(t.own)).not.toContain('R312');
    process.kill(pid, 'SIGTERM');
    expect(await waitFor(() => !alive(pid))).toBe(true);
  });

  it('-d: a background copy whose parent is killed before it reported ready stops, and leaves no pid file', async () => {
    const t = setup();
    const pidFile = join(t.dir, 'rulec.pid');
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', SLOW_MARKER, t.rec, '"$1"'));
    // The background copies of this test: this run's rule file on their command line, started by -d.
    const copies = (): number[] => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(t.rules) && readFileSync(`/proc/${pid}/environ`, 'utf8').includes('RULEC_DETACHED_CHILD=1') && running(pid);
      } catch {
        return false;
      }
    });
    const parent = daemon([t.rules, '-d', '-l', t.own, '-p', pidFile], t.dir);
    // Killed as soon as its copy exists: the copy is still starting (node, then its rules).
    expect(await waitFor(() => copies().length > 0, 20_000)).toBe(true);
    const [copy] = copies();
    cleanup.push(() => running(copy!) && process.kill(copy!, 'SIGKILL'));
    parent.child.kill('SIGKILL');
    expect(await waitFor(() => !running(copy!), 20_000)).toBe(true);
    expect(read(t.own)).toContain('the process that started this background copy is gone before it reported ready; stopping');
    expect(existsSync(pidFile)).toBe(false);
  });

  it('refuses to start on the pid file of a daemon still running, which keeps it', async () => {
    const t = setup();
    const pidFile = join(t.dir, 'rulec.pid');
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
    const first = daemon([t.rules, '-s', '-p', pidFile], t.dir);
    expect(await waitFor(() => first.output().includes('running 1 item(s)'))).toBe(true);
    const second = daemon([t.rules, '-s', '-p', pidFile], t.dir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`pid file ${pidFile} names process ${first.child.pid}, still running`);
    expect(readFileSync(pidFile, 'utf8')).toBe(`${first.child.pid}\n`);
    expect((await stopWithin(first, 5_000)).code).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('-d with -s writes each line of its own log to -l once', async () => {
    const t = setup();
    const pidFile = join(t.dir, 'rulec.pid');
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
    const parent = daemon([t.rules, '-d', '-s', '-l', t.own, '-p', pidFile], t.dir);
    expect(await parent.exited).toBe(0);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    cleanup.push(() => alive(pid) && process.kill(pid, 'SIGKILL'));
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    process.kill(pid, 'SIGTERM');
    expect(await waitFor(() => !alive(pid))).toBe(true);
    const lines = read(t.own).trimEnd().split('\n').map((l) => l.replace(/^\S+ /, ''));
    expect(lines.filter((l) => l.includes('running 1 item(s)'))).toHaveLength(1);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('SIGHUP reopens the own log file after it was renamed', async () => {
    const t = setup();
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
    const d = daemon([t.rules, '-l', t.own], t.dir);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    renameSync(t.own, `${t.own}.1`);
    d.child.kill('SIGHUP');
    expect(await waitFor(() => read(t.own).includes('SIGHUP: reopened the log file'))).toBe(true);
    appendFileSync(t.log, 'ERROR afterrotation\n');
    expect(await waitFor(() => read(t.own).includes('afterrotation'))).toBe(true);
    expect(read(`${t.own}.1`)).not.toContain('afterrotation');
    // When nothing can be opened at the path, it says so in the file it keeps writing to, and no more.
    renameSync(t.own, `${t.own}.2`);
    mkdirSync(t.own);
    d.child.kill('SIGHUP');
    expect(await waitFor(() => read(`${t.own}.2`).includes('cannot reopen log file'))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const kept = read(`${t.own}.2`);
    expect(kept.slice(kept.indexOf('cannot reopen log file'))).not.toContain('SIGHUP: reopened the log file');
    expect((await stopWithin(d, 15_000)).code).toBe(0);
  });

  it('SIGUSR1 reloads a changed rule file, and keeps the running rules when the new file has errors', async () => {
    const t = setup();
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
    const d = daemon([t.rules, '-l', t.own], t.dir);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);

    // A [general] setting a reload cannot apply is said, not dropped in silence.
    writeRules(t.rules, `[general]\nathread_count = 3\n\n${itemText('WARNINGS', t.log, 'WARN (\\w+)', MARKER, t.rec, '"$1"')}`);
    d.child.kill('SIGUSR1');
    expect(await waitFor(() => read(t.own).includes('reloaded: 1 item(s)'))).toBe(true);
    expect(read(t.own)).toMatch(/warn reload: athread_count changed from 2 to 3, which takes effect only when rulec starts again/);
    appendFileSync(t.log, 'ERROR oldrule\nWARN newrule\n');
    expect(await waitFor(() => records(t.rec).length === 1)).toBe(true);

    writeRules(t.rules, '[BROKEN]\nregex = (unclosed\nupbound_action = /bin/true\n');
    d.child.kill('SIGUSR1');
    expect(await waitFor(() => read(t.own).includes('reload failed, keeping the running rules'))).toBe(true);
    // The diagnostics of the broken file are in the own log, one line each.
    expect(await waitFor(() => /error \S+app\.rules:2:\d+: error\[R307\]/.test(read(t.own)))).toBe(true);
    appendFileSync(t.log, 'WARN stillwatched\n');
    expect(await waitFor(() => records(t.rec).length === 2)).toBe(true);
    expect((await stopWithin(d, 15_000)).code).toBe(0);
    expect(records(t.rec)).toEqual([['newrule'], ['stillwatched']]);
    // The reading position survived both reloads: no line was read twice.
    expect(read(t.own)).toMatch(/stopped: 3 line\(s\) read/);
  });

  it('hands hostile log text to the action byte-exact as single argv words, runs nothing else, and escapes its own log', async () => {
    const t = setup();
    // Not `$`-anchored: a line cut at line_max never matches a `$` (it is not the line's end).
    const regex = '^HOSTILE (.*)';
    // One action thread, so the records come in line order.
    writeRules(t.rules, `[general]\nathread_count = 1\n\n${itemText('HOSTILE', t.log, regex, MARKER, t.rec, '"$1" "$@"')}`);
    const d = daemon([t.rules, '-l', t.own], t.dir);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    const pwned = join(t.dir, 'pwned');
    // `; rm -rf x` would remove this if it ever reached a shell (the daemon runs in t.dir).
    writeFileSync(join(t.dir, 'x'), 'keep');
    const hostile = [
      '; rm -rf x',
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      'costs $1 and $@ and ${2}',
      `'; touch ${pwned}; echo '`,
      '\x1b[31mred\x1b[0m \x1b]0;title\x07 \u009b2J',
    ];
    const huge = 'X'.repeat(1024 * 1024);
    appendFileSync(t.log, `${hostile.map((h) => `HOSTILE ${h}`).join('\n')}\nHOSTILE ${huge}\nHOSTILE after-the-huge-line\n`);
    expect(await waitFor(() => records(t.rec).length === hostile.length + 2)).toBe(true);
    expect((await stopWithin(d, 15_000)).code).toBe(0);

    const got = records(t.rec);
    expect(got.slice(0, hostile.length)).toEqual(hostile.map((h) => [h, `HOSTILE ${h}`]));
    // A 1 MiB line is cut to line_max (64 KiB) before matching: one argv word may not exceed
    // the kernel's 128 KiB limit anyway. The cut text arrives exactly, the next line intact.
    const cut = got[hostile.length]!;
    expect(cut[1]).toBe(`HOSTILE ${huge}`.slice(0, 64 * 1024));
    expect(cut[0]).toBe(cut[1]!.slice('HOSTILE '.length));
    expect(got[hostile.length + 1]).toEqual(['after-the-huge-line', 'HOSTILE after-the-huge-line']);
    expect(existsSync(pwned)).toBe(false);
    expect(existsSync(join(t.dir, 'x'))).toBe(true);
    const own = read(t.own);
    expect(own).toContain('red');
    expect(own).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('refuses to start, exit 1, when its own log file cannot be opened, rather than run with no log', async () => {
    const t = setup();
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
    const d = daemon([t.rules, '-l', join(t.dir, 'no-such-dir', 'own.log')], t.dir);
    expect(await d.exited).toBe(1);
    expect(d.output()).toMatch(/^rulec: cannot write log file \S+own\.log: Error: ENOENT/m);
  });

  it('-t checks a rule file like rulec check, and refuses a rule file with errors', async () => {
    const t = setup();
    writeRules(t.rules, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
    const ok = daemon(['-t', t.rules], t.dir);
    expect(await ok.exited).toBe(0);
    expect(ok.output()).toContain(`${t.rules}: ok`);
    writeRules(t.rules, '[BROKEN]\npath = /x\nregex = (unclosed\nupbound_action = /bin/true\n');
    const bad = daemon(['-t', t.rules], t.dir);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/error\[R307\]/);
    const refused = daemon([t.rules, '-s'], t.dir);
    expect(await refused.exited).toBe(1);
  });

  it('SIGTERM ends the actions still running when its drain runs out, even one that ignores SIGTERM', async () => {
    const t = setup();
    const hang = join(t.dir, 'hang.mjs');
    const pidFile = join(t.dir, 'action.pid');
    writeFileSync(hang, "import { writeFileSync } from 'node:fs';\nprocess.on('SIGTERM', () => {});\nwriteFileSync(process.argv[2], String(process.pid));\nsetInterval(() => {}, 1000);\n");
    writeRules(t.rules, `[HANG]\npath = ${t.log}\nregex = HANG\nupbound_action = ${process.execPath} ${hang} ${pidFile}\naction_timeout = 600\n`);
    const d = daemon([t.rules, '-l', t.own], t.dir);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    appendFileSync(t.log, 'HANG\n');
    expect(await waitFor(() => existsSync(pidFile) && read(pidFile) !== '')).toBe(true);
    const action = Number(read(pidFile));
    cleanup.push(() => {
      if (alive(action)) process.kill(action, 'SIGKILL');
    });
    // Seen the moment the daemon's process is gone ('close' waits for the helper too, which
    // holds the daemon's stdout).
    const daemonPid = d.child.pid!;
    let actionAtExit: boolean | null = null;
    const watch = setInterval(() => {
      if (actionAtExit === null && !running(daemonPid)) actionAtExit = running(action);
    }, 5);
    const stopped = await stopWithin(d, 20_000);
    clearInterval(watch);
    // On a busy machine the exit can be reported before a tick saw it; nothing else ends the action.
    if (actionAtExit === null) actionAtExit = running(action);
    expect(stopped.code).toBe(0);
    expect(read(t.own)).toContain('ending 1 running action(s): SIGTERM, and SIGKILL 1 s later');
    // SIGTERM to its group, SIGKILL a second later, from the daemon, though the helper started
    // it: nothing outlives the daemon, not even for the helper's own grace period.
    expect(actionAtExit).toBe(false);
  });

  it('SIGTERM: queued actions never start, running ones end, nothing outlives the daemon (two queued sleep 3600)', async () => {
    const t = setup();
    // A duration no other process uses, so /proc shows exactly this test's sleeps.
    const duration = `3600.${process.pid}${Date.now() % 1000}`;
    const sleeps = (): number[] => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)
      .filter((pid) => running(pid) && procStrings(pid, 'cmdline').join(' ') === `/bin/sleep ${duration} `);
    // Four workers, so the item may run two at once; a key per line, so each line fires.
    writeRules(t.rules, `[general]\nathread_count = 4\n\n[SLEEP]\npath = ${t.log}\nregex = SLEEP \\d\nusecrc = true\nupbound_action = /bin/sleep ${duration}\n`);
    const pidFile = join(t.dir, 'rulec.pid');
    const d = daemon([t.rules, '-l', t.own, '-p', pidFile], t.dir);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    appendFileSync(t.log, 'SLEEP 1\nSLEEP 2\nSLEEP 3\nSLEEP 4\n');
    // Two run, two wait in the queue.
    expect(await waitFor(() => sleeps().length === 2)).toBe(true);
    cleanup.push(() => {
      for (const pid of sleeps()) process.kill(pid, 'SIGKILL');
    });
    expect((await stopWithin(d, 15_000)).code).toBe(0);
    expect(sleeps()).toEqual([]);
    expect(read(t.own)).toMatch(/ending 2 running action\(s\)[\s\S]*2 queued action\(s\) not started: rulec was stopping[\s\S]*stopped: 4 line\(s\) read, 4 action\(s\) submitted/);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('SIGINT stops like SIGTERM, with exit 0; the blocks it does not run are named with the command that does', async () => {
    const t = setup();
    const watch = 'watch <<__END\n    logfile /var/log/messages\n__END\n';
    writeRules(t.rules, `${itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"')}\n${watch}\n${watch}`);
    const d = daemon([t.rules, '-s'], t.dir);
    // The line after the start line may come in a later chunk of the child's output.
    expect(await waitFor(() => d.output().includes('2 watch blocks are not run here: rulec report runs them'))).toBe(true);
    expect(d.output().indexOf('running 1 item(s)')).toBeLessThan(d.output().indexOf('2 watch blocks are not run here'));
    d.child.kill('SIGINT');
    expect(await d.exited).toBe(0);
    expect(d.output()).toContain('SIGINT: stopping');
  });

  it('with a state directory, a restart resumes where the last run stopped: lines written meanwhile are not lost', async () => {
    const t = setup();
    const state = join(t.dir, 'state');
    writeRules(t.rules, `[general]\nstate = ${state}\n\n${itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"')}`);
    const first = daemon([t.rules, '-l', t.own], t.dir);
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    appendFileSync(t.log, 'ERROR first\n');
    expect(await waitFor(() => records(t.rec).length === 1)).toBe(true);
    expect((await stopWithin(first, 5_000)).code).toBe(0);

    appendFileSync(t.log, 'ERROR whiledown\n');
    const second = daemon([t.rules, '-l', t.own], t.dir);
    expect(await waitFor(() => records(t.rec).length === 2)).toBe(true);
    expect((await stopWithin(second, 5_000)).code).toBe(0);
    expect(records(t.rec)).toEqual([['first'], ['whiledown']]);
    expect(read(t.own)).toMatch(/resumed \S+app\.log at checkpoint offset \d+/);
  });
});
