import { basename } from 'node:path';
import { shellWords } from './shell-words.js';

/** Programs that print their input, or a mere encoding of it: a `set pgp` command of one of them never encrypts. */
const PASS_THROUGH = new Set(['cat', 'tee', 'base64', 'gzip', 'xz', 'bzip2', 'dd', 'head', 'tail', 'sed', 'awk', 'tr']);

/** gpg's short options that take a value: the rest of the word, or the next word. */
const GPG_SHORT_WITH_VALUE = 'rRuozfFN';

/**
 * What `rulec check` can tell of `set pgp` without running anything: a command that surely
 * does not encrypt (gpg without -e/--encrypt or -c/--symmetric, such as `gpg -a -s` or
 * `gpg --clearsign`, or a program that prints its input). Null when nothing is wrong or it
 * cannot be told; every command's output is proved encrypted when a report runs anyway.
 */
export function pgpProblem(value: string): string | null {
  let words: string[];
  try {
    words = shellWords(value);
  } catch (error) {
    return (error as Error).message;
  }
  const program = basename(words[0] ?? '');
  if (PASS_THROUGH.has(program)) return `\`${program}\` does not encrypt: the attachments would leave in the clear; give a public key file or a gpg command that encrypts (gpg -a -e -r KEYID --no-tty --batch)`;
  if (!/^gpg2?(?:\.exe)?$/.test(program) || gpgEncrypts(words.slice(1))) return null;
  return `\`${words.join(' ')}\` does not encrypt (no -e/--encrypt or -c/--symmetric): signing or armoring alone leaves the attachments readable; use gpg -a -e -r KEYID --no-tty --batch`;
}

function gpgEncrypts(args: readonly string[]): boolean {
  for (let k = 0; k < args.length; k += 1) {
    const arg = args[k]!;
    if (arg === '--') return false;
    if (arg.startsWith('--')) {
      // gpg takes an unambiguous abbreviation of a long option (--encr); --encrypt-to is another option.
      const name = arg.split('=', 1)[0]!;
      if (name.length >= 5 && ('--encrypt'.startsWith(name) || '--symmetric'.startsWith(name))) return true;
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let i = 1; i < arg.length; i += 1) {
        const letter = arg[i]!;
        if (letter === 'e' || letter === 'c') return true;
        if (GPG_SHORT_WITH_VALUE.includes(letter)) {
          if (i === arg.length - 1) k += 1;
          break;
        }
      }
    }
  }
  return false;
}
