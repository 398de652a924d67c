import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** Real logs from `../shared/corpus/` (beside the repository), read at test time and never copied. */

/** Lines of a corpus file (path relative to the shared corpus), without comment lines or blanks, capped at `limit`. */
export function corpusLines(relative: string, limit = Infinity): string[] {
  return readFileSync(CORPUS + relative, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .slice(0, limit);
}

/** A mixed sample from the sshd, auth, Apache and fail2ban logs, plus lines with awkward characters. */
export function sampleLines(perFile = 150): string[] {
  return [
    ...corpusLines('elastic/auth.log', perFile),
    ...corpusLines('fail2ban/logs/sshd.log', perFile),
    ...corpusLines('fail2ban/logs/apache-auth.log', perFile),
    ...corpusLines('loghub/OpenSSH_2k.log', perFile),
    ...corpusLines('loghub/Apache_2k.log', perFile),
    ...corpusLines('elastic/apache_access.log', perFile),
    'Failed password for root from 10.0.0.1 port 22\r',
    'Failed\u00a0password for r\u00f6\u00f6t from 10.0.0.2',
    'user \u263a smiled \u{1F600} at 10.0.0.3',
    'TAB\there\u000bvt\fff and \u2028 ls \u0085 nel',
    'aaaaaaaa ABCabc 0123456789 ,,,; $HOME `id` "$(reboot)" a{b}',
  ];
}

/**
 * Lines for prefilter exactness tests: real sshd/syslog lines, overlapping literals, and the
 * characters case folding has to get right.
 */
export function prefilterSampleLines(): string[] {
  return [
    ...corpusLines('loghub/OpenSSH_2k.log'),
    ...corpusLines('loghub/Linux_2k.log'),
    ...corpusLines('elastic/auth.log', 3000),
    'xabcd abc bc C',
    'xabc',
    'ab',
    'U\u017fER name', // U+017F folds to s under /iu
    '\u212aERNEL panic', // Kelvin sign folds to k under /iu
    'STRASSE straße STRAßE',
    'ünï 1 ÜNÏ 2',
    'a.b*c [x] (y) {z} |/\\ ^$?+',
    '',
  ];
}
