import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION } from '../../../runtime/contract.js';
import { checkModule, importModule } from '../../../runtime/daemon/loader.js';
import { claimPidFile, removePidFile } from '../../../runtime/daemon/pid-file.js';
import { RUNTIME_VERSION } from '../../../runtime/daemon/version.js';
import { REPO } from '../../cli/run-cli.js';
import { waitFor } from '../../helpers/wait-for.js';
import { ruleModule, tempDir, type TempDir } from './helpers.js';

let dir: TempDir;
afterEach(() => dir?.remove());

describe('module loading', () => {
  it('accepts a module of this contract version and refuses another version with a clear message', () => {
    const good = ruleModule([]);
    expect(checkModule(good, 'm').value).toBe(good);
    const old = { ...good, contractVersion: CONTRACT_VERSION + 1 };
    expect(checkModule(old, 'old.mjs').error).toMatch(/old\.mjs: contract version \d+ does not match this runtime's \d+; rebuild/);
    expect(checkModule(null, 'x').error).toMatch(/not a rule module/);
    expect(checkModule({ contractVersion: CONTRACT_VERSION }, 'x').error).toMatch(/items, sources or blocks missing/);
  });

  it('imports a module file from disk and reports a file that throws while loading', async () => {
    dir = tempDir();
    const file = dir.file('m.mjs');
    writeFileSync(file, `export default { contractVersion: ${CONTRACT_VERSION}, name: 'm', settings: {}, engine: {}, items: [], sources: [], blocks: [] };\n`);
    expect((await importModule(file)).value?.name).toBe('m');
    const broken = dir.file('broken.mjs');
    writeFileSync(broken, 'throw new Error("boom");\n');
    expect((await importModule(broken)).error).toMatch(/broken\.mjs: cannot load: boom/);
  });
});

describe('pid file', () => {
  it('writes the pid and removes only its own file', () => {
    dir = tempDir();
    const file = dir.file('r.pid');
    expect(claimPidFile(file, 12345)).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe('12345\n');
    removePidFile(file, 999);
    expect(readFileSync(file, 'utf8')).toBe('12345\n');
    removePidFile(file, 12345);
    expect(() => readFileSync(file)).toThrow();
  });

  it('is taken by one process only: a second claim gets the running holder, a stale file is replaced', () => {
    dir = tempDir();
    const file = dir.file('r.pid');
    // The test runner's parent: a process that is surely running and is not this one.
    expect(claimPidFile(file, process.ppid)).toBeNull();
    expect(claimPidFile(file)).toBe(process.ppid);
    expect(readFileSync(file, 'utf8')).toBe(`${process.ppid}\n`);
    // A pid no process has (beyond pid_max).
    writeFileSync(file, '99999999\n');
    expect(claimPidFile(file)).toBeNull();
    expect(readFileSync(file, 'utf8')).toBe(`${process.pid}\n`);
    expect(readdirSync(dir.path)).toEqual(['r.pid']);
  });

  it('is taken by one of several daemons claiming it at the same moment', async () => {
    dir = tempDir();
    const file = dir.file('r.pid');
    const module = pathToFileURL(`${REPO}/out/runtime/daemon/pid-file.js`).href;
    // Each claimer says it is ready, then claims on every "go" line and says how it went; it stays
    // alive (a live holder) until its stdin ends. The same claimers race in every round, the
    // file removed between rounds: six processes rather than six a round.
    const script = dir.file('claimer.mjs');
    writeFileSync(script, [
      `const { claimPidFile } = await import(${JSON.stringify(module)});`,
      `process.stdout.write('ready\\n');`,
      `process.stdin.setEncoding('utf8').on('data', (chunk) => {`,
      `  for (const _ of chunk.split('\\n').slice(1)) {`,
      `    const owner = claimPidFile(${JSON.stringify(file)});`,
      `    process.stdout.write(owner === null ? 'claimed\\n' : \`held by \${owner}\\n\`);`,
      `  }`,
      `});`,
    ].join('\n'));
    const rounds = 8;
    const claimers = 6;
    const children = Array.from({ length: claimers }, () => spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] }));
    try {
      const said = children.map((child) => {
        const lines: string[] = [];
        let rest = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          const parts = (rest + chunk).split('\n');
          rest = parts.pop() ?? '';
          lines.push(...parts);
        });
        return lines;
      });
      expect(await waitFor(() => said.every((lines) => lines.length === 1), 20_000)).toBe(true);
      for (let round = 1; round <= rounds; round++) {
        for (const child of children) child.stdin.write('go\n');
        expect(await waitFor(() => said.every((lines) => lines.length === round + 1), 20_000)).toBe(true);
        const answers = said.map((lines) => lines[round]);
        const winners = children.filter((_, k) => answers[k] === 'claimed');
        expect(winners.map((child) => child.pid)).toHaveLength(1);
        expect(answers.filter((a) => a !== 'claimed')).toEqual(Array(claimers - 1).fill(`held by ${winners[0]!.pid}`));
        expect(readFileSync(file, 'utf8')).toBe(`${winners[0]!.pid}\n`);
        rmSync(file, { force: true });
      }
    } finally {
      for (const child of children) child.stdin.end();
      await Promise.all(children.map((child) => (child.exitCode !== null ? null : once(child, 'exit'))));
    }
    expect(readdirSync(dir.path)).toEqual(['claimer.mjs']);
  });

  it('leaves no temp file behind when the pid file cannot be put in place (-p names a directory)', () => {
    dir = tempDir();
    const target = dir.file('pids');
    mkdirSync(target);
    expect(() => claimPidFile(target, 12345)).toThrow(/EISDIR/);
    expect(readdirSync(dir.path)).toEqual(['pids']);
  });

  it('writes through no symlink planted where its temp file used to be (a world-writable -p directory)', () => {
    dir = tempDir();
    const file = dir.file('r.pid');
    const victim = dir.file('victim');
    writeFileSync(victim, 'precious\n');
    // The temp name used to be predictable from the pid: another user could plant it in advance.
    symlinkSync(victim, dir.file('.r.pid.12345.tmp'));
    expect(claimPidFile(file, 12345)).toBeNull();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(file, 'utf8')).toBe('12345\n');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
  });
});

describe('pid file planted as a symlink', () => {
  it('does not follow a symlink at the pid file: neither reads the pid it leads to nor writes there', () => {
    dir = tempDir();
    const file = dir.file('r.pid');
    // A root-only file that happens to hold the pid of a running process.
    const victim = dir.file('victim');
    writeFileSync(victim, `${process.ppid}\n`);
    symlinkSync(victim, file);
    expect(claimPidFile(file, 12345)).toBeNull();
    expect(readFileSync(victim, 'utf8')).toBe(`${process.ppid}\n`);
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('12345\n');
    // A link to a device is not read on forever either.
    rmSync(file);
    symlinkSync('/dev/zero', file);
    expect(claimPidFile(file, 12345)).toBeNull();
  });
});

describe('version', () => {
  it('matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(RUNTIME_VERSION).toBe(pkg.version);
  });
});
