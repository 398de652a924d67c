import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitFiles } from '../../compiler/emit.js';
import { tempDir } from '../cli/run-cli.js';
import { withUmask } from '../runtime/fs/helpers.js';

describe('emitFiles', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => ({ dir, remove } = tempDir('rulec-emit-')));
  afterAll(() => remove());

  it('creates the directory, writes text and bytes, leaves no temporary files', () => {
    const out = join(dir, 'a/b');
    const written = emitFiles(out, [
      { path: 'x.ts', data: 'text\n' },
      { path: 'sub/y.bin', data: new Uint8Array([0, 255]) },
    ]);
    expect(written).toEqual([join(out, 'x.ts'), join(out, 'sub/y.bin')]);
    expect(readFileSync(join(out, 'x.ts'), 'utf8')).toBe('text\n');
    expect([...readFileSync(join(out, 'sub/y.bin'))]).toEqual([0, 255]);
    expect(readdirSync(out).sort()).toEqual(['sub', 'x.ts']);
  });

  it('under umask 000 creates its directories 0755 and its files 0644: readable, written by nobody else', () => {
    const out = join(dir, 'umask/dist');
    withUmask(0, () => emitFiles(out, [{ path: 'bundle.mjs', data: 'b\n' }, { path: 'sub/x.ts', data: 'x\n' }]));
    const mode = (p: string): number => statSync(p).mode & 0o7777;
    expect([join(dir, 'umask'), out, join(out, 'sub')].map(mode)).toEqual([0o755, 0o755, 0o755]);
    expect([join(out, 'bundle.mjs'), join(out, 'sub/x.ts')].map(mode)).toEqual([0o644, 0o644]);
  });

  it('refuses names that leave the output directory', () => {
    for (const path of ['../escape.ts', '/etc/passwd', 'a/../../escape.ts']) {
      expect(() => emitFiles(join(dir, 'c'), [{ path, data: '' }])).toThrow(/outside the output directory/);
    }
    expect(existsSync(join(dir, 'escape.ts'))).toBe(false);
  });

  it('writes through no symlink planted at a guessable temporary name (root building in a shared directory)', () => {
    const out = join(dir, 'shared');
    mkdirSync(out);
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    // The temporary name used to be `${target}.${pid}.tmp`: another user could plant it in advance.
    symlinkSync(victim, join(out, `rules.mjs.${process.pid}.tmp`));
    emitFiles(out, [{ path: 'rules.mjs', data: 'bundle\n' }]);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(join(out, 'rules.mjs'), 'utf8')).toBe('bundle\n');
    expect(lstatSync(join(out, 'rules.mjs')).isSymbolicLink()).toBe(false);
  });

  it('changes nothing when one file of the set cannot be written: the old output stays whole', () => {
    const out = join(dir, 'set');
    mkdirSync(out);
    writeFileSync(join(out, 'rules.ts'), 'old module\n');
    // `sub` is a file, so nothing can be written under it.
    writeFileSync(join(out, 'sub'), 'old file\n');
    expect(() => emitFiles(out, [
      { path: 'rules.ts', data: 'new module\n' },
      { path: 'sub/bundle.mjs', data: 'new bundle\n' },
    ])).toThrow();
    expect(readFileSync(join(out, 'rules.ts'), 'utf8')).toBe('old module\n');
    expect(readdirSync(out).sort()).toEqual(['rules.ts', 'sub']);
  });

  it('leaves no temporary file when a file cannot be put in place', () => {
    const out = join(dir, 'blocked');
    mkdirSync(join(out, 'rules.mjs'), { recursive: true });
    writeFileSync(join(out, 'rules.mjs', 'inside'), '');
    expect(() => emitFiles(out, [{ path: 'rules.mjs', data: 'bundle\n' }])).toThrow();
    expect(readdirSync(out)).toEqual(['rules.mjs']);
  });
});
