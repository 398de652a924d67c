// A custom report block for rulec (docs/modules.md): the SHA-256 of each `path` it is given,
// in sha256sum's format, so a copy kept elsewhere can be compared with `sha256sum -c`.
//
//   module FileDigest file_digest ./file-digest.mjs
//   file_digest <<__FD
//       mime_file "digests.txt"
//       path /etc/passwd
//   __FD
//
// rulec makes one `new FileDigest(context)` per block; `context.directives` holds the block's
// lines. Only run(out) is required: mime_file and description default to the block's
// directives, and rulec encrypts whatever run() prints.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export class FileDigest {
  constructor(context) {
    this.paths = context.directives.filter((d) => d.name === 'path').flatMap((d) => d.args);
  }

  // Called for every block before any runs: a throw stops the report before anything is sent.
  validate() {
    if (this.paths.length === 0) throw new Error('file_digest needs at least one `path` line');
  }

  run(out) {
    for (const path of this.paths) {
      try {
        out.print(`${createHash('sha256').update(readFileSync(path)).digest('hex')}  ${path}\n`);
      } catch (error) {
        out.print(`unreadable (${error.code ?? error.message})  ${path}\n`);
      }
    }
  }
}
