/**
 * Where Snort puts its alert sockets, found as Pigear found it: `--logdir`, else the
 * `config logdir:` line of snort.conf, else /var/log/snort. Snort 3 with several packet threads
 * gives each thread its own socket, `<logdir>/<N>_snort_alert`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Snort's default log directory. */
export const DEFAULT_LOGDIR = '/var/log/snort';
/** Where snort.conf is looked for when none is named. */
export const DEFAULT_SNORT_CONF = '/etc/snort/snort.conf';
const SOCKET_NAME = 'snort_alert';

/** The `config logdir:` value of a snort.conf text, if it has one (the last one wins, as in Snort). */
export function logdirOfConf(text: string): string | null {
  let found: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*config\s+logdir\s*:\s*(\S.*?)\s*$/.exec(line);
    if (m !== null) found = m[1]!;
  }
  return found;
}

/**
 * The log directory: `given` when set, else snort.conf's (`conf`, default /etc/snort/snort.conf,
 * when it can be read), else /var/log/snort. `from` says which.
 */
export function resolveLogdir(given: string | null, conf: string | null = null): { logdir: string; from: string } {
  if (given !== null) return { logdir: given, from: 'given' };
  const confPath = conf ?? DEFAULT_SNORT_CONF;
  try {
    const fromConf = logdirOfConf(readFileSync(confPath, 'utf8'));
    if (fromConf !== null) return { logdir: fromConf, from: confPath };
  } catch {
    // No snort.conf there: the default it is.
  }
  return { logdir: DEFAULT_LOGDIR, from: 'default' };
}

/** The socket paths in `logdir`: `snort_alert`, or `0_snort_alert`... for `threads` above 1 (Snort 3). */
export function socketPaths(logdir: string, threads: number): string[] {
  if (threads <= 1) return [join(logdir, SOCKET_NAME)];
  return Array.from({ length: threads }, (_, n) => join(logdir, `${n}_${SOCKET_NAME}`));
}
