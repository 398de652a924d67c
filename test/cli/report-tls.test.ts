/**
 * `rulec report` over STARTTLS to a real SMTP server process that offers it with a certificate
 * made for the test (openssl): delivered when `smtp_ca` trusts it, spooled (never sent in the
 * clear) when nothing does.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { Gpg } from '../helpers/gpg.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { loopbackCert } from '../helpers/tls-cert.js';
import { tempDir } from './run-cli.js';

let tmp: ReturnType<typeof tempDir>;
let gpg: Gpg;
let sink: SmtpSink;

beforeAll(async () => {
  tmp = tempDir('rulec-report-tls-');
  mkdirSync(join(tmp.dir, 'mail'));
  const tls = loopbackCert(tmp.dir);
  gpg = Gpg.withKey('ops <ops@example.com>', join(tmp.dir, 'ops.asc'));
  sink = await SmtpSink.start(join(tmp.dir, 'mail'), tls);
}, 60_000);

afterAll(() => {
  sink?.stop();
  gpg?.dispose();
  tmp?.remove();
});

async function report(name: string, tlsLines: string): Promise<{ code: number; stderr: string }> {
  const file = join(tmp.dir, `${name}.rules`);
  writeFileSync(file, [
    'set pgp ops.asc',
    'set to ops@example.com',
    `set smtp "127.0.0.1:${sink.port}"`,
    tlsLines,
    `set spool spool-${name}`,
    "command <<__C\n    exec 'echo hello'\n__C",
  ].join('\n'));
  let stderr = '';
  const code = await main(['report', file], { out: () => {}, err: (t) => void (stderr += t) });
  return { code, stderr };
}

describe('rulec report over STARTTLS', () => {
  it('delivers over TLS to a server whose certificate smtp_ca trusts', async () => {
    const result = await report('trusted', 'set smtp_tls starttls\nset smtp_ca cert.pem');
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect((await sink.settled(1)).map((r) => r.secure)).toEqual([true]);
  });

  it('spools instead of sending when the certificate is not trusted', async () => {
    const result = await report('untrusted', 'set smtp_tls starttls');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not take the report \(.*(self-signed|certificate).*\); spooled as /i);
    expect(await sink.settled(1)).toHaveLength(1);
    expect(readdirSync(join(tmp.dir, 'spool-untrusted')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  });
});
