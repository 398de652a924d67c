import { chmodSync, lstatSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { uid, untrusted, walk } from './trust.js';

/**
 * Creates `path` and any missing parent, each new directory mode 0700 whatever the umask;
 * directories already there are left as they are. Throws on failure.
 */
export function makePrivateDirs(path: string): void {
  makeDirs(path, 0o700);
}

/**
 * `makePrivateDirs` with another mode for the new directories (`rulec build`'s output, 0755:
 * meant to be read, written by its owner only); `mode` holds no group or other write bit.
 */
export function makeDirs(path: string, mode: number): void {
  if ((mode & 0o022) !== 0) throw new Error(`makeDirs: mode ${mode.toString(8)} lets others write`);
  for (const dir of missingDirs(resolve(path))) {
    try {
      mkdirSync(dir, mode);
    } catch (error) {
      // Made meanwhile by someone else: whether it can be trusted is checkTrustedDir's question.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    // The umask can only take bits away, but a umask taking the owner's would leave it unusable.
    if ((statSync(dir).mode & 0o777) !== mode) chmodSync(dir, mode);
  }
}

/**
 * sshd's StrictModes for a directory rulec keeps state in: throws an Error naming the culprit
 * unless `path` and every directory above it (as written and as its symlinks resolve) belong
 * to root or to this process's user, and none can be written by a group or other users, except
 * that a directory above it may be world-writable with the sticky bit (`/tmp`), where nobody
 * can rename or remove what is not theirs; and every symlink on the way belongs to root or to
 * this user, since its owner can point it elsewhere after the check (trust.ts's walk). Someone
 * who can write the directory could plant links where rulec writes, or files it reads back (a
 * checkpoint that skips lines).
 * `what` names the directory in the message ("state directory").
 */
export function checkTrustedDir(path: string, what: string): void {
  const abs = resolve(path);
  const found = walk(abs);
  if (found.culprit !== null) refuseIf(abs, what, found.culprit);
  else if (!found.st.isDirectory()) throw new Error(`${what} ${abs} is not a directory`);
  else refuseIf(abs, what, untrusted(found.real, found.st, false));
}

/**
 * `makePrivateDirs`, then `checkTrustedDir`: what a directory of rulec's own state needs. An
 * untrusted directory above it is refused before anything is made below it.
 */
export function ensurePrivateDir(path: string, what: string): void {
  const abs = resolve(path);
  const missing = missingDirs(abs);
  if (missing.length > 0) {
    const found = walk(dirname(missing[0]!));
    refuseIf(abs, what, found.culprit ?? untrusted(found.real, found.st, true));
  }
  makePrivateDirs(abs);
  checkTrustedDir(abs, what);
}

/** Those of the absolute `abs` and the directories above it that do not exist yet, the topmost first. */
function missingDirs(abs: string): string[] {
  const missing: string[] = [];
  for (let dir = abs; lstatSync(dir, { throwIfNoEntry: false }) === undefined && dirname(dir) !== dir; dir = dirname(dir)) missing.unshift(dir);
  return missing;
}

function refuseIf(abs: string, what: string, culprit: string | null): void {
  if (culprit === null) return;
  throw new Error(`refusing to use ${what} ${abs}: ${culprit}; other users could plant or replace files there (make it owned by root or uid ${uid()} and not writable by group or others)`);
}
