/**
 * `rulec report` end to end: the real CLI, a real SMTP server process on loopback
 * (test/helpers/smtp-sink.mjs), mailparser on what it received, and real gpg with a throwaway
 * keyring decrypting every attachment.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gpg } from '../helpers/gpg.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { main } from '../../cli/main.js';
import { Reporter, type ReportEntry, type ReportOutput } from '../../runtime/index.js';
import { recordLoads } from '../helpers/module-loads.js';
import { REPO, runCli, tempDir, type CliResult } from './run-cli.js';
import { runHere } from './run-here.js';

const SECRET = 'Failed password for root from 203.0.113.9 port 4242';

let tmp: ReturnType<typeof tempDir>;
let gpg: Gpg;
let sink: SmtpSink;
let mailDir: string;

beforeAll(async () => {
  tmp = tempDir('rulec-report-');
  mailDir = join(tmp.dir, 'mail');
  mkdirSync(mailDir);
  mkdirSync(join(tmp.dir, 'keys'));
  gpg = new Gpg();
  // No network look-ups for unknown recipients: the seed's gpg command must fail fast.
  writeFileSync(join(gpg.home, 'gpg.conf'), 'no-auto-key-retrieve\nauto-key-locate local\n');
  gpg.generate('ops <you@example.com>');
  gpg.exportKey('you@example.com', join(tmp.dir, 'keys/ops.asc'));
  gpg.generate('backup <backup@example.com>');
  gpg.exportKey('backup@example.com', join(tmp.dir, 'keys/backup.asc'));
  gpg.generate('old <old@example.com>', '1d', '20200101T000000');
  gpg.exportKey('old@example.com', join(tmp.dir, 'keys/expired.asc'));
  const revoked = gpg.generate('gone <gone@example.com>');
  gpg.revoke(revoked);
  gpg.exportKey('gone@example.com', join(tmp.dir, 'keys/revoked.asc'));
  writeFileSync(join(tmp.dir, 'keys/garbage.asc'), 'not a key\n');
  sink = await SmtpSink.start(mailDir);
  // For the seed's gpg command run in this process (the CLI's children get it explicitly).
  process.env.GNUPGHOME = gpg.home;
}, 60_000);

afterAll(() => {
  delete process.env.GNUPGHOME;
  sink?.stop();
  gpg?.dispose();
  tmp?.remove();
});

/** A rule file in the temporary directory: settings for the sink, then `body`. */
function ruleFile(name: string, body: string, pgp = 'keys/ops.asc'): string {
  const text = [
    `set pgp ${pgp}`,
    "set to 'ops@example.com, backup@example.com'",
    "set from 'rulec@example.com'",
    `set smtp "127.0.0.1:${sink.port}"`,
    'set smtp_tls none',
    'set subject "report {host} {date}"',
    'set host web-1',
    `set spool spool-${name}`,
    body,
  ].join('\n');
  writeFileSync(join(tmp.dir, `${name}.rules`), text);
  return join(tmp.dir, `${name}.rules`);
}

/** `rulec report ARGS` in this process (the CLI's code without a process start, which costs seconds on a loaded machine). */
async function report(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['report', ...args], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const SECRET_BLOCKS = `
command <<__A
    exec 'printf "%s%s\\n%s\\n" "${SECRET.slice(0, 20)}" "${SECRET.slice(20)}" "ünïcode line"'
    description "Unusual lines"
    mime_file "secret.txt"
__A
command <<__B
    exec "sh -c 'echo out; echo err >&2; exit 3'"
    mime_file "status.txt"
__B
`;

function spooled(name: string): string[] {
  const dir = join(tmp.dir, `spool-${name}`);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
}

async function parsedMail(file: string): Promise<ParsedMail> {
  return simpleParser(readFileSync(join(mailDir, file)));
}

function decrypted(mail: ParsedMail, name: string): string {
  const attachment = mail.attachments.find((a) => a.filename === name);
  expect(attachment, `attachment ${name}`).toBeDefined();
  return gpg.decrypt(attachment!.content).toString('utf8');
}

/** Every file under `dir` that holds `text` in the clear (the rule files hold it only in two pieces). */
function filesHolding(dir: string, text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path).includes(text)) found.push(path);
  }
  return found;
}

describe('rulec report', () => {
  it('sends one mail, one encrypted attachment per block, that gpg decrypts exactly', async () => {
    const before = sink.received.length;
    const result = await runCli(['report', ruleFile('deliver', SECRET_BLOCKS)], {
      cwd: tmp.dir,
      env: { RULEC_SMTP_USER: 'reporter', RULEC_SMTP_PASSWORD: 'pa ss' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((await sink.settled(before + 1)).length).toBe(before + 1);
    const got = sink.received.at(-1)!;
    expect([got.from, got.to, got.user]).toEqual(['rulec@example.com', ['ops@example.com', 'backup@example.com'], 'reporter']);

    const raw = readFileSync(join(mailDir, got.received));
    expect(raw.includes(SECRET)).toBe(false);
    const mail = await parsedMail(got.received);
    const today = new Date();
    const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    expect(mail.subject).toBe(`report web-1 ${date}`);
    expect(mail.attachments.map((a) => [a.filename, a.headers.get('content-description')])).toEqual([
      ['secret.txt', 'Unusual lines'],
      ['status.txt', 'command'],
    ]);
    expect(decrypted(mail, 'secret.txt')).toBe(`${SECRET}\nünïcode line\n`);
    expect(decrypted(mail, 'status.txt')).toBe('out\n[rulec: standard error]\nerr\n[rulec: exit status 3]\n');
    expect(spooled('deliver')).toEqual([]);
  });

  it('spools the encrypted message while SMTP is down and delivers it, once, when it is back', async () => {
    const rules = ruleFile('outage', SECRET_BLOCKS);
    const before = sink.received.length;
    await sink.down();
    const down = await report(rules);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/did not take the report \(.*ECONNREFUSED.*\); spooled as /);
    const [waiting, ...more] = spooled('outage');
    expect(more).toEqual([]);
    expect(filesHolding(tmp.dir, SECRET)).toEqual([]);
    const spooledId = (await simpleParser(readFileSync(join(tmp.dir, 'spool-outage', waiting!)))).messageId;

    // Still down: the next run spools behind it.
    const again = await report(rules);
    expect(again.code).toBe(1);
    expect(spooled('outage')).toHaveLength(2);
    const [first, second] = spooled('outage');
    expect(first).toBe(waiting);
    const secondId = (await simpleParser(readFileSync(join(tmp.dir, 'spool-outage', second!)))).messageId;

    await sink.up();
    const back = await report(rules);
    expect(back.stderr).toBe('rulec report: sent 2 spooled reports\n');
    expect(back.code).toBe(0);
    expect((await sink.settled(before + 3)).length).toBe(before + 3);
    const ids = await Promise.all(sink.received.slice(before).map(async (r) => (await parsedMail(r.received)).messageId));
    expect(ids.slice(0, 2)).toEqual([spooledId, secondId]);
    expect(new Set(ids).size).toBe(3);
    expect(spooled('outage')).toEqual([]);
    for (const received of sink.received.slice(before)) {
      expect(decrypted(await parsedMail(received.received), 'secret.txt')).toBe(`${SECRET}\nünïcode line\n`);
    }
  });

  it('--flush sends the spool alone, oldest first, removes each message once accepted, and says what it did', async () => {
    const rules = ruleFile('flush', SECRET_BLOCKS);
    const dir = join(tmp.dir, 'spool-flush');
    const empty = await report(rules, '--flush');
    expect([empty.code, empty.stdout, empty.stderr]).toEqual([0, `rulec report: the spool ${dir} is empty: nothing to send\n`, '']);

    await sink.down();
    const started = Date.now();
    expect((await report(rules)).code).toBe(1);
    expect((await report(rules)).code).toBe(1);
    const down = await report(rules, '--flush');
    expect(down.code).toBe(1);
    expect(down.stdout).toBe('');
    const said = /^rulec report: the SMTP server 127\.0\.0\.1:\d+ cannot take the spool now \(.*ECONNREFUSED.*\); sent 0, 2 spooled messages stay in (.*), the oldest spooled (\S+), for the next run or --flush\n$/.exec(down.stderr);
    expect(said, down.stderr).not.toBeNull();
    expect(said![1]).toBe(dir);
    const oldest = Date.parse(said![2]!);
    expect(oldest).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    expect(oldest).toBeLessThanOrEqual(Date.now());
    expect(spooled('flush')).toHaveLength(2);

    await sink.up();
    const before = sink.received.length;
    const flushed = await report(rules, '--flush');
    expect([flushed.code, flushed.stdout, flushed.stderr]).toEqual([0, `rulec report: sent 2 spooled messages from ${dir}, 0 left\n`, '']);
    expect((await sink.settled(before + 2)).length).toBe(before + 2);
    expect(spooled('flush')).toEqual([]);
    const again = await report(rules, '--flush');
    expect([again.code, again.stdout]).toEqual([0, `rulec report: the spool ${dir} is empty: nothing to send\n`]);
    expect((await sink.settled(before + 2)).length).toBe(before + 2);
  });

  it.each([
    ['missing', 'keys/missing.asc', /pgp key .*missing\.asc: cannot read it: ENOENT/],
    ['expired', 'keys/expired.asc', /cannot be used: .*expired/i],
    ['revoked', 'keys/revoked.asc', /is revoked/],
    ['garbage', 'keys/garbage.asc', /not an OpenPGP public key/],
    ['unknown gpg recipient', "\"gpg -a -e -r 'nobody@example.com' --no-tty --batch\"", /pgp command .* exited with status 2/],
  ])('a %s key: exit 1 before anything runs, nothing sent, nothing stored', async (label, pgp, message) => {
    const name = `badkey-${label.replace(/ /g, '-')}`;
    const marker = join(tmp.dir, `${name}.ran`);
    const rules = ruleFile(name, `${SECRET_BLOCKS}\ncommand <<__M\n    exec "touch ${marker}"\n__M\n`, pgp);
    const before = sink.received.length;
    const result = await report(rules);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/no report was sent or stored\n$/);
    expect(existsSync(marker)).toBe(false);
    expect((await sink.settled(before)).length).toBe(before);
    expect(spooled(name)).toEqual([]);
    expect(filesHolding(tmp.dir, SECRET)).toEqual([]);
  });

  it.each([
    ['sign-only gpg', '"gpg -a -s --no-tty --batch"', /error\[R385\]: `set pgp`: `gpg -a -s --no-tty --batch` does not encrypt/],
    ['clear-signing gpg', '"gpg --clearsign --no-tty --batch"', /error\[R385\]: .*does not encrypt/],
    ['cat', 'cat', /error\[R385\]: `set pgp`: `cat` does not encrypt/],
  ])('a %s pgp command is refused when the file is checked: nothing runs, nothing sent or stored', async (label, pgp, message) => {
    const name = `check-pgp-${label.replace(/ /g, '-')}`;
    const marker = join(tmp.dir, `${name}.ran`);
    const rules = ruleFile(name, `${SECRET_BLOCKS}\ncommand <<__M\n    exec "touch ${marker}"\n__M\n`, pgp);
    const before = sink.received.length;
    for (const args of [[rules], [rules, '--dry-run']]) {
      const result = await report(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
    expect(existsSync(marker)).toBe(false);
    expect((await sink.settled(before)).length).toBe(before);
    expect(spooled(name)).toEqual([]);
  });

  it.each([
    ['gpg -a -s --no-tty --batch', /pgp command `gpg -a -s --no-tty --batch` \(encrypting a probe, before any block runs\) did not encrypt: it is an OpenPGP message that is not encrypted \(packets: compressed data\)/],
    ['gpg -s --no-tty --batch', /\(encrypting a probe, before any block runs\) did not encrypt: .*not encrypted/],
    ['gpg --clearsign --no-tty --batch', /did not encrypt: it is armored as "-----BEGIN PGP SIGNED MESSAGE-----"/],
    ['cat', /pgp command `cat` .*did not encrypt: it is not an OpenPGP message/],
  ])('a reporter opened with the pgp command `%s` (real gpg) refuses before any block runs', async (pgp, message) => {
    const options = {
      settings: { pgp, to: 'ops@example.com', smtp: `127.0.0.1:${sink.port}`, smtp_tls: 'none', spool: 'spool-open-pgp' },
      baseDir: tmp.dir,
      stateDir: null,
      log: () => {},
    };
    for (const dryRun of [false, true]) await expect(Reporter.open({ ...options, dryRun })).rejects.toThrow(message);
    expect(spooled('open-pgp')).toEqual([]);
  });

  it('refuses a pgp command that encrypts the probe but not an attachment: names the block, nothing sent or stored', async () => {
    // Encrypts what looks like rulec's probe, signs anything else: only the real attachment shows it.
    const script = join(tmp.dir, 'sneaky-pgp.sh');
    writeFileSync(script, [
      '#!/bin/sh',
      'input=$(cat)',
      'case "$input" in',
      '  *probing*) printf "%s" "$input" | gpg -a -e -r you@example.com --batch --no-tty --trust-model always ;;',
      '  *) printf "%s" "$input" | gpg -a -s --batch --no-tty ;;',
      'esac',
    ].join('\n'), { mode: 0o755 });
    const rules = ruleFile('sneaky', SECRET_BLOCKS, script);
    const before = sink.received.length;
    for (const args of [[rules], [rules, '--dry-run']]) {
      const result = await report(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/pgp command `.*sneaky-pgp\.sh` \(encrypting secret\.txt\) did not encrypt: it is an OpenPGP message that is not encrypted/);
      expect(result.stderr).toMatch(/no report was sent or stored\n$/);
      expect(result.stdout).toBe('');
    }
    expect((await sink.settled(before)).length).toBe(before);
    expect(spooled('sneaky')).toEqual([]);
    expect(filesHolding(tmp.dir, SECRET)).toEqual([]);
  });

  it("runs the seed's MailLog settings and command block as written (pgp through gpg, --dry-run)", async () => {
    const seeds = join(REPO, 'test/fixtures/seeds');
    const text = ['maillog-settings.rules', 'maillog-command.rules'].map((f) => readFileSync(join(seeds, f), 'utf8')).join('\n');
    const work = join(tmp.dir, 'seed-cwd');
    mkdirSync(work);
    writeFileSync(join(work, 'a file'), 'x\n');
    writeFileSync(join(tmp.dir, 'seed.rules'), text);
    const out = join(tmp.dir, 'seed.eml');
    const result = await runCli(['report', join(tmp.dir, 'seed.rules'), '--dry-run', out], { cwd: work, env: { GNUPGHOME: gpg.home } });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/debug: ls\.txt: \d+ bytes, \d+ encrypted/);
    const mail = await simpleParser(readFileSync(out));
    expect(mail.to).toMatchObject({ text: 'you@example.com' });
    expect(mail.attachments.map((a) => [a.filename, a.headers.get('content-description')])).toEqual([['ls.txt', 'Show directory']]);
    expect(decrypted(mail, 'ls.txt')).toBe(execFileSync('ls', ['-l'], { cwd: work, encoding: 'utf8' }));
  });

  it('encrypts to every key of set pgp, and takes binary output from a pgp command', async () => {
    const keys = await report(ruleFile('two-keys', SECRET_BLOCKS, '"keys/ops.asc keys/backup.asc"'), '--dry-run');
    expect([keys.code, keys.stderr]).toEqual([0, '']);
    const attachment = (await simpleParser(keys.stdout)).attachments[0]!;
    expect(gpg.run(['--list-packets'], attachment.content).toString().match(/:pubkey enc packet:/g)).toHaveLength(2);
    expect(gpg.decrypt(attachment.content).toString()).toBe(`${SECRET}\nünïcode line\n`);

    const binary = await report(ruleFile('binary', SECRET_BLOCKS, '"gpg -e -r you@example.com --batch --trust-model always"'), '--dry-run');
    expect([binary.code, binary.stderr]).toEqual([0, '']);
    const mail = await simpleParser(binary.stdout);
    expect(mail.attachments[0]!.content.subarray(0, 5).toString('latin1')).not.toBe('-----');
    expect(decrypted(mail, 'secret.txt')).toBe(`${SECRET}\nünïcode line\n`);
  });

  it('bundles a TypeScript module once: an unchanged one comes from the compile cache without esbuild, an edited one is bundled again', async () => {
    const dir = join(tmp.dir, 'cached-module');
    mkdirSync(dir);
    const loads = recordLoads(dir);
    const env = { ...loads.env, XDG_CACHE_HOME: join(dir, 'cache') };
    const words = (word: string): string => `export default class Words {\n  run(out: { print(text: string): void }): void { out.print(${JSON.stringify(word)}); }\n  encrypted(): boolean { return false; }\n}\n`;
    writeFileSync(join(dir, 'words.ts'), words('first\n'));
    const rules = ruleFile('cached-module', 'module Words words ./cached-module/words.ts\nwords <<__W\n    mime_file "w.txt"\n__W');
    const attachment = async (): Promise<string> => {
      const result = await runCli(['report', rules, '--dry-run'], { cwd: tmp.dir, env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return (await simpleParser(result.stdout)).attachments[0]!.content.toString();
    };
    const esbuild = /node_modules\/esbuild\//;
    expect(await attachment()).toBe('first\n');
    expect(loads.loadedBy(esbuild)).toHaveLength(1);
    loads.clear();
    expect(await attachment()).toBe('first\n');
    expect(loads.loadedBy(esbuild)).toEqual([]);
    writeFileSync(join(dir, 'words.ts'), words('second\n'));
    expect(await attachment()).toBe('second\n');
    expect(loads.loadedBy(esbuild)).toHaveLength(1);
  });

  it("refuses the seed's Perl custom module by name, before anything runs", async () => {
    const seeds = join(REPO, 'test/fixtures/seeds');
    const text = ['maillog-settings.rules', 'maillog-command.rules', 'maillog-custom-module.rules'].map((f) => readFileSync(join(seeds, f), 'utf8')).join('\n');
    writeFileSync(join(tmp.dir, 'seed-perl.rules'), text);
    const result = await report(join(tmp.dir, 'seed-perl.rules'), '--dry-run');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/module MyModule \(\/path\/to\/MyModule\.pm\): a Perl module cannot run in rulec/);
    expect(result.stdout).toBe('');
  });

  it('runs the example custom module and a module that declares itself unencrypted', async () => {
    writeFileSync(join(tmp.dir, 'plain.ts'), [
      'export default class Plain {',
      '  constructor(private readonly context: { directives: { name: string; args: string[] }[] }) {}',
      "  mime_file(): string { return 'count.txt'; }",
      "  run(out: { print(text: string): void }): void { out.print(`${this.context.directives.length} directives\\n`); }",
      '  encrypted(): boolean { return false; }',
      '}',
    ].join('\n'));
    const rules = ruleFile('modules', [
      `source ${join(REPO, 'rules/examples/report.rules')}`,
      'set pgp keys/ops.asc',
      'module Plain plain ./plain.ts',
      'plain <<__P',
      '    one 1',
      '    two 2',
      '__P',
    ].join('\n'));
    const result = await runHere(['report', rules, '--dry-run'], { cwd: tmp.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const mail = await simpleParser(result.stdout);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['df.txt', 'digests.txt', 'UNENCRYPTED-count.txt']);
    const digest = (path: string): string => `${execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]}  ${path}\n`;
    expect(decrypted(mail, 'digests.txt')).toBe(digest('/etc/passwd') + digest('/etc/hostname'));
    expect(decrypted(mail, 'df.txt')).toMatch(/^Filesystem/);
    expect(mail.attachments[2]!.content.toString()).toBe('2 directives\n');
  });

  it('--check PRIOR compares monitor listings, as rulec monitor --check does', async () => {
    const tree = join(tmp.dir, 'tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'a.conf'), 'a\n');
    const rules = join(tmp.dir, 'monitor.rules');
    writeFileSync(rules, `monitor <<__M\n    dir ${tree}\n__M\n`);
    let listing = '';
    expect(await main(['monitor', rules], { out: (t) => void (listing += t), err: () => {} })).toBe(0);
    const prior = join(tmp.dir, 'prior.txt');
    writeFileSync(prior, listing);
    expect((await report('--check', prior, rules)).code).toBe(0);
    writeFileSync(join(tree, 'a.conf'), 'changed\n');
    const changed = await report('--check', prior, rules);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('a.conf');
  });

  it('calls finish() only once the message was accepted or spooled, never for a failed entry or a dry run', async () => {
    const finished: string[] = [];
    const entry = (name: string, run: (out: ReportOutput) => void): ReportEntry => ({
      mime_file: name,
      description: name,
      validate: () => {},
      run,
      finish: () => void finished.push(name),
      encrypted: () => true,
    });
    const entries = () => [entry('ok.txt', (out) => out.print('fine\n')), entry('bad.txt', (out) => { out.print('half'); throw new Error('boom'); })];
    const options = (dryRun: boolean) => ({
      settings: { pgp: 'keys/ops.asc', to: 'ops@example.com', smtp: `127.0.0.1:${sink.port}`, smtp_tls: 'none', spool: 'spool-finish' },
      baseDir: tmp.dir,
      stateDir: null,
      dryRun,
      log: () => {},
    });

    const dry = await (await Reporter.open(options(true))).report(entries());
    expect([dry.ok, finished]).toEqual([false, []]);

    const before = sink.received.length;
    const sent = await (await Reporter.open(options(false))).report(entries());
    expect([sent.ok, sent.spooled, finished]).toEqual([false, null, ['ok.txt']]);
    const mail = await parsedMail((await sink.settled(before + 1))[before]!.received);
    expect(decrypted(mail, 'bad.txt')).toBe('half\n[rulec: bad.txt failed: boom]\n');
    expect(mail.text).toMatch(/bad\.txt: bad\.txt \[FAILED\]/);

    await sink.down();
    const spooledRun = await (await Reporter.open(options(false))).report([entry('later.txt', (out) => out.print('x'))]);
    await sink.up();
    expect([spooledRun.ok, spooledRun.spooled !== null, finished]).toEqual([false, true, ['ok.txt', 'later.txt']]);
  });
});
