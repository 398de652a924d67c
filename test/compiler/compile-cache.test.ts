/** The compile cache: hits only while every input is unchanged, never loads what another user could have written. */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDirectory, lookupCompiled, MAX_ENTRIES, storeCompiled } from '../../compiler/compile-cache.js';
import { NOBODY, scratch } from '../runtime/fs/helpers.js';

const tempDir = scratch();
const compiled = { script: 'exports.default = 1;', report: 'a warning\n', diagnostics: [] };

/** A rule file including another, a cache directory, and the key and inputs of their compile. */
function setup() {
  const dir = tempDir();
  const cache = join(dir, 'cache', 'rulec');
  writeFileSync(join(dir, 'main.rules'), 'source "inc.rules"\n');
  writeFileSync(join(dir, 'inc.rules'), '[A]\npath = /x\nregex = y\nupbound_action = /bin/true\n');
  const key = { path: 'main.rules', cwd: dir };
  const inputs = new Map([join(dir, 'main.rules'), join(dir, 'inc.rules')].map((p) => [p, readFileSync(p, 'utf8')]));
  return { dir, cache, key, inputs };
}

function entries(cache: string): string[] {
  return existsSync(cache) ? readdirSync(cache).filter((name) => name.endsWith('.json')) : [];
}

describe('compile cache', () => {
  it('gives back a stored compile while every file it read is unchanged', () => {
    const { cache, key, inputs } = setup();
    expect(lookupCompiled(cache, key)).toEqual({ miss: true });
    expect(storeCompiled(cache, key, inputs, compiled)).toBeNull();
    // With the files it was made from: what `run --watch` watches.
    expect(lookupCompiled(cache, key)).toEqual({ hit: { ...compiled, files: [...inputs.keys()] } });
    // Another name for the same file is another entry: diagnostics name files as given.
    expect(lookupCompiled(cache, { path: `./${key.path}`, cwd: key.cwd })).toEqual({ miss: true });
  });

  it('misses when an included file changes or goes, though the entry file did not change', () => {
    const { dir, cache, key, inputs } = setup();
    storeCompiled(cache, key, inputs, compiled);
    writeFileSync(join(dir, 'inc.rules'), '[A]\npath = /x\nregex = z\nupbound_action = /bin/true\n');
    expect(lookupCompiled(cache, key)).toEqual({ miss: true });
    storeCompiled(cache, key, new Map([...inputs, [join(dir, 'inc.rules'), readFileSync(join(dir, 'inc.rules'), 'utf8')]]), compiled);
    expect(lookupCompiled(cache, key)).toHaveProperty('hit');
    rmSync(join(dir, 'inc.rules'));
    expect(lookupCompiled(cache, key)).toEqual({ miss: true });
  });

  it('misses for an entry of another compiler, and for a damaged entry', () => {
    const { cache, key, inputs } = setup();
    storeCompiled(cache, key, inputs, compiled);
    const [name] = entries(cache);
    const file = join(cache, name!);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { identity: string };
    writeFileSync(file, JSON.stringify({ ...entry, identity: 'another compiler' }));
    expect(lookupCompiled(cache, key)).toEqual({ miss: true });
    writeFileSync(file, '{"cut short');
    expect(lookupCompiled(cache, key)).toEqual({ miss: true });
  });

  it('makes its directory 0700 and its entries 0600, and keeps the newest MAX_ENTRIES', () => {
    const { dir, cache, inputs } = setup();
    for (let n = 0; n < MAX_ENTRIES + 3; n++) {
      const before = new Set(entries(cache));
      storeCompiled(cache, { path: `e${n}.rules`, cwd: dir }, inputs, compiled);
      // Dated in order, a second apart, so which are the oldest does not depend on the clock's resolution.
      for (const name of entries(cache).filter((e) => !before.has(e))) utimesSync(join(cache, name), 1_000 + n, 1_000 + n);
    }
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    expect(entries(cache).map((name) => statSync(join(cache, name)).mode & 0o777)).toEqual(Array(MAX_ENTRIES).fill(0o600));
    expect(entries(cache)).toHaveLength(MAX_ENTRIES);
    expect(lookupCompiled(cache, { path: 'e0.rules', cwd: dir })).toEqual({ miss: true });
    expect(lookupCompiled(cache, { path: `e${MAX_ENTRIES + 2}.rules`, cwd: dir })).toHaveProperty('hit');
    expect(readdirSync(cache).every((name) => name.endsWith('.json'))).toBe(true);
  });

  it('refuses an entry another user could have written: owned by another user, writable by others, a symlink', (ctx) => {
    const { dir, cache, key, inputs } = setup();
    storeCompiled(cache, key, inputs, compiled);
    const file = join(cache, entries(cache)[0]!);
    chmodSync(file, 0o620);
    expect(lookupCompiled(cache, key)).toEqual({ refused: expect.stringMatching(/refusing the compile cache entry .*: it is writable by its group/) });
    chmodSync(file, 0o600);
    const planted = join(dir, 'planted.json');
    writeFileSync(planted, readFileSync(file));
    rmSync(file);
    symlinkSync(planted, file);
    expect(lookupCompiled(cache, key)).toEqual({ refused: expect.stringMatching(/it is a symbolic link/) });
    if (process.getuid?.() !== 0) return ctx.skip('giving a file to another user needs root');
    rmSync(file);
    storeCompiled(cache, key, inputs, compiled);
    chownSync(file, NOBODY, NOBODY);
    expect(lookupCompiled(cache, key)).toEqual({ refused: expect.stringMatching(new RegExp(`it is owned by uid ${NOBODY}`)) });
  });

  it('refuses a directory others can write, and writes nothing there', () => {
    const { dir, cache, key, inputs } = setup();
    mkdirSync(cache, { recursive: true });
    chmodSync(cache, 0o777);
    expect(storeCompiled(cache, key, inputs, compiled)).toMatch(/refusing to use compile cache directory .*writable by every user/);
    expect(readdirSync(cache)).toEqual([]);
    expect(lookupCompiled(cache, key)).toEqual({ refused: expect.stringMatching(/writable by every user/) });
    chmodSync(cache, 0o700);
    chmodSync(join(dir, 'cache'), 0o770);
    expect(lookupCompiled(cache, key)).toEqual({ refused: expect.stringMatching(/writable by its group/) });
  });

  it('lives in $XDG_CACHE_HOME/rulec, else ~/.cache/rulec (a relative XDG_CACHE_HOME is ignored)', () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: '/var/cache/x', HOME: '/home/u' })).toBe('/var/cache/x/rulec');
    expect(cacheDirectory({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' })).toBe('/home/u/.cache/rulec');
    expect(cacheDirectory({ HOME: '/home/u' })).toBe('/home/u/.cache/rulec');
  });
});
