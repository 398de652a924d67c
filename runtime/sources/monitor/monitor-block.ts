/** A `monitor` block run once: its listing, written to a report entry's output. */
import type { DigestAlgorithm } from './digest.js';
import { terminalProgress } from './progress.js';
import { scanTrees, type TreeScanStats } from './scan-tree.js';

/** What a monitor block says (the contract's monitor BlockSpec, defaults filled). */
export interface MonitorSettings {
  readonly dirs: readonly string[];
  readonly digest: DigestAlgorithm;
  readonly crossFilesystems: boolean;
}

/** Anything with `print`, as a report entry's output (MailLog's `$out->print`). */
export interface TextOut {
  print(text: string): void;
}

/** Characters gathered before one `print`. */
const FLUSH_AT = 64 * 1024;

/**
 * Writes the block's listing to `out`, each line ending in `\n`. With `progress`, a scan shows
 * its progress on stderr while stderr is a terminal. `algorithm` overrides the block's digest
 * (`rulec monitor --check` digests as the prior listing did).
 */
export function runMonitor(
  settings: MonitorSettings,
  out: TextOut,
  options: { readonly progress?: boolean; readonly algorithm?: DigestAlgorithm } = {},
): TreeScanStats {
  const progress = options.progress === true ? terminalProgress() : null;
  let pending = '';
  try {
    const stats = scanTrees(
      {
        dirs: settings.dirs,
        algorithm: options.algorithm ?? settings.digest,
        crossFilesystems: settings.crossFilesystems,
        ...(progress === null ? {} : { progress: (files: number, bytes: number) => progress.update(files, bytes) }),
      },
      (line) => {
        pending += `${line}\n`;
        if (pending.length >= FLUSH_AT) {
          out.print(pending);
          pending = '';
        }
      },
    );
    if (pending !== '') out.print(pending);
    return stats;
  } finally {
    progress?.done();
  }
}
