import { describe, expect, it } from 'vitest';
import { checkFiles, checkText } from './check-helper.js';

const command = (body: string): string => `command <<__C\n${body}\n__C\n`;

describe('report blocks and settings', () => {
  it('splits a command into argv as actions are, with its timeout', () => {
    const c = checkText(command(`exec "/usr/bin/find /etc -name '*.conf' -newer \\"my file\\""\ntimeout 90s`));
    expect(c.codes()).toEqual([]);
    expect(c.model.blocks[0]).toMatchObject({ kind: 'command', argv: ['/usr/bin/find', '/etc', '-name', '*.conf', '-newer', 'my file'], timeout: 90 });
  });

  it('refuses what only a log line could fill, and a bad timeout', () => {
    const c = checkText(command('exec "echo $1"\ntimeout 0'));
    expect(c.codes().sort()).toEqual(['R306', 'R363']);
    expect(c.text(c.only('R363'))).toBe('$1');
  });

  it.each([
    ['set smtp "user:secret@mail.example.com:587"', /credentials never go in the rule file/],
    ['set smtp "smtp://mail.example.com:99999"', /port 99999 is out of range/],
    ['set to "ops at example"', /is not an address/],
    ['set subject "report {host} {line}"', /unknown placeholder \{line\}/],
    ['set smtp_tls maybe', /expected/],
  ])('R360: %s', (line, message) => {
    const c = checkText(line);
    expect(c.only('R360').message).toMatch(message);
  });

  it.each([
    ['set pgp "gpg -a -s --no-tty --batch"', /does not encrypt \(no -e\/--encrypt/],
    ['set pgp "gpg --clearsign"', /does not encrypt/],
    ['set pgp "/usr/bin/gpg2 -as -r you@example.com"', /does not encrypt/],
    ['set pgp "gpg -r e -a"', /does not encrypt/],
    ['set pgp "gpg --encrypt-to you@example.com -a"', /does not encrypt/],
    ['set pgp cat', /`cat` does not encrypt/],
    ["set pgp \"gpg -r 'x\"", /unterminated/],
  ])('R385: %s', (line, message) => {
    const c = checkText(line);
    expect(c.only('R385').message).toMatch(message);
  });

  it.each([
    "set pgp \"gpg -a -e -r 'you@example.com' --no-tty --batch\"",
    'set pgp "gpg -aer you@example.com"',
    'set pgp "gpg --armor --encr -r you@example.com"',
    'set pgp "gpg -a --symmetric --passphrase-file /etc/rulec/pass"',
    'set pgp "keys/ops.asc keys/backup.asc"',
    'set pgp "/usr/local/bin/my-encrypt --to ops"',
  ])('no R385 for a pgp setting that may encrypt: %s', (line) => {
    expect(checkText(line).codes()).toEqual([]);
  });

  it('takes the usual mail settings', () => {
    const c = checkText('set smtp smtps://mail.example.com\nset smtp_tls tls\nset to "a@example.com, b@example.com"\nset subject "{host} on {date} at {time}"\nset smtp_auth /etc/rulec/smtp-auth');
    expect(c.codes()).toEqual([]);
  });

  it('R361 for an attachment name with a slash, R362 for a name two blocks share', () => {
    const c = checkText(`${command('exec ls\nmime_file "../x.txt"')}${command('exec ls\nmime_file a.txt')}${command('exec df\nmime_file a.txt')}`);
    expect(c.codes()).toEqual(['R361', 'R362']);
    expect(c.only('R362').severity).toBe('warning');
  });

  it('records a module path relative to the file that declares it', () => {
    const c = checkFiles({ 'main.rules': 'source lib/mods.rules\n', 'lib/mods.rules': 'module M m ./m.mjs\nm <<__M\n  x 1\n__M\n' });
    expect(c.codes()).toEqual([]);
    expect(c.model.blocks[0]).toMatchObject({ kind: 'custom', path: 'lib/m.mjs' });
  });
});
