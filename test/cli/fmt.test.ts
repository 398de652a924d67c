import { readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { tempDir } from './run-cli.js';

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
});
