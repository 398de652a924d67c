/**
 * How `rulec fmt` puts a formatted rule file in place: written beside the file and renamed over
 * it, so a crash leaves the old text or the new, never half. A symlink stays a link: the text
 * goes to the file it leads to. It is followed only where it cannot lead fmt into a file the
 * invoker could not otherwise write (a link someone else planted, as `fs.protected_symlinks`
 * refuses), and the target keeps its mode (and, for root, its owner).
 */
import { accessSync, closeSync, constants, fchmodSync, fchownSync, fstatSync, lstatSync, openSync, readlinkSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errnoReason, writeTempBeside } from '../../runtime/index.js';

/** Links followed before giving up, as the kernel's limit for a path (ELOOP). */
const MAX_LINKS = 40;

/** Writes `text` to the rule file `path` (relative to `cwd`); null when done, else why not (a few words). */
export function replaceRuleFile(path: string, cwd: string, text: string): string | null {
  try {
    const target = writableTarget(resolve(cwd, path));
    if ('refused' in target) return target.refused;
    replaceFile(target.path, text);
    return null;
  } catch (error) {
    return errnoReason(error);
  }
}

/**
 * The file `path` names, through any symlinks, when this process may write it: each link on the
 * way must be owned by the invoker or by the target's owner, and the target must be a regular
 * file the invoker can write (access(2): its real user, as a shell's `test -w`).
 */
function writableTarget(path: string): { path: string } | { refused: string } {
  const euid = process.geteuid?.() ?? -1;
  const links: { name: string; uid: number }[] = [];
  let at = path;
  for (let st = lstatSync(at); st.isSymbolicLink(); st = lstatSync(at)) {
    if (links.length === MAX_LINKS) return { refused: 'ELOOP: too many symbolic links' };
    links.push({ name: at, uid: st.uid });
    at = resolve(dirname(at), readlinkSync(at));
  }
  const target = statSync(at);
  if (!target.isFile()) return { refused: `${at} is not a regular file` };
  const foreign = links.find((link) => link.uid !== euid && link.uid !== target.uid);
  if (foreign !== undefined) {
    return { refused: `${foreign.name} is a symlink owned by uid ${foreign.uid}, leading to ${at} (owner uid ${target.uid}): not followed (a link is followed only when you or the target's owner own it)` };
  }
  try {
    accessSync(at, constants.W_OK);
  } catch (error) {
    return { refused: links.length === 0 ? errnoReason(error) : `${errnoReason(error)} (it is a symlink to ${at})` };
  }
  return { path: at };
}

/**
 * Writes beside `path` (runtime/fs's writeTempBeside: an unguessable name, created exclusively,
 * fsynced) and renames over it, keeping its mode (and its owner, where this process may set it).
 */
function replaceFile(path: string, text: string): void {
  const st = statSync(path);
  const temporary = writeTempBeside(path, text, st.mode & 0o7777);
  try {
    // The umask may have taken bits from the mode given at creation; root gives the file back to its owner.
    const fd = openSync(temporary, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      fchmodSync(fd, st.mode & 0o7777);
      const made = fstatSync(fd);
      if (process.geteuid?.() === 0 && (made.uid !== st.uid || made.gid !== st.gid)) fchownSync(fd, st.uid, st.gid);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
