import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelopeOf } from '../../../runtime/report/compose.js';
import { fillSubject, readMailSettings } from '../../../runtime/report/mail-settings.js';
import { looksEncrypted } from '../../../runtime/report/pgp-command.js';
import { shellWords } from '../../../runtime/report/shell-words.js';
import { Spool } from '../../../runtime/report/spool.js';

describe('report pieces', () => {
  it("splits the seed's pgp command as a shell would, expanding nothing", () => {
    expect(shellWords(`gpg -a -e -r 'you@example.com' --no-tty --batch`)).toEqual(['gpg', '-a', '-e', '-r', 'you@example.com', '--no-tty', '--batch']);
    expect(shellWords(`a"b c"'d e' \\$HOME "\\"q\\"" ''`)).toEqual(['ab cd e', '$HOME', '"q"', '']);
    expect(() => shellWords(`gpg -r 'x`)).toThrow(/unterminated/);
  });

  it('takes only an OpenPGP message for encrypted output', () => {
    expect(looksEncrypted(Buffer.from('\n-----BEGIN PGP MESSAGE-----\n'))).toBe(true);
    expect(looksEncrypted(Buffer.from([0x85, 0x01]))).toBe(true); // old format, tag 1
    expect(looksEncrypted(Buffer.from([0xc1, 0x01]))).toBe(true); // new format, tag 1
    expect(looksEncrypted(Buffer.from([0xc3, 0x01]))).toBe(true); // new format, tag 3 (passphrase)
    expect(looksEncrypted(Buffer.from('Failed password for root\n'))).toBe(false);
    expect(looksEncrypted(Buffer.from('-----BEGIN PGP SIGNED MESSAGE-----\n'))).toBe(false);
    expect(looksEncrypted(Buffer.alloc(0))).toBe(false);
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
