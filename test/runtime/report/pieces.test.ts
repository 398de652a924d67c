import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Gpg } from '../../helpers/gpg.js';
import { envelopeOf } from '../../../runtime/report/compose.js';
import { fillSubject, readMailSettings } from '../../../runtime/report/mail-settings.js';
import { assertEncrypted } from '../../../runtime/report/pgp-verify.js';
import { shellWords } from '../../../runtime/report/shell-words.js';
import { Spool } from '../../../runtime/report/spool.js';

describe('report pieces', () => {
  it("splits the seed's pgp command as a shell would, expanding nothing", () => {
    expect(shellWords(`gpg -a -e -r 'you@example.com' --no-tty --batch`)).toEqual(['gpg', '-a', '-e', '-r', 'you@example.com', '--no-tty', '--batch']);
    expect(shellWords(`a"b c"'d e' \\$HOME "\\"q\\"" ''`)).toEqual(['ab cd e', '$HOME', '"q"', '']);
    expect(() => shellWords(`gpg -r 'x`)).toThrow(/unterminated/);
  });

  it('takes only an OpenPGP encrypted message, exactly, as the output of a pgp command (real gpg)', () => {
    const gpg = new Gpg();
    try {
      gpg.generate('ops <you@example.com>');
      const body = 'Failed password for root\n';
      const run = (...args: string[]): Buffer => gpg.run(['--trust-model', 'always', ...args], body);
      const encrypted = [run('-a', '-e', '-r', 'you@example.com'), run('-e', '-r', 'you@example.com'), run('-a', '-e', '-s', '-r', 'you@example.com'), run('-a', '-c', '--passphrase', 'x', '--pinentry-mode', 'loopback')];
      for (const bytes of encrypted) expect(() => assertEncrypted(bytes)).not.toThrow();
      const armored = encrypted[0]!.toString('latin1');
      const refused: [Buffer, RegExp][] = [
        [run('-a', '-s'), /not encrypted \(packets: compressed data\)/],
        [run('-s'), /not encrypted \(packets: compressed data\)/],
        [run('-a', '-s', '-z', '0'), /not encrypted \(packets: one-pass signature, literal data, signature\)/],
        [run('--clearsign'), /armored as "-----BEGIN PGP SIGNED MESSAGE-----"/],
        [run('-a', '--store'), /not encrypted \(packets: (?:compressed|literal) data\)/],
        [Buffer.from(body), /not an OpenPGP message/],
        [Buffer.from(`${armored}${body}`), /not exactly one armored OpenPGP message/],
        [Buffer.from(`${body}${armored}`), /not an OpenPGP message/],
        [Buffer.from(`${armored}${armored}`), /not exactly one armored/],
        [Buffer.concat([encrypted[1]!, run('-s')]), /not encrypted/],
        [encrypted[1]!.subarray(0, encrypted[1]!.length - 1), /runs past the end/],
        [Buffer.from(armored.replace(/\n\n/, '\nComment: x\n\n').replace(/^([A-Za-z0-9+/]{10})/m, '$1!')), /not base64/],
        [Buffer.alloc(0), /not encrypted \(packets: \)/],
      ];
      for (const [bytes, why] of refused) expect(() => assertEncrypted(bytes), bytes.toString('latin1').slice(0, 40)).toThrow(why);
    } finally {
      gpg.dispose();
    }
  });

  it('fills the subject from the host and the date only, with no control characters', () => {
    expect(fillSubject('{host} {date} {time} {other}', 'web\n1', new Date(2024, 0, 2, 3, 4))).toBe('web 1 2024-01-02 03:04 {other}');
  });

  it('reads the envelope of a finished message from its own headers', () => {
    const raw = Buffer.from('From: "Rulec" <rulec@example.com>\r\nTo: a@example.com,\r\n b@example.com\r\nSubject: x\r\n\r\nTo: evil@example.com\r\n');
    expect(envelopeOf(raw)).toEqual({ from: 'rulec@example.com', to: ['a@example.com', 'b@example.com'] });
  });

  it('never takes SMTP credentials from the rule file, and refuses an auth file others can read', () => {
    expect(() => readMailSettings({ to: 'a@example.com', smtp: 'u:p@mail.example.com' }, '/')).toThrow(/credentials never go in the rule file/);
    const env = { RULEC_SMTP_USER: 'u', RULEC_SMTP_PASSWORD: 'p' };
    expect(readMailSettings({ to: 'a@example.com', smtp: 'mail.example.com' }, '/', env).smtp).toMatchObject({ port: 25, tls: 'starttls', auth: { user: 'u', pass: 'p' } });
    expect(readMailSettings({ to: 'a@example.com', smtp: 'smtps://mail.example.com' }, '/', {}).smtp).toMatchObject({ port: 465, tls: 'tls', auth: null });
    expect(() => readMailSettings({ to: 'a@example.com', smtp: 'mail.example.com', smtp_auth: '/etc/passwd' }, '/', {})).toThrow(/may be read by others; chmod 600/);
  });

  it('keeps spooled messages in age order and lets one run at a time send them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-spool-'));
    try {
      const spool = new Spool(join(dir, 'spool'));
      spool.open();
      const names = ['first', 'second', 'third'].map((text) => spool.add(Buffer.from(text)));
      expect(spool.list()).toEqual(names);
      expect(spool.list().map((name) => spool.read(name).toString())).toEqual(['first', 'second', 'third']);
      // Held by a live process (this one): refused. Left by a dead one: taken over.
      writeFileSync(join(dir, 'spool', '.lock'), `${process.pid}\n`);
      expect(spool.lock()).toBeNull();
      writeFileSync(join(dir, 'spool', '.lock'), '2147483646\n');
      const release = spool.lock();
      expect(release).not.toBeNull();
      release!();
      expect(readdirSync(join(dir, 'spool')).filter((f) => !f.endsWith('.eml'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
