/**
 * `rulec report` delivery cases the other report tests leave out, against real SMTP server
 * processes on loopback (test/helpers/smtp-strict.mjs) and real gpg: implicit TLS (`smtps://`,
 * `smtp_tls tls`) to a server with a certificate made by openssl; an `smtp_auth` file against a
 * server that requires AUTH (right password delivers, wrong one fails clearly); a 5xx refusal
 * that keeps the message in the spool without holding the others back; the warning for a key
 * that expires within 30 days (issue 17 §1, §2).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { Gpg } from '../helpers/gpg.js';
import { StrictSmtp } from '../helpers/smtp-strict.js';
import { loopbackCert } from '../helpers/tls-cert.js';
import { tempDir, type CliResult } from './run-cli.js';

const BODY = 'report body 7f3a\n';

let tmp: ReturnType<typeof tempDir>;
let gpg: Gpg;
/** Implicit TLS, AUTH required. */
let secure: StrictSmtp;
/** Plain SMTP, no STARTTLS, no AUTH; refuses the senders it is told to. */
let plain: StrictSmtp;

beforeAll(async () => {
  tmp = tempDir('rulec-report-delivery-');
  for (const dir of ['mail-secure', 'mail-plain']) mkdirSync(join(tmp.dir, dir));
  const tls = loopbackCert(tmp.dir);
  gpg = Gpg.withKey('ops <ops@example.com>', join(tmp.dir, 'ops.asc'));
  gpg.generate('soon <soon@example.com>', '5d');
  gpg.exportKey('soon@example.com', join(tmp.dir, 'soon.asc'));
  gpg.generate('later <later@example.com>', '60d');
  gpg.exportKey('later@example.com', join(tmp.dir, 'later.asc'));
  writeFileSync(join(tmp.dir, 'right.auth'), 'reporter\nright pass\n', { mode: 0o600 });
  writeFileSync(join(tmp.dir, 'wrong.auth'), 'reporter\nwrong pass\n', { mode: 0o600 });
  [secure, plain] = await Promise.all([
    StrictSmtp.start({ dir: join(tmp.dir, 'mail-secure'), tls, requireAuth: true }),
    StrictSmtp.start({ dir: join(tmp.dir, 'mail-plain') }),
  ]);
}, 60_000);

afterAll(() => {
  secure?.stop();
  plain?.stop();
  gpg?.dispose();
  tmp?.remove();
});

/** Writes NAME.rules: the settings given, a spool of its own unless given, and one command block. */
function ruleFile(name: string, settings: readonly string[]): string {
  const file = join(tmp.dir, `${name}.rules`);
  const spool = settings.some((s) => s.startsWith('set spool ')) ? [] : [`set spool spool-${name}`];
  writeFileSync(file, [
    ...(settings.some((s) => s.startsWith('set pgp ')) ? [] : ['set pgp ops.asc']),
    'set to ops@example.com',
    ...settings,
    ...spool,
    `command <<__C\n    exec "printf '${BODY.replace('\n', '\\\\n')}'"\n    mime_file "body.txt"\n__C`,
    '',
  ].join('\n'));
  return file;
}

/** `rulec report ARGS` in this process, with no SMTP credentials in the environment. */
async function report(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const env = { ...process.env };
  delete env.RULEC_SMTP_USER;
  delete env.RULEC_SMTP_PASSWORD;
  const code = await main(['report', ...args], { out: (t) => void (stdout += t), err: (t) => void (stderr += t), cwd: tmp.dir, env });
  return { code, stdout, stderr };
}

function spooled(dir: string): string[] {
  const path = join(tmp.dir, dir);
  return existsSync(path) ? readdirSync(path).filter((f) => f.endsWith('.eml')).sort() : [];
}

async function mailOf(server: StrictSmtp, dir: string, index: number): Promise<ParsedMail> {
  return simpleParser(readFileSync(join(tmp.dir, dir, server.received[index]!.received)));
}

function decryptedBody(mail: ParsedMail): string {
  const attachment = mail.attachments.find((a) => a.filename === 'body.txt');
  expect(attachment).toBeDefined();
  return gpg.decrypt(attachment!.content).toString('utf8');
}

describe('rulec report over implicit TLS with an smtp_auth file', () => {
  it.each([
    ['smtps://', (port: number) => [`set smtp "smtps://127.0.0.1:${port}"`]],
    ['smtp_tls tls', (port: number) => [`set smtp "127.0.0.1:${port}"`, 'set smtp_tls tls']],
  ])('delivers over TLS from the first byte (%s), logged in as the smtp_auth file says', async (label, smtp) => {
    const before = secure.received.length;
    const name = `tls-${label.replace(/\W+/g, '')}`;
    const result = await report(ruleFile(name, [...smtp(secure.port), 'set smtp_ca cert.pem', 'set smtp_auth right.auth']));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const received = await secure.settled(before + 1);
    expect(received).toHaveLength(before + 1);
    expect([received[before]!.user, received[before]!.secure, received[before]!.to]).toEqual(['reporter', true, ['ops@example.com']]);
    expect(decryptedBody(await mailOf(secure, 'mail-secure', before))).toBe(BODY);
    expect(spooled(`spool-${name}`)).toEqual([]);
  });

  it('a wrong password fails clearly: exit 1, the server\'s refusal named, nothing delivered, the message kept encrypted in the spool', async () => {
    const before = secure.received.length;
    const result = await report(ruleFile('wrong-pass', [`set smtp "smtps://127.0.0.1:${secure.port}"`, 'set smtp_ca cert.pem', 'set smtp_auth wrong.auth']));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^rulec report: the SMTP server did not take the report \(EAUTH: Invalid login: 535 .*Invalid username or password\); spooled as /);
    expect(result.stderr).not.toContain('wrong pass');
    expect((await secure.settled(before)).length).toBe(before);
    const [kept, ...more] = spooled('spool-wrong-pass');
    expect(more).toEqual([]);
    const raw = readFileSync(join(tmp.dir, 'spool-wrong-pass', kept!));
    expect(raw.includes(BODY.trim())).toBe(false);
    expect(decryptedBody(await simpleParser(raw))).toBe(BODY);
  });

  it('without credentials the server\'s demand for AUTH is the error', async () => {
    const before = secure.received.length;
    const result = await report(ruleFile('no-auth', [`set smtp "smtps://127.0.0.1:${secure.port}"`, 'set smtp_ca cert.pem']));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not take the report \(.*53\d .*[Aa]uthentication.*\); spooled as /);
    expect((await secure.settled(before)).length).toBe(before);
  });

  it('spools rather than send when the server\'s certificate is not trusted, and never falls back to the clear', async () => {
    const before = secure.received.length;
    const untrusted = await report(ruleFile('tls-untrusted', [`set smtp "smtps://127.0.0.1:${secure.port}"`, 'set smtp_auth right.auth']));
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/did not take the report \(.*(self-signed|certificate).*\); spooled as /i);
    expect((await secure.settled(before)).length).toBe(before);
    expect(spooled('spool-tls-untrusted')).toHaveLength(1);

    // Implicit TLS asked of a server that speaks plain SMTP: no message goes over the plain connection.
    const plainBefore = plain.received.length;
    const clear = await report(ruleFile('tls-to-plain', [`set smtp "smtps://127.0.0.1:${plain.port}"`]));
    expect(clear.code).toBe(1);
    // One line, though OpenSSL's message ends in a newline.
    expect(clear.stderr).toMatch(/^rulec report: the SMTP server did not take the report \(ESOCKET: .*wrong version number.*\); spooled as \S+, sent by the next run or rulec report --flush\n$/);
    expect((await plain.settled(plainBefore)).length).toBe(plainBefore);
    expect(spooled('spool-tls-to-plain')).toHaveLength(1);
  });
});

describe('rulec report and a 5xx refusal', () => {
  it('keeps a refused message in the spool, sends the others past it oldest first, and sends it once the server takes it', async () => {
    const bad = 'refused@example.com';
    const good = 'rulec@example.com';
    const shared = ['set spool spool-5xx', `set smtp "127.0.0.1:${plain.port}"`, 'set smtp_tls none'];
    const badRules = ruleFile('refused-sender', [...shared, `set from ${bad}`]);
    const goodRules = ruleFile('good-sender', [...shared, `set from ${good}`]);
    const messageId = async (file: string): Promise<string> => (await simpleParser(readFileSync(join(tmp.dir, 'spool-5xx', file)))).messageId!;
    const before = plain.received.length;

    await plain.refuse(bad);
    await plain.refuse(good);
    const first = await report(badRules);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/did not take the report \(.*550 sender refused@example\.com refused for good\); spooled as /);
    const [refusedFile] = spooled('spool-5xx');
    // The good sender refused too, twice: two more behind the first, each run naming the one it kept.
    for (let run = 0; run < 2; run += 1) {
      const again = await report(goodRules);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`the SMTP server refused the spooled ${join(tmp.dir, 'spool-5xx', refusedFile!)} (`);
    }
    const waiting = spooled('spool-5xx');
    expect(waiting).toHaveLength(3);
    expect(waiting[0]).toBe(refusedFile);
    const waitingIds = await Promise.all(waiting.map(messageId));
    expect(plain.received.length).toBe(before);

    // The good sender is taken again; the refused one is not: it stays, named, and holds nothing back.
    await plain.accept(good);
    const past = await report(goodRules);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain(`the SMTP server refused the spooled ${join(tmp.dir, 'spool-5xx', refusedFile!)} (`);
    expect(past.stderr).toContain('sent 2 spooled reports');
    const received = await plain.settled(before + 3);
    expect(received).toHaveLength(before + 3);
    const sentIds = await Promise.all([0, 1, 2].map(async (k) => (await mailOf(plain, 'mail-plain', before + k)).messageId));
    expect(sentIds.slice(0, 2)).toEqual(waitingIds.slice(1));
    expect(new Set(sentIds).size).toBe(3);
    expect(received.slice(before).map((r) => r.from)).toEqual([good, good, good]);
    expect(spooled('spool-5xx')).toEqual([refusedFile]);

    // Once the server takes it, --flush sends it, and the spool is empty.
    await plain.accept();
    const flushed = await report(badRules, '--flush');
    expect([flushed.code, flushed.stdout, flushed.stderr]).toEqual([0, `rulec report: sent 1 spooled message from ${join(tmp.dir, 'spool-5xx')}, 0 left\n`, '']);
    expect(await plain.settled(before + 4)).toHaveLength(before + 4);
    const last = await mailOf(plain, 'mail-plain', before + 3);
    expect([last.messageId, plain.received[before + 3]!.from]).toEqual([waitingIds[0], bad]);
    expect(decryptedBody(last)).toBe(BODY);
    expect(spooled('spool-5xx')).toEqual([]);
    // Each run tried the refused one again (named each time): one MAIL FROM refusal per message and run.
    expect(plain.refused).toEqual([bad, bad, good, bad, good, good, bad]);
  });
});

describe('rulec report and a key that expires soon', () => {
  it('warns about a key that expires within 30 days, naming the date, and still encrypts to it', async () => {
    const result = await report(ruleFile('soon', ['set pgp soon.asc']), '--dry-run');
    expect(result.code).toBe(0);
    const warning = /^rulec report: warning: (.*soon\.asc.*) expires on (\S+)\n$/.exec(result.stderr);
    expect(warning, result.stderr).not.toBeNull();
    const days = (Date.parse(warning![2]!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(4);
    expect(days).toBeLessThan(6);
    expect(decryptedBody(await simpleParser(result.stdout))).toBe(BODY);
  });

  it('says nothing of a key with more than 30 days left', async () => {
    const result = await report(ruleFile('later', ['set pgp later.asc']), '--dry-run');
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(decryptedBody(await simpleParser(result.stdout))).toBe(BODY);
  });
});

describe('rulec report usage', () => {
  it('gives --check its real form, FILE --check PRIOR', async () => {
    const help = await report('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('rulec report FILE --check PRIOR');
    expect(help.stdout).not.toContain('[LISTING]');
  });
});
