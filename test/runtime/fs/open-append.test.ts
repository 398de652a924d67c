import { spawnSync } from 'node:child_process';
import { closeSync, linkSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppend, readSmallFile } from '../../../runtime/fs/index.js';
import { scratch, withUmask } from './helpers.js';

const dir = scratch();

describe('openAppend', () => {
  it('creates the file 0640 whatever the umask and appends to what is there', () => {
    const file = join(dir(), 'own.log');
    for (const text of ['one\n', 'two\n']) {
      const fd = withUmask(0, () => openAppend(file));
      writeSync(fd, text);
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('refuses a symlink, a FIFO and a hard-linked file, and writes nothing to what they lead to', () => {
    const d = dir();
    const victim = join(d, 'shadow');
    writeFileSync(victim, 'root:x\n');
    symlinkSync(victim, join(d, 'link.log'));
    expect(() => openAppend(join(d, 'link.log'))).toThrow(/link\.log is a symbolic link; refusing to write through it/);
    linkSync(victim, join(d, 'hard.log'));
    expect(() => openAppend(join(d, 'hard.log'))).toThrow(/hard\.log has 1 other hard link\(s\); refusing/);
    expect(readFileSync(victim, 'utf8')).toBe('root:x\n');
    expect(spawnSync('mkfifo', [join(d, 'fifo.log')]).status).toBe(0);
    // Would block forever without a reader if it were opened for writing the usual way.
    expect(() => openAppend(join(d, 'fifo.log'))).toThrow(/ENXIO|not a regular file/);
  });
});

describe('readSmallFile', () => {
  it('reads a small file and refuses a symlink, a device and a file over the cap', () => {
    const d = dir();
    writeFileSync(join(d, 'pid'), '42\n');
    expect(readSmallFile(join(d, 'pid'), 64)).toBe('42\n');
    symlinkSync('/dev/zero', join(d, 'zero'));
    expect(() => readSmallFile(join(d, 'zero'), 64)).toThrow(/ELOOP/);
    expect(() => readSmallFile('/dev/zero', 64)).toThrow(/not a regular file/);
    writeFileSync(join(d, 'big'), 'x'.repeat(65));
    expect(() => readSmallFile(join(d, 'big'), 64)).toThrow(/larger than 64 bytes/);
  });
});
