/**
 * Every file the daemon writes goes through this folder, so that a directory another user can
 * write (or a careless umask) cannot turn a root daemon's write into one through a planted link.
 *
 * - `ensurePrivateDir(dir, what)`: create `dir` (and parents) 0700 whatever the umask, then
 *   refuse (throw a message naming the culprit) when it or a directory above it is owned by
 *   another user or writable by group/others (sticky world-writable parents like /tmp are fine).
 *   Call once before using a state or spool directory. `makePrivateDirs` only creates
 *   (`makeDirs` with another mode, 0755 for build output);
 *   `checkTrustedDir` only checks.
 * - `writeFileAtomic(path, data, { mode })` / `writeFileAtomicAsync(...)`: exclusive create of an
 *   unguessable temp file beside `path` with O_EXCL|O_NOFOLLOW, write, fsync, rename over `path`,
 *   fsync the directory. Mode defaults to 0o600. Throws / rejects on failure, leaving nothing.
 * - `writeTempBeside(path, data, mode)`: the first half alone, for callers that link or batch
 *   the renames themselves (pid file, build output).
 * - `openAppend(path, mode)`: an append descriptor for a log, refusing symlinks, non-regular
 *   files and files with other hard links.
 * - `inputFileProblem(path)`: StrictModes for a file rulec loads (rule file, module, key, list):
 *   why another user could change it, or null.
 * - `readSmallFile(path, maxBytes)`: read back a small file rulec wrote, no symlink, no device,
 *   bounded size.
 * - `errnoReason(error)`: `EACCES: permission denied` out of a Node fs error, for a message
 *   that names the file itself.
 */
export { errnoReason } from './errno-reason.js';
export { openAppend } from './open-append.js';
export { checkTrustedDir, ensurePrivateDir, makeDirs, makePrivateDirs } from './private-dir.js';
export { readSmallFile } from './read-small.js';
export { inputFileFix, inputFileProblem } from './trusted-file.js';
export { syncDirectory, writeFileAtomic, writeFileAtomicAsync, writeTempBeside, type WriteOptions } from './write-atomic.js';
