import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTrustedDir, ensurePrivateDir, makePrivateDirs } from '../../../runtime/fs/index.js';
import { asNobody, NOBODY, scratch, secondUserMissing, withUmask } from './helpers.js';

const dir = scratch();
const mode = (p: string): number => statSync(p).mode & 0o7777;

describe('makePrivateDirs', () => {
  it('creates every missing directory 0700 under umask 000 and leaves existing ones alone', () => {
    const d = dir();
    withUmask(0, () => makePrivateDirs(join(d, 'a', 'b', 'c')));
    expect([mode(join(d, 'a')), mode(join(d, 'a', 'b')), mode(join(d, 'a', 'b', 'c'))]).toEqual([0o700, 0o700, 0o700]);
    expect(mode(d)).toBe(0o755);
  });
});

describe('checkTrustedDir (StrictModes)', () => {
  it('accepts a private directory below a sticky world-writable one (/tmp)', () => {
    const d = dir();
    mkdirSync(join(d, 'state'), 0o700);
    expect(() => checkTrustedDir(join(d, 'state'), 'state directory')).not.toThrow();
  });

  it('refuses a directory writable by others or by its group, naming it and its mode', () => {
    const d = dir();
    const state = join(d, 'state');
    mkdirSync(state);
    chmodSync(state, 0o777);
    expect(() => checkTrustedDir(state, 'state directory')).toThrow(`refusing to use state directory ${state}: ${state} is writable by every user (mode 0777)`);
    chmodSync(state, 0o770);
    expect(() => checkTrustedDir(state, 'state directory')).toThrow(/is writable by its group \(gid \d+\) \(mode 0770\)/);
    // The sticky bit protects entries of a directory above, not the directory's own.
    chmodSync(state, 0o1777);
    expect(() => checkTrustedDir(state, 'state directory')).toThrow(/mode 1777/);
  });

  it('refuses a directory below one that others can write, also when reached through a symlink', () => {
    const d = dir();
    const open = join(d, 'open');
    mkdirSync(join(open, 'state'), { recursive: true });
    chmodSync(open, 0o777);
    expect(() => checkTrustedDir(join(open, 'state'), 'state directory')).toThrow(`${open} is writable by every user (mode 0777)`);
    // A private target, but the link to it sits where others can replace it.
    mkdirSync(join(d, 'private'), 0o700);
    symlinkSync(join(d, 'private'), join(open, 'link'));
    expect(() => checkTrustedDir(join(open, 'link'), 'state directory')).toThrow(`${open} is writable by every user`);
  });

  it('as root: refuses a state directory, or one above it, reached through another user\'s symlink in a sticky directory (/tmp)', (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const d = dir();
    chmodSync(d, 0o1777);
    // Root's private directories; nobody's links to them, which nobody may re-point at any time.
    mkdirSync(join(d, 'private', 'state'), { recursive: true, mode: 0o700 });
    chmodSync(join(d, 'private'), 0o700);
    expect(asNobody(['ln', '-s', join(d, 'private', 'state'), join(d, 'state-link')]).status).toBe(0);
    expect(asNobody(['ln', '-s', join(d, 'private'), join(d, 'parent-link')]).status).toBe(0);
    expect(() => checkTrustedDir(join(d, 'state-link'), 'state directory')).toThrow(`refusing to use state directory ${join(d, 'state-link')}: ${join(d, 'state-link')} is a symbolic link owned by uid ${NOBODY}`);
    expect(() => ensurePrivateDir(join(d, 'parent-link', 'state'), 'state directory')).toThrow(`${join(d, 'parent-link')} is a symbolic link owned by uid ${NOBODY}`);
    expect(() => ensurePrivateDir(join(d, 'parent-link', 'new'), 'state directory')).toThrow(`${join(d, 'parent-link')} is a symbolic link owned by uid ${NOBODY}`);
    expect(existsSync(join(d, 'private', 'new'))).toBe(false);
    // Root's own link to the same place is fine, and so is the directory itself.
    symlinkSync(join(d, 'private', 'state'), join(d, 'root-link'));
    expect(() => checkTrustedDir(join(d, 'root-link'), 'state directory')).not.toThrow();
    expect(() => checkTrustedDir(join(d, 'private', 'state'), 'state directory')).not.toThrow();
  });

  it('ensurePrivateDir refuses before creating anything below an untrusted directory', () => {
    const d = dir();
    const open = join(d, 'open');
    mkdirSync(open, 0o777);
    chmodSync(open, 0o777);
    expect(() => ensurePrivateDir(join(open, 'a', 'state'), 'state directory')).toThrow(/refusing to use state directory .*\/open\/a\/state: .*\/open is writable by every user/);
    expect(existsSync(join(open, 'a'))).toBe(false);
  });

  it('as root: a directory another real user made and planted a link in is refused, and the link target is untouched', (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const d = dir();
    chmodSync(d, 0o1777);
    const victim = join(d, 'victim');
    writeFileSync(victim, 'root only\n', { mode: 0o600 });
    // nobody gets there first (the sticky /tmp case): the directory is theirs, and so is the link.
    const state = join(d, 'state');
    expect(asNobody(['mkdir', '-m', '0700', state]).status).toBe(0);
    expect(asNobody(['ln', '-s', victim, join(state, 'planted')]).status).toBe(0);
    expect(statSync(state).uid).toBe(NOBODY);
    expect(() => ensurePrivateDir(state, 'state directory')).toThrow(`refusing to use state directory ${state}: ${state} is owned by uid ${NOBODY}`);
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    // Handed back to root, the same directory is fine.
    chownSync(state, 0, 0);
    expect(() => ensurePrivateDir(state, 'state directory')).not.toThrow();
  });
});
