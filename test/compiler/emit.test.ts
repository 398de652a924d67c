import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitFiles } from '../../compiler/emit.js';
import { tempDir } from '../cli/run-cli.js';

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

  it('refuses names that leave the output directory', () => {
    for (const path of ['../escape.ts', '/etc/passwd', 'a/../../escape.ts']) {
      expect(() => emitFiles(join(dir, 'c'), [{ path, data: '' }])).toThrow(/outside the output directory/);
    }
    expect(existsSync(join(dir, 'escape.ts'))).toBe(false);
  });
});
