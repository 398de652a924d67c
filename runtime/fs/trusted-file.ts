import { uid, untrusted, walk, type Walk } from './trust.js';

/**
 * sshd's StrictModes for a file rulec loads (a rule file, one it `source`s, a report module, a
 * pgp key, an ignore list): why a user other than root and this process's could change what it
 * holds, or null. Refused: the file or a directory above it owned by another user or writable
 * by its group or by everyone (a sticky world-writable directory above, as /tmp, is fine), a
 * symlink on the way owned by another user. A group this (non-root) user's own primary group
 * may write is accepted (user private groups, umask 002); as root it is not. Null too when the
 * path cannot be walked (missing, unreadable) or is neither a file nor a directory: its reader
 * says why.
 */
export function inputFileProblem(path: string): string | null {
  let found: Walk;
  try {
    found = walk(path, { ownGroup: true });
  } catch {
    return null;
  }
  if (found.culprit !== null) return found.culprit;
  // A device or FIFO is no input at all, and its reader says so better (`/dev/zero` is 0666).
  if (!found.st.isFile() && !found.st.isDirectory()) return null;
  return untrusted(found.real, found.st, false, { ownGroup: true });
}

/** What to do about an `inputFileProblem`, for the messages that report one. */
export function inputFileFix(): string {
  return `make it and every directory above it owned by root or uid ${uid()} and writable by no one else`;
}
