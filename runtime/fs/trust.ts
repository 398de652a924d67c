/**
 * Who else could change a path: the one walk behind the StrictModes checks of directories rulec
 * writes (private-dir.ts) and of files it loads (trusted-file.ts). Only root and this process's
 * user are trusted.
 */
import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Symlinks followed at most, as Linux's MAXSYMLINKS. */
const MAX_LINKS = 40;

/** Where a path leads: its real name and stat, or the first untrusted thing on the way (`culprit`). */
export type Walk = { readonly real: string; readonly st: Stats; readonly culprit: null } | { readonly culprit: string };

/** How strict `untrusted` is about group write. */
export interface TrustOptions {
  /**
   * Accept a file or directory its group may write when that group is this (non-root) user's
   * own primary group: user private groups with umask 002, as Debian's sshd does. Never as root.
   */
  readonly ownGroup?: boolean;
}

/**
 * Resolves `path` component by component as the kernel does and checks what it passes: every
 * directory it goes through (`untrusted(.., above)`) and every symlink, which must belong to
 * root or this user. A link of another user's is refused wherever it is (it can be swapped for
 * another the moment after a check; Linux's protected_symlinks refuses such links in sticky
 * directories, where they are the danger). The last component is returned for the caller to
 * judge. Throws what lstat throws (ENOENT for a missing component) and ELOOP.
 */
export function walk(path: string, options: TrustOptions = {}): Walk {
  let rest = resolve(path).split('/').filter((name) => name !== '');
  let done = '/';
  let st = statSync('/');
  let links = 0;
  for (let culprit = untrusted('/', st, true, options); ; ) {
    if (culprit !== null) return { culprit };
    const name = rest.shift();
    if (name === undefined) return { real: done, st, culprit: null };
    if (name === '.') continue;
    if (name === '..') {
      // `done` is real: its parent is where the kernel goes, and was checked on the way down.
      done = dirname(done);
      st = statSync(done);
      continue;
    }
    const next = join(done, name);
    const entry = lstatSync(next);
    if (entry.isSymbolicLink()) {
      if (!trustedOwner(entry.uid)) return { culprit: `${next} is a symbolic link owned by uid ${entry.uid}` };
      if (++links > MAX_LINKS) throw Object.assign(new Error(`ELOOP: too many symbolic links, ${path}`), { code: 'ELOOP' });
      const target = readlinkSync(next);
      rest = [...target.split('/').filter((part) => part !== ''), ...rest];
      if (target.startsWith('/')) done = '/';
      continue;
    }
    done = next;
    st = entry;
    if (rest.length > 0) culprit = untrusted(next, entry, true, options);
  }
}

/**
 * Why another user could change `path` (whose stat is `st`), or null: owned by another user,
 * or writable by group or others. `above`: a directory on the way, where the sticky bit with
 * world write (`/tmp`) is fine, since nobody can rename or remove what is not theirs there.
 */
export function untrusted(path: string, st: Stats, above: boolean, options: TrustOptions = {}): string | null {
  if (!trustedOwner(st.uid)) return `${path} is owned by uid ${st.uid}`;
  let writable = st.mode & 0o022;
  if (options.ownGroup === true && uid() !== 0 && st.gid === (process.getegid?.() ?? -1)) writable &= ~0o020;
  if (writable === 0 || (above && (st.mode & 0o1000) !== 0)) return null;
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  return `${path} is writable by ${(writable & 0o002) !== 0 ? 'every user' : `its group (gid ${st.gid})`} (mode ${mode})`;
}

function trustedOwner(owner: number): boolean {
  return owner === 0 || owner === uid();
}

/** This process's effective user id. */
export function uid(): number {
  return process.geteuid?.() ?? 0;
}
