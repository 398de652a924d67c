/**
 * `rulec snort --snort-conf`, `--debug` and Pigear's `--data-handler`, in this process through
 * the CLI's `main`, with the real datagram sent over the real socket (issue 18 §1, §4).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendDatagrams } from '../../bench/snort-sender.js';
import { waitFor } from '../helpers/wait-for.js';
import { snortCorpus } from '../runtime/sources/snort/helpers.js';
import { tempDir } from './run-cli.js';
import { snortInProcess } from './snort-here.js';

const REAL = snortCorpus('test_alert.bin');
const FAST = '[1:20326:1] VOIP-SIP-UDP From header unquoted tokens in field attempt [Classification: attempted-dos] [Priority: 2] {UDP} 127.0.0.1:58896 -> 127.0.0.1:5060';
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function scratch(): string {
  const { dir, remove } = tempDir('rulec-snort-options-');
  cleanups.push(remove);
  return dir;
}

/** `rulec snort ARGS` in this process (cwd `cwd`). */
function snortHere(args: string[], cwd: string) {
  return snortInProcess(args, cleanups, cwd);
}

/** A snort.conf naming `logdir`, with Snort's classification.config beside it (as Snort's include finds it). */
function snortConf(dir: string, logdir: string): string {
  mkdirSync(logdir, { recursive: true });
  const conf = join(dir, 'etc', 'snort.conf');
  mkdirSync(join(dir, 'etc'));
  writeFileSync(conf, `# config logdir: /var/log/elsewhere\nipvar HOME_NET any\nconfig logdir: ${logdir}\ninclude classification.config\noutput alert_unixsock\n`);
  writeFileSync(join(dir, 'etc', 'classification.config'), snortCorpus('idstools_classification.config.txt'));
  return conf;
}

describe('rulec snort --snort-conf', () => {
  it('listens in the config logdir: of the named snort.conf, and names classifications from the classification.config beside it', async () => {
    const dir = scratch();
    const logdir = join(dir, 'snort-log');
    const conf = snortConf(dir, logdir);
    const snort = snortHere(['--snort-conf', conf], dir);
    expect(await waitFor(() => snort.out.stderr.includes('listening on'), 20_000)).toBe(true);
    expect(snort.out.stderr).toContain(`log directory ${logdir} (from ${conf})`);
    expect(snort.out.stderr).toContain(`listening on ${join(logdir, 'snort_alert')}`);
    sendDatagrams(join(logdir, 'snort_alert'), [REAL]);
    expect(await waitFor(() => snort.out.stdout.includes('\n'), 20_000)).toBe(true);
    expect(JSON.parse(snort.out.stdout.split('\n')[0]!)).toMatchObject({ sig_id: 20326, classification: 7, classification_name: 'attempted-dos' });
    expect(await snort.stop()).toBe(0);
    expect(snort.out.stderr).toContain(`${logdir}: 1 datagram(s) received, 1 alert(s), 0 bad`);
  });

  it('reads a relative --snort-conf from the working directory it was given', async () => {
    const dir = scratch();
    const logdir = join(dir, 'rel-log');
    snortConf(dir, logdir);
    const snort = snortHere(['--snort-conf', join('etc', 'snort.conf')], dir);
    expect(await waitFor(() => snort.out.stderr.includes('listening on') || snort.out.code !== null, 20_000)).toBe(true);
    expect(snort.out.stderr).toContain(`log directory ${logdir} (from ${join(dir, 'etc', 'snort.conf')})`);
    expect(await snort.stop()).toBe(0);
  });

  it('refuses a named classification.config it cannot read, before listening, saying which', async () => {
    const dir = scratch();
    const missing = join(dir, 'none.config');
    const snort = snortHere(['--logdir', dir, '--classification-config', missing], dir);
    expect(await snort.done).toBe(1);
    expect(snort.out.stderr).toContain(`cannot listen: cannot read ${missing}: ENOENT`);
    expect(snort.out.stderr).not.toContain('listening on');
  });

  it('takes --logdir over snort.conf\'s, saying so', async () => {
    const dir = scratch();
    const conf = snortConf(dir, join(dir, 'conf-log'));
    const given = join(dir, 'given');
    mkdirSync(given);
    const snort = snortHere(['--snort-conf', conf, '--logdir', given], dir);
    expect(await waitFor(() => snort.out.stderr.includes('listening on'), 20_000)).toBe(true);
    expect(snort.out.stderr).toContain(`log directory ${given} (as given)`);
    expect(snort.out.stderr).toContain(`listening on ${join(given, 'snort_alert')}`);
    expect(await snort.stop()).toBe(0);
  });
});

describe('rulec snort --debug', () => {
  it('logs each alert in alert_fast form on stderr, in the order sent; without --debug it logs none', async () => {
    const dir = scratch();
    const debug = snortHere(['--logdir', dir, '--debug'], dir);
    expect(await waitFor(() => debug.out.stderr.includes('listening on'), 20_000)).toBe(true);
    const second = Buffer.from(REAL);
    second.writeUInt32LE(20327, 65828 + 4); // sig_id
    sendDatagrams(join(dir, 'snort_alert'), [REAL, second]);
    expect(await waitFor(() => debug.out.stdout.split('\n').length === 3, 20_000)).toBe(true);
    expect(await debug.stop()).toBe(0);
    const alertLines = debug.out.stderr.split('\n').filter((l) => l.includes('alert from'));
    expect(alertLines).toHaveLength(2);
    expect(alertLines[0]).toContain('[1:20326:1] VOIP-SIP-UDP');
    expect(alertLines[1]).toContain('[1:20327:1] VOIP-SIP-UDP');
    expect(alertLines[0]).toContain('{UDP} 127.0.0.1:58896 -> 127.0.0.1:5060');

    const quiet = scratch();
    const plain = snortHere(['--logdir', quiet], quiet);
    expect(await waitFor(() => plain.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(join(quiet, 'snort_alert'), [REAL]);
    expect(await waitFor(() => plain.out.stdout.includes('\n'), 20_000)).toBe(true);
    expect(await plain.stop()).toBe(0);
    expect(plain.out.stderr).not.toContain('alert from');
  });

  it('names the classification in the debug line when classification.config is given', async () => {
    const dir = scratch();
    const conf = snortConf(dir, join(dir, 'log'));
    const snort = snortHere(['--snort-conf', conf, '--debug'], dir);
    expect(await waitFor(() => snort.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(join(dir, 'log', 'snort_alert'), [REAL]);
    expect(await waitFor(() => snort.out.stderr.includes('alert from'), 20_000)).toBe(true);
    expect(await snort.stop()).toBe(0);
    expect(snort.out.stderr).toContain(FAST);
  });
});

describe('rulec snort --data-handler (Pigear\'s option and class names)', () => {
  it('takes pigear.core.DataHandler as the json handler, with its key=value options', async () => {
    const dir = scratch();
    const file = join(dir, 'alerts.jsonl');
    const snort = snortHere(['--logdir', dir, '--data-handler', 'pigear.core.DataHandler', `file=${file}`], dir);
    expect(await waitFor(() => snort.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(join(dir, 'snort_alert'), [REAL, REAL]);
    expect(await waitFor(() => { try { return readFileSync(file, 'utf8').split('\n').length === 3; } catch { return false; } }, 20_000)).toBe(true);
    expect(await snort.stop()).toBe(0);
    // The file took them, not stdout.
    expect(snort.out.stdout).toBe('');
    const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => [r.sig_id, r.src, r.sport, r.dst, r.dport])).toEqual([[20326, '127.0.0.1', 58896, '127.0.0.1', 5060], [20326, '127.0.0.1', 58896, '127.0.0.1', 5060]]);
  });

  it('takes --data-handler=NAME too, and refuses a class it does not know by name', async () => {
    const dir = scratch();
    const inline = snortHere(['--logdir', dir, '--data-handler=json'], dir);
    expect(await waitFor(() => inline.out.stderr.includes('listening on'), 20_000)).toBe(true);
    sendDatagrams(join(dir, 'snort_alert'), [REAL]);
    expect(await waitFor(() => inline.out.stdout.includes('\n'), 20_000)).toBe(true);
    expect(await inline.stop()).toBe(0);
    expect(JSON.parse(inline.out.stdout.trim())).toMatchObject({ sig_id: 20326 });

    const other = scratch();
    const unknown = snortHere(['--logdir', other, '--data-handler', 'pigear.contrib.NoSuchHandler'], other);
    expect(await unknown.done).toBe(1);
    expect(unknown.out.stderr).toContain('pigear.contrib.NoSuchHandler');
    expect(unknown.out.stdout).toBe('');
  });
});
