import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { encryptWithCommand } from './pgp-command.js';
import { readRecipientKeys } from './pgp-keys.js';
import { ReportError } from './report-error.js';
import { shellWords } from './shell-words.js';

/** Encrypts attachment bodies for every recipient of `set pgp`. */
export interface Encryptor {
  /** The key fingerprints, or the command, for messages. */
  readonly recipients: string;
  /** Warnings found while opening it (a key that expires soon). */
  readonly warnings: readonly string[];
  /** The body as an OpenPGP message (armored for keys; what the command prints for a command). */
  encrypt(body: Buffer, name: string): Promise<Buffer>;
}

const KEY_FILE = /\.(?:asc|gpg|pgp|key|pub)$/i;

/** True when `word` names a key file rather than a program: by its extension, or a file that is not executable. */
function isKeyFile(word: string, baseDir: string): boolean {
  if (KEY_FILE.test(word)) return true;
  try {
    const st = statSync(isAbsolute(word) ? word : join(baseDir, word));
    return st.isFile() && (st.mode & 0o111) === 0;
  } catch {
    return false;
  }
}

/**
 * Opens `set pgp`: one or several key files (relative to `baseDir`), or a command in the seed's
 * form (`gpg -a -e -r 'you@example.com' --no-tty --batch`) that every body is piped through.
 * Either is proved before anything runs: the keys must be able to encrypt now, the command
 * must turn a probe into an OpenPGP encrypted message. Throws ReportError otherwise.
 */
export async function openEncryptor(pgp: string | undefined, baseDir: string): Promise<Encryptor> {
  if (pgp === undefined || pgp.trim() === '') {
    throw new ReportError('no `set pgp`: reports are sent encrypted or not at all; set pgp to a public key file (or a gpg command)');
  }
  let words: string[];
  try {
    words = shellWords(pgp);
  } catch (error) {
    throw new ReportError(`set pgp: ${(error as Error).message}`);
  }
  if (isKeyFile(words[0]!, baseDir)) {
    const files = words.map((word) => (isAbsolute(word) ? word : join(baseDir, word)));
    const keys = await readRecipientKeys(files);
    const { createMessage, encrypt } = await import('openpgp');
    const encryptionKeys = keys.map((k) => k.key);
    return {
      recipients: keys.map((k) => k.fingerprint).join(', '),
      warnings: keys.flatMap((k) => (k.warning === null ? [] : [k.warning])),
      async encrypt(body, name) {
        const message = await createMessage({ binary: new Uint8Array(body), filename: name, format: 'binary' });
        return Buffer.from(await encrypt({ message, encryptionKeys, format: 'armored' }), 'utf8');
      },
    };
  }
  const argv = words;
  // The probe fails as a report would: a recipient gpg cannot use (missing, expired, revoked).
  await encryptWithCommand(argv, Buffer.from('rulec: probing the pgp command\n'), 'a probe, before any block runs');
  return { recipients: `\`${argv.join(' ')}\``, warnings: [], encrypt: (body, name) => encryptWithCommand(argv, body, name) };
}
