/** Where the alert sockets go: `--logdir`, else snort.conf's `config logdir:`, else /var/log/snort (issue 18 §1). */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOGDIR, DEFAULT_SNORT_CONF, logdirOfConf, resolveLogdir, socketPaths } from '../../../../runtime/sources/snort/logdir.js';
import { scratchDirs } from './helpers.js';

const scratch = scratchDirs();

/** A snort.conf as Snort ships it, cut down: comments, other config lines, includes. */
const CONF = [
  '#--------------------------------------------------',
  '#   VRT Rule Packages Snort.conf',
  '# config logdir: /commented/out',
  'ipvar HOME_NET any',
  'var RULE_PATH ../rules',
  'config disable_decode_alerts',
  'config logdir: /srv/snort/log',
  'include classification.config',
  'output alert_unixsock',
  '',
].join('\n');

describe('logdirOfConf', () => {
  it('reads the config logdir: line and not a commented one', () => {
    expect(logdirOfConf(CONF)).toBe('/srv/snort/log');
  });

  it('takes the last of several, as Snort does, and tolerates CRLF, blanks and no space after the colon', () => {
    expect(logdirOfConf('config logdir: /a\r\n  config   logdir:/b  \r\nconfig logdir : /c d\r\n')).toBe('/c d');
  });

  it('is null without one (an empty value, another config, a commented one)', () => {
    expect(logdirOfConf('')).toBeNull();
    expect(logdirOfConf('config logdir:\nconfig logdirs: /x\n#config logdir: /y\nconfig log_dir: /z\n')).toBeNull();
  });
});

describe('resolveLogdir', () => {
  it('takes --logdir over everything, without reading snort.conf', () => {
    const conf = join(scratch(), 'snort.conf');
    writeFileSync(conf, CONF);
    expect(resolveLogdir('/given/dir', conf)).toEqual({ logdir: '/given/dir', from: 'given' });
  });

  it('takes snort.conf\'s logdir and says which file it came from', () => {
    const conf = join(scratch(), 'snort.conf');
    writeFileSync(conf, CONF);
    expect(resolveLogdir(null, conf)).toEqual({ logdir: '/srv/snort/log', from: conf });
  });

  it('falls back to /var/log/snort when snort.conf has no logdir, or is missing, or is a directory', () => {
    const dir = scratch();
    const conf = join(dir, 'snort.conf');
    writeFileSync(conf, 'config disable_decode_alerts\n');
    expect(DEFAULT_LOGDIR).toBe('/var/log/snort');
    expect(resolveLogdir(null, conf)).toEqual({ logdir: DEFAULT_LOGDIR, from: 'default' });
    expect(resolveLogdir(null, join(dir, 'missing.conf'))).toEqual({ logdir: DEFAULT_LOGDIR, from: 'default' });
    expect(resolveLogdir(null, dir)).toEqual({ logdir: DEFAULT_LOGDIR, from: 'default' });
  });

  it('reads /etc/snort/snort.conf when no snort.conf is named', () => {
    expect(DEFAULT_SNORT_CONF).toBe('/etc/snort/snort.conf');
    const resolved = resolveLogdir(null);
    // This machine may or may not have Snort installed; either way the answer names its origin.
    if (existsSync(DEFAULT_SNORT_CONF)) expect(['default', DEFAULT_SNORT_CONF]).toContain(resolved.from);
    else expect(resolved).toEqual({ logdir: DEFAULT_LOGDIR, from: 'default' });
  });
});

describe('socketPaths', () => {
  it('is <logdir>/snort_alert for Snort 2, <logdir>/<N>_snort_alert per packet thread for Snort 3', () => {
    expect(socketPaths('/l', 1)).toEqual(['/l/snort_alert']);
    expect(socketPaths('/l', 3)).toEqual(['/l/0_snort_alert', '/l/1_snort_alert', '/l/2_snort_alert']);
  });
});
