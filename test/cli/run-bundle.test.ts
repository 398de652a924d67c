import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot } from '../../compiler/manifest.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION } from '../../runtime/contract.js';
import { runCli, tempDir } from './run-cli.js';
import { runHere } from './run-here.js';
import { alive, itemText, MARKER, PARENT_MARKER, read, records, startRun, waitFor, type Daemon } from './run-helpers.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

function dir(): string {
  const t = tempDir('rulec-bundle-');
  cleanup.push(t.remove);
  return t.dir;
}

function daemon(args: readonly string[], cwd: string): Daemon {
  const d = startRun(args, cwd);
  cleanup.push(() => d.child.kill('SIGKILL'));
  return d;
}

/** Builds `rules` text and copies bundle.mjs alone into a fresh directory. */
async function bundle(rules: string): Promise<string> {
  const src = dir();
  writeFileSync(join(src, 'app.rules'), rules);
  const built = await runCli(['build', 'app.rules', '-o', 'dist'], { cwd: src, timeoutMs: 60_000 });
  expect(built.code, built.stderr).toBe(0);
  const alone = join(dir(), 'bundle.mjs');
  copyFileSync(join(src, 'dist/bundle.mjs'), alone);
  return alone;
}

/**
 * Builds a bundle whose one item runs `script RECORDS WORDS` on each `ERROR x` line, starts it,
 * appends one such line and waits for its record; returns what a test checks next.
 */
async function bundleFired(script: string, words: string, beside: (bundleDir: string) => void = () => {}): Promise<{ file: string; own: string; rec: string; d: Daemon }> {
  const work = dir();
  const log = join(work, 'app.log');
  const rec = join(work, 'records');
  writeFileSync(log, '');
  const file = await bundle(itemText('ERRORS', log, 'ERROR (\\w+)', script, rec, words));
  beside(dirname(file));
  const own = join(work, 'own.log');
  const d = daemon([file, '-l', own], work);
  expect(await waitFor(() => read(own).includes('running 1 item(s)'))).toBe(true);
  appendFileSync(log, 'ERROR bundled\n');
  expect(await waitFor(() => records(rec).length === 1)).toBe(true);
  return { file, own, rec, d };
}

describe('rulec run BUNDLE', () => {
  it('runs a built bundle with node, passing signals on', async () => {
    const { own, rec, d } = await bundleFired(MARKER, '"$1"');
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(records(rec)).toEqual([['bundled']]);
    expect(read(own)).toContain('SIGTERM: stopping');
  });

  it('with koffi installed beside it, starts its actions itself by posix_spawn, with no helper', async () => {
    const { file, rec, d } = await bundleFired(PARENT_MARKER, '', (bundleDir) => {
      mkdirSync(join(bundleDir, 'node_modules'));
      symlinkSync(join(packageRoot(), 'node_modules', 'koffi'), join(bundleDir, 'node_modules', 'koffi'));
    });
    // Its parent is the bundle's own process (`rulec run` runs it with node), not a helper.
    const [[parent, kind, stdout]] = records(rec) as [string[]];
    expect([kind, stdout]).toEqual(['other', 'pipe']);
    expect(readFileSync(`/proc/${parent}/cmdline`, 'utf8').split('\0')).toContain(file);
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
  });

  it('without koffi (it cannot be bundled), starts its actions from a copy of itself serving as the action helper', async () => {
    const { file, rec, d } = await bundleFired(PARENT_MARKER, '');
    const [[parent, kind, stdout]] = records(rec) as [string[]];
    // Started by Node's spawn, which gives a socket pair for stdout.
    expect([kind, stdout]).toEqual(['helper', 'socket']);
    expect(readFileSync(`/proc/${parent}/cmdline`, 'utf8').split('\0')).toContain(file);
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
  });

  it('gets through a line its pattern would backtrack on for ever and acts on the next one (the banner bounds regex time)', async () => {
    const work = dir();
    const log = join(work, 'app.log');
    const rec = join(work, 'records');
    writeFileSync(log, '');
    const file = await bundle(itemText('WORDS', log, '^(\\w+\\s?)*$', MARKER, rec, '"$1"'));
    const own = join(work, 'own.log');
    const d = daemon([file, '-l', own], work);
    expect(await waitFor(() => read(own).includes('running 1 item(s)'))).toBe(true);
    // ~2^40 backtracking steps for the first line without V8's linear fallback.
    appendFileSync(log, `${'a'.repeat(40)}!\nhello world\n`);
    expect(await waitFor(() => records(rec).length === 1)).toBe(true);
    expect(records(rec)).toEqual([['world']]);
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
  });

  it('refuses a module of another contract version with exit 2 and a clear message', async () => {
    const work = dir();
    const file = await bundle(itemText('ERRORS', join(work, 'app.log'), 'ERROR (\\w+)', MARKER, join(work, 'r'), '"$1"'));
    const text = readFileSync(file, 'utf8');
    const current = `contractVersion: ${CONTRACT_VERSION},`;
    expect(text).toContain(current);
    // A module from the compiler before the prefilter moved into the runtime (version 1).
    writeFileSync(file, text.replace(current, 'contractVersion: 1,'));
    const d = daemon([file, '-s'], work);
    expect(await d.exited).toBe(2);
    expect(d.output()).toContain(`contract version 1 does not match this runtime's ${CONTRACT_VERSION}; rebuild it`);
  });
});

describe('rulec run -t with a bundle', () => {
  it('checks the rule file given to -t, not the bundle beside it; a bundle vouches only for itself', async () => {
    const work = dir();
    const file = await bundle(itemText('ERRORS', join(work, 'app.log'), 'ERROR (\\w+)', MARKER, join(work, 'r'), '"$1"'));
    writeFileSync(join(work, 'bad.rules'), '[BAD]\npath = /x\nregex = (unclosed\nupbound_action = /bin/true\n');
    const bad = await runHere(['run', file, '-t', 'bad.rules'], { cwd: work });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.rules:3:\d+: error\[R307\]/);
    const missing = await runHere(['run', '-t', 'nope.rules', file], { cwd: work });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.rules/);
    const itself = await runHere(['run', file, '-t', file], { cwd: work });
    expect(itself).toMatchObject({ code: 0, stdout: `${file}: loads: 1 module(s), 1 item(s)\n` });
    // Straight to the bundle, as on a host without rulec.
    const other = spawnSync(process.execPath, [file, '-t', 'bad.rules'], { cwd: work, encoding: 'utf8' });
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/this bundle checks only itself; check a rule file with rulec check/);
  });

  it('refuses a .mjs that is not a whole rulec bundle in one line, exit 2, running nothing of it', async () => {
    const work = dir();
    const ran = join(work, 'ran');
    writeFileSync(join(work, 'empty.mjs'), '');
    writeFileSync(join(work, 'other.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(ran)}, 'x');\n`);
    for (const args of [['run', 'empty.mjs'], ['run', 'other.mjs'], ['run', '-t', 'other.mjs']]) {
      const result = await runHere(args, { cwd: work });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^rulec run: \S+\.mjs is not a bundle made by rulec build \(build one with rulec build FILE\.rules\)\n$/);
    }
    expect(existsSync(ran)).toBe(false);
    const file = await bundle(itemText('ERRORS', join(work, 'app.log'), 'ERROR (\\w+)', MARKER, join(work, 'r'), '"$1"'));
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length >> 1));
    const cut = await runHere(['run', file, '-s'], { cwd: work });
    expect(cut.code).toBe(2);
    expect(cut.stderr).toBe(`rulec run: ${file} is cut short (it lacks the bundle's last line): copy or build it again\n`);
  });

  it('refuses another rule file given to a bundle instead of running its own rules in silence', async () => {
    const work = dir();
    const file = await bundle(itemText('ERRORS', join(work, 'app.log'), 'ERROR (\\w+)', MARKER, join(work, 'r'), '"$1"'));
    writeFileSync(join(work, 'other.rules'), '[OTHER]\npath = /x\nregex = y\nupbound_action = /bin/true\n');
    for (const args of [['-c', 'other.rules', '-s'], ['other.rules', '-s']]) {
      const other = spawnSync(process.execPath, [file, ...args], { cwd: work, encoding: 'utf8', timeout: 60_000 });
      expect(other.status, args.join(' ')).toBe(2);
      expect(other.stderr).toBe('rulec: other.rules: this bundle runs only the rules it was built from; run a rule file with rulec run FILE.rules, or build it\n');
    }
    const both = await runHere(['run', file, '-c', 'other.rules'], { cwd: work });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/-c other\.rules and \S+bundle\.mjs name different rule files/);
    // Naming the bundle itself, through a symlink too, is what `rulec run BUNDLE` does.
    symlinkSync(file, join(work, 'current.mjs'));
    const itself = spawnSync(process.execPath, [file, '-c', join(work, 'current.mjs'), '-t', file], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(itself.status, itself.stderr).toBe(0);
    // Three real processes: the children's timeouts only catch a hang, on a machine of any load.
  }, 240_000);

  it('names a bundle that is not there in one line, exit 2', async () => {
    const work = dir();
    const result = await runHere(['run', 'nope.mjs'], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^rulec run: cannot read nope\.mjs: ENOENT[^\n]*\n$/);
  });
});

describe('rulec run BUNDLE whose module the engine cannot start', () => {
  it('exits 1 with one line saying why, and removes its pid file', async () => {
    const work = dir();
    const log = join(work, 'app.log');
    const file = await bundle(`[QUIET]\npath = ${log}\nregex = beat\ndownbound_freq = 5/60\ndownbound_action = /bin/true\nupbound_action = /bin/true\n`);
    const text = readFileSync(file, 'utf8');
    // What the checker refuses, as a module built elsewhere could hold it.
    const huge = text.replace(/downbound: \{\s*count: 5,/, 'downbound: { count: 9007199254740991,');
    expect(huge).not.toBe(text);
    writeFileSync(file, huge);
    const pidFile = join(work, 'rulec.pid');
    const d = daemon([file, '-s', '-p', pidFile], work);
    expect(await d.exited).toBe(1);
    expect(d.output()).toMatch(/error cannot start: .*length/i);
    expect(d.output()).not.toMatch(/^\s+at /m);
    expect(existsSync(pidFile)).toBe(false);
  });
});

describe('rulec run -u/-g', () => {
  it.skipIf(process.getuid?.() !== 0)('drops to the given group and user before reading, and actions run as that user', async () => {
    const work = dir();
    chmodSync(work, 0o755);
    const log = join(work, 'app.log');
    writeFileSync(log, '');
    chmodSync(log, 0o644);
    const rules = join(work, 'app.rules');
    writeFileSync(rules, `[IDS]\npath = ${log}\nregex = WHO\nupbound_action = /usr/bin/id -u\n`);
    chmodSync(rules, 0o644);
    const own = join(work, 'own.log');
    const pidFile = join(work, 'rulec.pid');
    const d = daemon([rules, '-l', own, '-p', pidFile, '-u', '65534', '-g', 'nogroup'], work);
    expect(await waitFor(() => read(own).includes('running 1 item(s)'))).toBe(true);
    const status = readFileSync(`/proc/${d.child.pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    expect(status).toMatch(/^Gid:\s+65534\s+65534\s+65534\s+65534$/m);
    // Root's supplementary groups are gone too.
    expect(status).toMatch(/^Groups:\s+65534\s*$/m);
    appendFileSync(log, 'WHO\n');
    expect(await waitFor(() => /stdout: 65534\\n/.test(read(own)))).toBe(true);
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(alive(d.child.pid!)).toBe(false);
    // Written as root before the drop; the unprivileged daemon cannot remove it, says so, and still exits 0.
    expect(read(own)).toMatch(/warn cannot remove pid file \S+rulec\.pid: EACCES/);
  });

  it('fails to start, exit 1, when the user does not exist', async () => {
    const work = dir();
    const rules = join(work, 'app.rules');
    writeFileSync(rules, `[IDS]\npath = ${join(work, 'app.log')}\nregex = WHO\nupbound_action = /usr/bin/id\n`);
    const d = daemon([rules, '-s', '-u', 'no-such-user-rulec'], work);
    expect(await d.exited).toBe(1);
    expect(d.output()).toMatch(/cannot switch to user no-such-user-rulec/);
  });
});
