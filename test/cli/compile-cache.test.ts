/**
 * `rulec run FILE.rules` and the compile cache, through real processes: the daemon never loads
 * the compiler (a miss compiles in a child process, also on SIGUSR1), an unchanged rule file
 * starts with no compile at all, and a cache another user wrote is never used.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordLoads, type LoadRecord } from '../helpers/module-loads.js';
import { asNobody, NOBODY, secondUserMissing } from '../runtime/fs/helpers.js';
import { BIN, tempDir } from './run-cli.js';
import { itemText, MARKER, read, records, startRun, waitFor, writeRules } from './run-helpers.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

/** A work directory with a log, a rule file including another, a cache, and a record of every module each process loads. */
function setup() {
  const { dir, remove } = tempDir('rulec-cache-cli-');
  cleanup.push(remove);
  chmodSync(dir, 0o755);
  const t = { dir, log: join(dir, 'app.log'), rules: join(dir, 'app.rules'), inc: join(dir, 'inc.rules'), rec: join(dir, 'rec.jsonl'), own: join(dir, 'own.log'), cache: join(dir, 'cache') };
  writeFileSync(t.log, '');
  writeFileSync(t.rules, 'source "inc.rules"\n');
  writeRules(t.inc, itemText('ERRORS', t.log, 'ERROR (\\w+)', MARKER, t.rec, '"$1"'));
  const loads = recordLoads(dir);
  return { ...t, loads, env: { XDG_CACHE_HOME: t.cache, ...loads.env } };
}

/** The processes that loaded the compiler's pipeline, by pid, since the record was last cleared. */
const compilers = (loads: LoadRecord): number[] => loads.loadedBy(/\/compiler\/pipeline\.js$/);

describe('rulec run FILE.rules with the compile cache', () => {
  it('compiles a miss in a child process, starts from the cache when nothing changed, and reloads through the same path', async () => {
    const t = setup();
    const first = startRun([t.rules, '-l', t.own], t.dir, 25_000, t.env);
    cleanup.push(() => first.child.kill('SIGKILL'));
    expect(await waitFor(() => read(t.own).includes('running 1 item(s)'))).toBe(true);
    // Compiled, but not by the daemon.
    const [compiler, ...more] = compilers(t.loads);
    expect(compiler).toBeDefined();
    expect(more).toEqual([]);
    expect(compiler).not.toBe(first.child.pid);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    t.loads.clear();
    const second = startRun([t.rules, '-l', t.own], t.dir, 25_000, t.env);
    cleanup.push(() => second.child.kill('SIGKILL'));
    expect(await waitFor(() => read(t.own).split('running 1 item(s)').length === 3)).toBe(true);
    expect(compilers(t.loads)).toEqual([]);
    appendFileSync(t.log, 'ERROR cached\n');
    expect(await waitFor(() => records(t.rec).length === 1)).toBe(true);

    // An edit in the included file only: a miss, compiled in a child again.
    writeRules(t.inc, itemText('ERRORS', t.log, 'FAIL (\\w+)', MARKER, t.rec, '"$1"'));
    second.child.kill('SIGUSR1');
    expect(await waitFor(() => read(t.own).includes('reloaded: 1 item(s)'))).toBe(true);
    const reloaders = compilers(t.loads);
    expect(reloaders).toHaveLength(1);
    expect(reloaders).not.toContain(second.child.pid);
    appendFileSync(t.log, 'ERROR old\nFAIL new\n');
    expect(await waitFor(() => records(t.rec).length === 2)).toBe(true);
    expect(records(t.rec)).toEqual([['cached'], ['new']]);

    // Nothing changed since: the next reload compiles nowhere.
    t.loads.clear();
    second.child.kill('SIGUSR1');
    expect(await waitFor(() => read(t.own).split('reloaded: 1 item(s)').length === 3)).toBe(true);
    expect(compilers(t.loads)).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('as root: a user who may not read the cache (a daemon after -u) compiles without it, and says it kept nothing', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const t = setup();
    require0644(t);
    const rootRun = spawnSync(process.execPath, [BIN, 'test', t.rules, '--log', t.log], { cwd: t.dir, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: t.cache } });
    expect(rootRun.stderr).toBe('');
    // root's cache, 0700: nobody cannot look inside; that is a miss, not a cache to refuse.
    const theirs = asNobody(['env', `XDG_CACHE_HOME=${t.cache}`, process.execPath, BIN, 'test', t.rules, '--log', t.log]);
    expect(theirs.status).toBe(0);
    expect(theirs.stderr).not.toMatch(/not using the compile cache/);
    expect(theirs.stderr).toMatch(/^rulec: compiled without keeping it in the compile cache: .*EACCES/m);
  });

  it('as root: never uses a cache another user wrote, even one made for this very rule file', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const t = setup();
    const theirs = join(t.dir, 'theirs');
    mkdirSync(theirs);
    chownSync(theirs, NOBODY, NOBODY);
    require0644(t);
    // nobody compiles the same rule file into its own cache, then makes the entry's module write a marker.
    const made = asNobody(['env', `XDG_CACHE_HOME=${theirs}`, process.execPath, BIN, 'test', t.rules, '--log', t.log]);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const marker = join(t.dir, 'evil-ran');
    const tamper = `const fs = require('node:fs'); const dir = ${JSON.stringify(join(theirs, 'rulec'))}; for (const name of fs.readdirSync(dir)) { const file = dir + '/' + name; const entry = JSON.parse(fs.readFileSync(file, 'utf8')); entry.script = 'process.getBuiltinModule("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran"); ' + entry.script; fs.writeFileSync(file, JSON.stringify(entry)); }`;
    expect(asNobody([process.execPath, '-e', tamper]).status).toBe(0);

    const run = spawnSync(process.execPath, [BIN, 'test', t.rules, '--log', t.log], { cwd: t.dir, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: theirs } });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^rulec: not using the compile cache: refusing to use compile cache directory ${theirs}/rulec: \\S+ is owned by uid ${NOBODY}`, 'm'));
    expect(existsSync(marker)).toBe(false);
  });
});

/** Makes the work files readable by the second user. */
function require0644(t: { rules: string; inc: string; log: string }): void {
  for (const file of [t.rules, t.inc, t.log]) chmodSync(file, 0o644);
}
