/**
 * `every` digests as a daemon runs them (WatchDigests, the service `rulec run` has): a real log
 * written on disk, a real SMTP server process on loopback, real gpg decrypting each digest. The
 * period is a ManualClock's, so a test needs no hour; the SMTP delivery is real and awaited.
 */
import { appendFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuleFile } from '../../../../cli/load-rules.js';
import { ManualClock } from '../../../../runtime/clock/manual-clock.js';
import type { RuleModule } from '../../../../runtime/contract.js';
import { coverageOf, describeLeft } from '../../../../runtime/daemon/coverage.js';
import { DAEMON_SERVICES } from '../../../../runtime/daemon/services.js';
import { Logger } from '../../../../runtime/log/logger.js';
import { WATCH_DIGEST_SERVICE, WatchDigests } from '../../../../runtime/sources/watch/digest-service.js';
import { Gpg } from '../../../helpers/gpg.js';
import { SmtpSink } from '../../../helpers/smtp-sink.js';
import { waitFor } from '../../../helpers/wait-for.js';
import { tempDir } from '../../../cli/run-cli.js';

let tmp: ReturnType<typeof tempDir>;
let gpg: Gpg;
let sink: SmtpSink;
let mailDir: string;

beforeAll(async () => {
  tmp = tempDir('rulec-digest-');
  mailDir = join(tmp.dir, 'mail');
  mkdirSync(mailDir);
  gpg = Gpg.withKey('ops <ops@example.com>', join(tmp.dir, 'ops.asc'));
  sink = await SmtpSink.start(mailDir);
}, 60_000);

afterAll(() => {
  sink?.stop();
  gpg?.dispose();
  tmp?.remove();
});

async function moduleOf(name: string, body: string): Promise<RuleModule> {
  const settings = ['set pgp ops.asc', "set to 'ops@example.com'", "set from 'rulec@example.com'", `set smtp "127.0.0.1:${sink.port}"`, 'set smtp_tls none', 'set host web-1'];
  const file = join(tmp.dir, `${name}.rules`);
  writeFileSync(file, [...settings, '[general]', `state = ${join(tmp.dir, `state-${name}`)}`, '', body].join('\n'));
  const loaded = await loadRuleFile(file);
  expect(loaded.report).toBe('');
  return loaded.module!;
}

const watchBlock = (log: string): string => ['watch <<__END', `    logfile ${log}`, '    mime_file "digest.txt"', '    ignore =~ /MARK/', '    every 1h', '__END', ''].join('\n');

function logger(): { log: Logger; text: () => string } {
  let text = '';
  return { log: new Logger({ level: 'debug', stdout: { write: (t: string) => void (text += t) } }), text: () => text };
}

/** The decrypted digest attachment of the sink's message `received`. */
async function digestOf(received: string): Promise<string> {
  const mail = await simpleParser(readFileSync(join(mailDir, received)));
  expect(mail.attachments.map((a) => a.filename)).toEqual(['digest.txt']);
  expect(mail.subject).toMatch(/^rulec: unusual lines from web-1, \d{4}-\d\d-\d\d \d\d:\d\d$/);
  return gpg.decrypt(mail.attachments[0]!.content).toString('utf8');
}

describe('watch digests (every)', () => {
  it('mails each period\'s unusual lines once, from where the log ended at the start; nothing when there are none; a spooled one goes first when the server is back', async () => {
    const log = join(tmp.dir, 'syslog');
    writeFileSync(log, 'old line, before the daemon\n');
    const module = await moduleOf('digest', watchBlock(log));
    const clock = new ManualClock(Date.now());
    const { log: own, text } = logger();
    const digests = new WatchDigests({ log: own, clock, baseDir: tmp.dir });
    await digests.start([module]);
    const before = sink.received.length;
    const fire = async (): Promise<void> => {
      clock.advance(3600 * 1000);
      // The digest runs and mails asynchronously: it is done once the next period is armed.
      await waitFor(() => clock.pending() === 1, 20_000);
    };
    try {
      appendFileSync(log, '-- MARK --\nfirst unusual\nsecond unusual\n');
      await fire();
      expect(await digestOf((await sink.settled(before + 1))[before]!.received)).toBe('first unusual\nsecond unusual\n');

      appendFileSync(log, '-- MARK --\n');
      await fire();
      expect(sink.received.length).toBe(before + 1);

      await sink.down();
      appendFileSync(log, 'while the server was down\n');
      await fire();
      expect(readdirSync(join(tmp.dir, 'state-digest', 'spool')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
      await sink.up();
      appendFileSync(log, 'after it came back\n');
      await fire();
      const received = await sink.settled(before + 3);
      expect(received).toHaveLength(before + 3);
      expect(await digestOf(received[before + 1]!.received)).toBe('while the server was down\n');
      expect(await digestOf(received[before + 2]!.received)).toBe('after it came back\n');
      expect(text()).toContain('the digest was spooled');
    } finally {
      await digests.stop();
    }
    expect(digests.stats().counts).toEqual({ 'digest(s) mailed': 2, 'period(s) without unusual lines': 1, 'digest(s) failed': 1 });
  }, 60_000);

  it('refuses to start without the mail settings a digest needs (R367, as rulec check), and is what rulec run serves of a watch block', async () => {
    // rulec check refuses such a file; a module from elsewhere is refused by rulec run too.
    const module = { ...(await moduleOf('nomail', watchBlock(join(tmp.dir, 'other.log')))), settings: {} };
    expect(WATCH_DIGEST_SERVICE.check!([module], { output: 'none', terminal: 'none', baseDir: tmp.dir })).toEqual([
      expect.stringMatching(/^watch block on .*other\.log has `every`, which mails digests: .*nomail\.rules needs `set to`, `set pgp`, `set smtp` \(R367\)$/),
    ]);
    const plain = await moduleOf('plain', `watch <<__END\n    logfile ${join(tmp.dir, 'x.log')}\n__END\n${watchBlock(join(tmp.dir, 'y.log'))}`);
    const coverage = coverageOf([plain], DAEMON_SERVICES);
    expect(coverage.served.get('watch')).toBe(1);
    expect(describeLeft(coverage)).toEqual(['1 watch block is not run here: rulec report runs it']);
  });
});
