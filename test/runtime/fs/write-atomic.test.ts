import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicAsync, writeTempBeside } from '../../../runtime/fs/index.js';
import { scratch, withUmask } from './helpers.js';

const dir = scratch();

describe('writeFileAtomic', () => {
  for (const [name, write] of [
    ['sync', async (p: string, d: string) => writeFileAtomic(p, d)],
    ['async', (p: string, d: string) => writeFileAtomicAsync(p, d)],
  ] as const) {
    it(`(${name}) replaces a symlink at the path instead of writing through it, 0600 under umask 000, no temp file left`, async () => {
      const d = dir();
      const victim = join(d, 'victim');
      writeFileSync(victim, 'precious\n');
      const target = join(d, 'state.json');
      symlinkSync(victim, target);
      await withUmask(0, () => write(target, '{"x":1}\n'));
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
      expect(lstatSync(target).isFile()).toBe(true);
      expect(readFileSync(target, 'utf8')).toBe('{"x":1}\n');
      expect(statSync(target).mode & 0o777).toBe(0o600);
      expect(readdirSync(d).sort()).toEqual(['state.json', 'victim']);
    });

    it(`(${name}) fails leaving nothing behind when the target cannot be replaced (a directory)`, async () => {
      const d = dir();
      mkdirSync(join(d, 'taken'));
      await expect(write(join(d, 'taken'), 'x')).rejects.toThrow(/EISDIR|EEXIST|ENOTEMPTY/);
      expect(readdirSync(d)).toEqual(['taken']);
    });
  }

  it('takes the mode it is given', () => {
    const d = dir();
    withUmask(0, () => writeFileAtomic(join(d, 'pid'), '1\n', { mode: 0o644 }));
    expect(statSync(join(d, 'pid')).mode & 0o777).toBe(0o644);
  });

  it('writeTempBeside names its file unguessably, so no name planted in advance is used', () => {
    const d = dir();
    const names = new Set(Array.from({ length: 20 }, () => writeTempBeside(join(d, 'f'), 'x')));
    expect(names.size).toBe(20);
    for (const name of names) expect(name).toMatch(/\/\.f\.[0-9a-f]{16}\.tmp$/);
  });
});
