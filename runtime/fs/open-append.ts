import { closeSync, constants, fstatSync, openSync } from 'node:fs';

const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Opens `path` for appending (created with `mode` if missing) and returns the descriptor, for
 * a log that stays open. Refuses a symlink at `path` (another user who can write the directory
 * could point it at a root-only file), anything but a regular file (a FIFO would block, a
 * device would take whatever is written), and a file with other hard links (the same trick
 * as a symlink where the kernel does not forbid it). Throws an Error saying which.
 */
export function openAppend(path: string, mode = 0o640): number {
  let fd: number;
  try {
    fd = openSync(path, APPEND, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new Error(`${path} is a symbolic link; refusing to write through it`);
    throw error;
  }
  const st = fstatSync(fd);
  const problem = !st.isFile() ? 'is not a regular file' : st.nlink > 1 ? `has ${st.nlink - 1} other hard link(s)` : null;
  if (problem !== null) {
    closeSync(fd);
    throw new Error(`${path} ${problem}; refusing to write to it`);
  }
  return fd;
}
