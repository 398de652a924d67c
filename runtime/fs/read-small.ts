import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reads a small regular file rulec wrote itself (a checkpoint, a pid file) as UTF-8, without
 * following a symlink at `path` and refusing anything else than a regular file of at most
 * `maxBytes`: a link planted to `/dev/zero` must not make it read forever. Throws (ENOENT as
 * usual; ELOOP for a symlink; an Error for the rest).
 */
export function readSmallFile(path: string, maxBytes: number): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    if (st.size > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`);
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let n; length < buf.length && (n = readSync(fd, buf, length, buf.length - length, null)) > 0; ) length += n;
    if (length > maxBytes) throw new Error(`${path} is larger than ${maxBytes} bytes`);
    return buf.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}
