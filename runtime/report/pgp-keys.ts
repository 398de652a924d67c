import { readFileSync } from 'node:fs';
import type { Key } from 'openpgp';
import { inputFileFix, inputFileProblem } from '../fs/trusted-file.js';
import { ReportError } from './report-error.js';

/** Days before its expiry a key is warned about. */
const EXPIRY_WARNING_DAYS = 30;

/** A recipient key that can encrypt now, and a warning when it expires soon. */
export interface RecipientKey {
  readonly key: Key;
  readonly file: string;
  readonly fingerprint: string;
  readonly warning: string | null;
}

/**
 * Reads OpenPGP public keys (armored or binary, one or several a file) and refuses any that
 * cannot encrypt now: missing or unreadable file, one another user could change (R381), not a
 * key, a private key, expired, revoked, or without a usable encryption subkey. Throws ReportError naming the file and the reason.
 */
export async function readRecipientKeys(files: readonly string[], now: Date = new Date()): Promise<RecipientKey[]> {
  // Loaded when needed: every rulec command imports the runtime's entry, few of them encrypt.
  const { readKeys } = await import('openpgp');
  const recipients: RecipientKey[] = [];
  for (const file of files) {
    let data: Buffer;
    // Another user's key would make the reports readable to them.
    const problem = inputFileProblem(file);
    if (problem !== null) throw new ReportError(`pgp key ${file}: error[R381]: refusing to use it: ${problem}, so another user could put their own key in it; ${inputFileFix()}`);
    try {
      data = readFileSync(file);
    } catch (error) {
      throw new ReportError(`pgp key ${file}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let keys: Key[];
    try {
      const text = data.toString('latin1');
      keys = text.includes('-----BEGIN PGP') ? await readKeys({ armoredKeys: text }) : await readKeys({ binaryKeys: new Uint8Array(data) });
    } catch (error) {
      throw new ReportError(`pgp key ${file}: not an OpenPGP public key: ${(error as Error).message}`);
    }
    for (const key of keys) recipients.push(await usable(key, file, now));
  }
  return recipients;
}

async function usable(key: Key, file: string, now: Date): Promise<RecipientKey> {
  const fingerprint = key.getFingerprint().toUpperCase();
  const name = `pgp key ${file} (${fingerprint})`;
  // A secret key has no business on the host that sends the reports.
  if (key.isPrivate()) throw new ReportError(`${name} is a private key: give the public key (gpg --export -a KEYID)`);
  if (await key.isRevoked(undefined, undefined, now)) throw new ReportError(`${name} is revoked`);
  try {
    await key.verifyPrimaryKey(now);
  } catch (error) {
    throw new ReportError(`${name} cannot be used: ${reason(error)}`);
  }
  let expires: Date | number | null;
  try {
    await key.getEncryptionKey(undefined, now);
    expires = await key.getExpirationTime();
  } catch (error) {
    throw new ReportError(`${name} has no usable encryption key: ${reason(error)}`);
  }
  const left = expires instanceof Date ? expires.getTime() - now.getTime() : Infinity;
  const warning = left < EXPIRY_WARNING_DAYS * 86_400_000 ? `${name} expires on ${(expires as Date).toISOString()}` : null;
  return { key, file, fingerprint, warning };
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Error (?:encrypting|decrypting) message: /, '');
}
