/**
 * The only writer of build output. Each file is written atomically (writeFileAtomic), so a
 * reader never sees half a bundle; names must stay inside the output directory.
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { writeFileAtomic } from '../runtime/fs/write-atomic.js';

/** One file to write, relative to the output directory. */
export interface OutputFile {
  readonly path: string;
  readonly data: string | Uint8Array;
}

/** Writes the files under `outDir` (created as needed); returns the paths written. */
export function emitFiles(outDir: string, files: readonly OutputFile[]): string[] {
  const written: string[] = [];
  for (const file of files) {
    const relative = normalize(file.path);
    if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) {
      throw new Error(`refusing to write outside the output directory: ${file.path}`);
    }
    const target = join(outDir, relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, file.data);
    written.push(target);
  }
  return written;
}
