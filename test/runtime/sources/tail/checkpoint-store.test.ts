import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../../../../runtime/sources/tail/checkpoint-store.js';
import type { Checkpoint } from '../../../../runtime/sources/tail/types.js';
import { scratchDirs } from './helpers.js';

const cp = (offset: number): Checkpoint => ({
  dev: '2049',
  ino: '18446744073709551615',
  fingerprint: { length: 256, sha256: 'a'.repeat(64) },
  offset,
  discarding: false,
});

const tempDir = scratchDirs();

describe('createCheckpointStore', () => {
  it('returns nothing for an unknown path and round-trips a checkpoint per path, creating the directory', async () => {
    const dir = tempDir();
    const store = createCheckpointStore(join(dir, 'state', 'deep'));
    expect(await store.load('/var/log/a')).toEqual({ value: null, problem: null });
    expect(await store.save('/var/log/a', cp(10))).toBeNull();
    expect(await store.save('/var/log/b', cp(20))).toBeNull();
    expect((await store.load('/var/log/a')).value).toEqual(cp(10));
    expect((await store.load('/var/log/b')).value).toEqual(cp(20));
  });

  it('round-trips the rotated files still being read out, and refuses a malformed one', async () => {
    const dir = tempDir();
    const store = createCheckpointStore(dir);
    const withRotated: Checkpoint = { ...cp(30), rotated: [{ ...cp(7), ino: '12' }] };
    expect(await store.save('/p', withRotated)).toBeNull();
    expect((await store.load('/p')).value).toEqual(withRotated);
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), JSON.stringify({ format: 1, path: '/p', ...cp(30), rotated: [{ ...cp(7), ino: 'x' }] }));
    expect(await store.load('/p')).toEqual({ value: null, problem: 'ignoring a corrupt checkpoint for /p' });
  });

  it('round-trips the directory the file was in, and refuses one that is not an absolute path', async () => {
    const dir = tempDir();
    const store = createCheckpointStore(dir);
    const withDir: Checkpoint = { ...cp(30), dir: '/var/log/2026-12-02' };
    expect(await store.save('/p', withDir)).toBeNull();
    expect((await store.load('/p')).value).toEqual(withDir);
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), JSON.stringify({ format: 1, path: '/p', ...cp(30), dir: 'relative/dir' }));
    expect((await store.load('/p')).value).toBeNull();
  });

  it('keeps the last of many overlapping saves and leaves no temporary files', async () => {
    const dir = tempDir();
    const store = createCheckpointStore(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.save('/p', cp(i))));
    expect((await store.load('/p')).value?.offset).toBe(49);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('reports a corrupt checkpoint as a problem instead of throwing', async () => {
    const dir = tempDir();
    const store = createCheckpointStore(dir);
    await store.save('/p', cp(5));
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), '{"format":1,"path":"/p","offset":"x"');
    const loaded = await store.load('/p');
    expect(loaded.value).toBeNull();
    expect(loaded.problem).toMatch(/corrupt/);
  });

  it('throws, saying why, when the directory cannot be made', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    expect(() => createCheckpointStore(join(dir, 'file', 'sub'))).toThrow(/ENOTDIR/);
  });

  it('reports a directory that went away as a message from save', async () => {
    const dir = tempDir();
    const store = createCheckpointStore(join(dir, 'state'));
    // Gone after the start (an operator's rm -r): the save says so rather than throw.
    rmSync(join(dir, 'state'), { recursive: true });
    expect(await store.save('/p', cp(1))).toMatch(/cannot save checkpoint for \/p: ENOENT/);
  });
});

describe('createCheckpointStore: safe writes', () => {
  it('writes through no symlink planted at the temporary names it used to use, nor at the checkpoint name', async () => {
    const dir = tempDir();
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'root only\n');
    const state = join(dir, 'state');
    mkdirSync(state, 0o700);
    const target = join(state, `${createHash('sha256').update('/var/log/a').digest('hex').slice(0, 32)}.json`);
    // The name was `<target>.<pid>.<seq>.tmp`: predictable by whoever could write the directory.
    for (let seq = 0; seq < 4; seq++) symlinkSync(victim, `${target}.${process.pid}.${seq}.tmp`);
    symlinkSync(victim, target);
    const store = createCheckpointStore(state);
    for (let i = 0; i < 4; i++) expect(await store.save('/var/log/a', cp(i))).toBeNull();
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    expect((await store.load('/var/log/a')).value).toEqual(cp(3));
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('creates the state directory and its parents 0700 under umask 000', () => {
    const dir = tempDir();
    const old = process.umask(0);
    try {
      createCheckpointStore(join(dir, 'var', 'state'));
    } finally {
      process.umask(old);
    }
    expect(statSync(join(dir, 'var')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'var', 'state')).mode & 0o777).toBe(0o700);
  });

  it('refuses a state directory others can write, with a message naming it', () => {
    const dir = tempDir();
    const state = join(dir, 'state');
    mkdirSync(state);
    chmodSync(state, 0o777);
    expect(() => createCheckpointStore(state)).toThrow(`refusing to use state directory ${state}: ${state} is writable by every user (mode 0777)`);
  });
});
