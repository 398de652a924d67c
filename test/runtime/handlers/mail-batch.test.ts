/**
 * The `mail` handler against a real SMTP server process on loopback and real gpg decrypting
 * what it sent: batches by count and by period, never plaintext, spooled while the server is
 * down and sent first when it is back, a bounded wait; and through `rulec test --alerts`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { createHandler } from '../../../runtime/handlers/create-handler.js';
import type { AlertHandler } from '../../../runtime/handlers/alert-handler.js';
import { LiveClock } from '../../../runtime/clock/clock.js';
import { Logger } from '../../../runtime/log/logger.js';
import { AlertConsumers } from '../../../runtime/sources/snort/alert-consumers.js';
import { decodeAlertpkt } from '../../../runtime/sources/snort/alertpkt.js';
import { alertOf, type SnortAlert } from '../../../runtime/sources/snort/snort-alert.js';
import { Gpg } from '../../helpers/gpg.js';
import { SmtpSink } from '../../helpers/smtp-sink.js';
import { tempDir } from '../../cli/run-cli.js';
import { snortCorpus, snortCorpusPath } from '../sources/snort/helpers.js';

const SECRET = 'VOIP-SIP-UDP From header unquoted tokens';

let tmp: ReturnType<typeof tempDir>;
let gpg: Gpg;
let sink: SmtpSink;
let mailDir: string;

beforeAll(async () => {
  tmp = tempDir('rulec-mail-handler-');
  mailDir = join(tmp.dir, 'mail');
  mkdirSync(mailDir);
  mkdirSync(join(tmp.dir, 'keys'));
  gpg = Gpg.withKey('ops <ops@example.com>', join(tmp.dir, 'keys/ops.asc'));
  writeFileSync(join(tmp.dir, 'keys/garbage.asc'), 'not a key\n');
  sink = await SmtpSink.start(mailDir);
}, 60_000);

afterAll(() => {
  sink?.stop();
  gpg?.dispose();
  tmp?.remove();
});

function settings(spool: string, pgp = 'keys/ops.asc'): Record<string, string> {
  return { to: 'ops@example.com', from: 'rulec@example.com', pgp, smtp: `127.0.0.1:${sink.port}`, smtp_tls: 'none', host: 'ids-1', spool };
}

const quiet = new Logger({ level: 'error' });

function mailHandler(spool: string, options: Record<string, string>, pgp?: string): AlertHandler {
  return createHandler({ name: 'mail', options }, { log: quiet, output: 'none', terminal: 'none', mail: { settings: settings(spool, pgp), baseDir: tmp.dir, stateDir: null } });
}

/** The real alert with event id `id`. */
function alert(id: number): SnortAlert {
  const decoded = decodeAlertpkt(snortCorpus('test_alert.bin'), 'snort2', 'little');
  if (!decoded.ok) throw new Error(decoded.error);
  return alertOf({ ...decoded.alert, event_id: id }, 'test', new Map());
}

async function received(from: number, count: number): Promise<ParsedMail[]> {
  const got = await sink.settled(from + count);
  expect(got.length).toBe(from + count);
  return Promise.all(got.slice(from).map((r) => simpleParser(readFileSync(join(mailDir, r.received)))));
}

/** The event ids of the alerts in a mail's one attachment, as gpg decrypts it. */
function eventIds(mail: ParsedMail): number[] {
  expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['snort-alerts.jsonl', 'application/pgp-encrypted']]);
  const plain = gpg.decrypt(mail.attachments[0]!.content).toString('utf8');
  return plain.trim().split('\n').map((line) => (JSON.parse(line) as { event_id: number }).event_id);
}

function spooled(spool: string): string[] {
  const dir = join(tmp.dir, spool);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
}

describe('the mail handler', () => {
  it('mails a batch each `count` alerts, encrypted, and what is left when it closes', async () => {
    const before = sink.received.length;
    const handler = mailHandler('spool-count', { count: '3', every: '1h' });
    await handler.open!();
    for (let id = 1; id <= 7; id++) handler.handle(alert(id));
    const [first, second] = await received(before, 2);
    expect([eventIds(first!), eventIds(second!)]).toEqual([[1, 2, 3], [4, 5, 6]]);
    await handler.close(10_000);
    const [, , last] = await received(before, 3);
    expect(eventIds(last!)).toEqual([7]);
    for (const r of sink.received.slice(before)) expect(readFileSync(join(mailDir, r.received)).includes(SECRET)).toBe(false);
    expect(first!.subject).toMatch(/^rulec: Snort alerts from ids-1, \d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(handler.stats()).toEqual({ name: 'mail', handled: 7, failed: 0, dropped: 0 });
    expect(spooled('spool-count')).toEqual([]);
  });

  it('mails what waited `every` seconds though fewer than `count` came', async () => {
    const before = sink.received.length;
    const handler = mailHandler('spool-every', { count: '100', every: '1s' });
    await handler.open!();
    handler.handle(alert(1));
    handler.handle(alert(2));
    const [mail] = await received(before, 1);
    expect(eventIds(mail!)).toEqual([1, 2]);
    await handler.close(5_000);
    expect((await sink.settled(before + 1)).length).toBe(before + 1);
  });

  it('spools a batch, encrypted, while the server is down and sends it first when it is back', async () => {
    const handler = mailHandler('spool-down', { count: '2', every: '1h' });
    await handler.open!();
    await sink.down();
    try {
      handler.handle(alert(1));
      handler.handle(alert(2));
      expect(await waitForSpool('spool-down', 1)).toBe(true);
      expect(readFileSync(join(tmp.dir, 'spool-down', spooled('spool-down')[0]!)).includes(SECRET)).toBe(false);
    } finally {
      await sink.up();
    }
    const before = sink.received.length;
    handler.handle(alert(3));
    handler.handle(alert(4));
    const mails = await received(before, 2);
    expect(mails.map(eventIds)).toEqual([[1, 2], [3, 4]]);
    expect(spooled('spool-down')).toEqual([]);
    await handler.close(5_000);
    expect(handler.stats()).toEqual({ name: 'mail', handled: 4, failed: 0, dropped: 0 });
  });

  it('holds at most `max` alerts, dropping the oldest and counting them', async () => {
    const before = sink.received.length;
    const handler = mailHandler('spool-max', { count: '100', every: '1h', max: '3' });
    await handler.open!();
    for (let id = 1; id <= 10; id++) handler.handle(alert(id));
    await handler.close(10_000);
    const [mail] = await received(before, 1);
    expect(eventIds(mail!)).toEqual([8, 9, 10]);
    expect(handler.stats()).toEqual({ name: 'mail', handled: 3, failed: 0, dropped: 7 });
  });

  it('does not open without a key it can encrypt to: nothing is sent or stored', async () => {
    const before = sink.received.length;
    const handler = mailHandler('spool-garbage', { count: '1' }, 'keys/garbage.asc');
    await expect(handler.open!()).rejects.toThrow(/not an OpenPGP public key/);
    expect((await sink.settled(before)).length).toBe(before);
  });

  it('is handed over by a reload only while the rule file\'s mail settings are the same', async () => {
    const block = { kind: 'snort' as const, logdir: tmp.dir, variant: 'snort2' as const, handlers: [{ name: 'mail', options: { count: '100', every: '1h' } }], rules: [] };
    const deps = (to: string) => ({
      log: quiet,
      clock: new LiveClock(),
      actions: { submit: () => undefined },
      handlers: { log: quiet, output: 'none', terminal: 'none', mail: { settings: { ...settings('spool-reload'), to }, baseDir: tmp.dir, stateDir: null } },
    });
    const first = await AlertConsumers.open(block, undefined, deps('ops@example.com'));
    first.feed(alert(1));
    const same = await AlertConsumers.open(block, undefined, deps('ops@example.com'), first);
    await first.close(1_000);
    same.feed(alert(2));
    // The batch of the first went on in the second: one handler that holds both alerts.
    expect(same.stats().handlers).toEqual([{ name: 'mail', handled: 0, failed: 0, dropped: 0 }]);
    const before = sink.received.length;
    const other = await AlertConsumers.open(block, undefined, deps('security@example.com'), same);
    const closed = await same.close(10_000);
    const [mail] = await received(before, 1);
    expect(eventIds(mail!)).toEqual([1, 2]);
    expect(sink.received.at(-1)!.to).toEqual(['ops@example.com']);
    expect(closed.handlers).toEqual([{ name: 'mail', handled: 2, failed: 0, dropped: 0 }]);
    await other.close(1_000);
  });

  it('gets the alerts rulec test --alerts replays, mailed in batches with the rule file\'s settings', async () => {
    const rules = join(tmp.dir, 'replay.rules');
    writeFileSync(rules, [
      ...Object.entries(settings('spool-replay')).map(([key, value]) => `set ${key} "${value}"`),
      `snort <<__S\n    logdir ${tmp.dir}\n    handler mail count=4 every=1h\n__S\n`,
    ].join('\n'));
    const before = sink.received.length;
    let out = '';
    let err = '';
    const code = await main(['test', rules, '--alerts', snortCorpusPath('idstools_merged.unified2')], { out: (t) => void (out += t), err: (t) => void (err += t) });
    expect([code, err]).toEqual([0, '']);
    expect(out).toContain('handler mail: 6 handled\n');
    const mails = await received(before, 2);
    expect(mails.map(eventIds)).toEqual([[1, 2, 3, 4], [5, 6]]);
  });
});

async function waitForSpool(spool: string, count: number): Promise<boolean> {
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    if (spooled(spool).length >= count) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
