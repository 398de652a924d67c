import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lchownSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { asNobody, secondUserMissing } from '../runtime/fs/helpers.js';
import { BIN, runCli, tempDir } from './run-cli.js';

const NOBODY = 65534;

function capture() {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

describe('rulec fmt', () => {
  let dir: string;
  let remove: () => void;
  beforeEach(() => ({ dir, remove } = tempDir('rulec-fmt-')));
  afterEach(() => remove());

  it('rewrites a file in place, keeping its mode, and leaves a formatted one untouched', async () => {
    const messy = join(dir, 'messy.rules');
    const tidy = join(dir, 'tidy.rules');
    writeFileSync(messy, 'watch   <<__H\n  logfile  /var/log/x\n__H\n\n\n');
    writeFileSync(tidy, 'set to x\n');
    chmodSync(messy, 0o640);
    const io = capture();
    expect(await main(['fmt', messy, tidy], io)).toBe(0);
    expect(readFileSync(messy, 'utf8')).toBe('watch <<__H\n    logfile /var/log/x\n__H\n');
    expect(statSync(messy).mode & 0o777).toBe(0o640);
    expect(readFileSync(tidy, 'utf8')).toBe('set to x\n');
    expect(io).toMatchObject({ stdout: '', stderr: '' });
  });

  it('--check lists the files that would change, exits 1 and writes nothing', async () => {
    const messy = join(dir, 'messy.rules');
    writeFileSync(messy, '[a]\npath=/x\n');
    const io = capture();
    expect(await main(['fmt', '--check', messy], io)).toBe(1);
    expect(io.stdout).toBe(`${messy}\n`);
    expect(readFileSync(messy, 'utf8')).toBe('[a]\npath=/x\n');
    writeFileSync(messy, '[a]\npath = /x\n');
    expect(await main(['fmt', '--check', messy], capture())).toBe(0);
  });

  it('leaves a file with syntax errors alone and reports them', async () => {
    const broken = join(dir, 'broken.rules');
    writeFileSync(broken, 'watch   <<__H\nlogfile x\n');
    const io = capture();
    expect(await main(['fmt', broken], io)).toBe(1);
    expect(io.stderr).toContain(`${broken}:1:9: error[R103]`);
    expect(io.stderr).toContain('not formatted: it has syntax errors');
    expect(readFileSync(broken, 'utf8')).toBe('watch   <<__H\nlogfile x\n');
  });

  it('says which file it cannot read, exit 2', async () => {
    const io = capture();
    expect(await main(['fmt', join(dir, 'none.rules')], io)).toBe(2);
    expect(io.stderr).toContain('cannot read');
  });

  it('a FIFO or a device is refused as check refuses it, at once and reading nothing (exit 2)', async () => {
    // A real process: before, the read blocked (a FIFO) or grew without bound (/dev/zero).
    const fifo = join(dir, 'pipe.rules');
    execFileSync('mkfifo', [fifo]);
    const result = await runCli(['fmt', fifo, '/dev/zero'], { cwd: dir, timeoutMs: 20_000 });
    expect(result.stderr).toBe(`rulec fmt: cannot read ${fifo}: not a regular file: a FIFO\nrulec fmt: cannot read /dev/zero: not a regular file: a character device\n`);
    expect(result.code).toBe(2);
  });

  it('a binary, too large or non-UTF-8 file is the one error check gives, and is left as it was (exit 1)', async () => {
    const binary = join(dir, 'bin.rules');
    const big = join(dir, 'big.rules');
    const latin1 = join(dir, 'latin1.rules');
    writeFileSync(binary, Buffer.from('set to x\n\0\0\0junk'));
    writeFileSync(big, ';   c\n'.repeat(400_000));
    writeFileSync(latin1, Buffer.concat([Buffer.from('[a]\npath=/x\nregex = caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const io = capture();
    expect(await main(['fmt', binary, big, latin1], io)).toBe(1);
    expect(io.stderr).toContain(`${binary}:2:1: error[R213]: rule file is binary`);
    expect(io.stderr).toContain(`${big}:1:1: error[R212]: rule file too large`);
    expect(io.stderr).toContain(`${latin1}:3:12: error[R214]: rule file is not UTF-8`);
    for (const file of [binary, big, latin1]) expect(io.stderr).toContain(`rulec fmt: ${file} not formatted: refused as a rule file (above)\n`);
    expect(io.stderr.length).toBeLessThan(3_000);
    expect(readFileSync(latin1).includes(0xe9)).toBe(true);
    expect(readFileSync(big, 'utf8')).toBe(';   c\n'.repeat(400_000));
  });

  it('a symlinked rule file: the text goes to the file it leads to (mode kept), and the link stays a link', async () => {
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'messy.rules');
    writeFileSync(target, '[a]\npath=/x\n');
    chmodSync(target, 0o604);
    // A chain, relative: link.rules -> hop.rules -> real/messy.rules
    symlinkSync('real/messy.rules', join(dir, 'hop.rules'));
    symlinkSync('hop.rules', join(dir, 'link.rules'));
    const io = capture();
    expect(await main(['fmt', 'link.rules'], { ...io, cwd: dir })).toBe(0);
    expect(io.stderr).toBe('');
    expect(lstatSync(join(dir, 'link.rules')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.rules'))).toBe('hop.rules');
    expect(lstatSync(join(dir, 'hop.rules')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('[a]\npath = /x\n');
    expect(statSync(target).mode & 0o7777).toBe(0o604);
  });

  it('as root: a link someone else owns is refused (the loader\'s R380) and stays a link; a file root formats keeps its group', async (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip('not running as root');
    const target = join(dir, 'root.rules');
    writeFileSync(target, '[a]\npath=/x\n', { mode: 0o644 });
    symlinkSync(target, join(dir, 'planted.rules'));
    lchownSync(join(dir, 'planted.rules'), NOBODY, NOBODY);
    const io = capture();
    expect(await main(['fmt', 'planted.rules'], { ...io, cwd: dir })).toBe(1);
    expect(io.stderr).toContain(`error[R380]: rule file refused: planted.rules: ${join(dir, 'planted.rules')} is a symbolic link owned by uid ${NOBODY}`);
    expect(io.stderr).toContain('rulec fmt: planted.rules not formatted: refused as a rule file (above)\n');
    expect(readFileSync(target, 'utf8')).toBe('[a]\npath=/x\n');
    expect(lstatSync(join(dir, 'planted.rules')).isSymbolicLink()).toBe(true);
    // root:nobody 0640, as a rule file readable by a group is kept: the new file keeps the group.
    chownSync(target, 0, NOBODY);
    chmodSync(target, 0o640);
    expect(await main(['fmt', 'root.rules'], { ...capture(), cwd: dir })).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('[a]\npath = /x\n');
    expect(statSync(target)).toMatchObject({ uid: 0, gid: NOBODY });
    expect(statSync(target).mode & 0o7777).toBe(0o640);
  });

  it('as a second user: its own link, in its own directory, to a file it may not write is refused and stays a link', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    chmodSync(dir, 0o755);
    const target = join(dir, 'root.rules');
    writeFileSync(target, '[a]\npath=/x\n', { mode: 0o644 });
    const own = join(dir, 'own');
    mkdirSync(own, { mode: 0o755 });
    chownSync(own, NOBODY, NOBODY);
    const link = join(own, 'mine.rules');
    symlinkSync(target, link);
    lchownSync(link, NOBODY, NOBODY);
    const result = asNobody([process.execPath, BIN, 'fmt', link]);
    expect(result.stderr).toBe(`rulec fmt: cannot write ${link}: EACCES: permission denied (it is a symlink to ${target})\n`);
    expect(result.status).toBe(2);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('[a]\npath=/x\n');
  });
});
