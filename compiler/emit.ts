/**
 * The only writer of build output. Every file is first written beside its target under a
 * temporary name (writeTempBeside); only when all of them are written are they renamed into
 * place, so a failed build (a full disk, a directory that cannot be written) leaves the old
 * output whole rather than new and old files mixed, and a reader never sees half a file. Names
 * must stay inside the output directory. Directories it creates are 0755 whatever the umask:
 * the bundle is meant to be read (its files are 0644, writeTempBeside's default), by a service
 * user too, but nobody else may plant or replace a file in it.
 */
import { renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { makeDirs, writeTempBeside } from '../runtime/index.js';

/** One file to write, relative to the output directory. */
export interface OutputFile {
  readonly path: string;
  readonly data: string | Uint8Array;
}

/**
 * Writes the files under `outDir` (created as needed; relative to `cwd` when given); returns the
 * paths written, named under `outDir` as given.
 */
export function emitFiles(outDir: string, files: readonly OutputFile[], cwd?: string): string[] {
  const targets = files.map((file) => {
    const relative = normalize(file.path);
    if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) {
      throw new Error(`refusing to write outside the output directory: ${file.path}`);
    }
    return join(outDir, relative);
  });
  const staged: { temp: string; target: string }[] = [];
  try {
    const onDisk = (name: string): string => (cwd === undefined ? name : resolve(cwd, name));
    files.forEach((file, k) => {
      const target = onDisk(targets[k]!);
      makeDirs(dirname(target), 0o755);
      staged.push({ temp: writeTempBeside(target, file.data), target });
    });
    // Renames in one directory do not fail for want of space: the set lands together.
    while (staged.length > 0) {
      renameSync(staged[0]!.temp, staged[0]!.target);
      staged.shift();
    }
  } finally {
    for (const { temp } of staged) rmSync(temp, { force: true });
  }
  return targets;
}
