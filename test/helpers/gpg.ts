/** Real gpg with a throwaway GNUPGHOME, for the report tests: make keys, export them, decrypt. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway keyring; `dispose` stops its agent and removes it. */
export class Gpg {
  readonly home = mkdtempSync(join(tmpdir(), 'rulec-gpg-'));

  get env(): NodeJS.ProcessEnv {
    return { ...process.env, GNUPGHOME: this.home };
  }

  run(args: readonly string[], input?: Buffer | string): Buffer {
    return execFileSync('gpg', ['--batch', '--no-tty', '--quiet', ...args], { env: this.env, input, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** A new ed25519/cv25519 key with an empty passphrase; `fakedTime` makes it in the past. Returns its fingerprint. */
  generate(uid: string, expiry = 'never', fakedTime?: string): string {
    const faked = fakedTime === undefined ? [] : ['--faked-system-time', `${fakedTime}!`];
    this.run([...faked, '--passphrase', '', '--quick-gen-key', uid, 'future-default', 'default', expiry]);
    const listing = this.run(['--with-colons', '--list-keys', uid]).toString();
    return /^fpr:+([0-9A-F]+):/m.exec(listing)![1]!;
  }

  /** Imports the revocation certificate gpg made for the key. */
  revoke(fingerprint: string): void {
    const dir = join(this.home, 'openpgp-revocs.d');
    const file = readdirSync(dir).find((name) => name.startsWith(fingerprint))!;
    // gpg writes it with a ':' before the armor line so that it is not imported by mistake.
    this.run(['--import'], readFileSync(join(dir, file), 'utf8').replace(/^:-----BEGIN/m, '-----BEGIN'));
  }

  /** Writes the armored public key to `file`. */
  exportKey(uid: string, file: string): void {
    writeFileSync(file, this.run(['--armor', '--export', uid]));
  }

  /** A new keyring with one key for `uid` ('name <address>'), its public key exported to `file`. */
  static withKey(uid: string, file: string): Gpg {
    const gpg = new Gpg();
    gpg.generate(uid);
    gpg.exportKey(/<(.+)>/.exec(uid)![1]!, file);
    return gpg;
  }

  decrypt(message: Buffer | string): Buffer {
    return this.run(['--decrypt'], message);
  }

  dispose(): void {
    try {
      execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: this.env, stdio: 'ignore' });
    } catch {
      // No agent was started.
    }
    rmSync(this.home, { recursive: true, force: true });
  }
}
