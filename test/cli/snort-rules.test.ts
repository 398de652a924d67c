import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendDatagrams } from '../../bench/snort-sender.js';
import { main } from '../../cli/main.js';
import { completeJsonLines } from '../helpers/json-lines.js';
import { waitFor } from '../helpers/wait-for.js';
import { snortCorpus, snortCorpusPath } from '../runtime/sources/snort/helpers.js';
import { REPO, tempDir } from './run-cli.js';

const REAL = snortCorpus('test_alert.bin');
const DUMP = join(REPO, 'test/runtime/actions/argv-dump.mjs');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('rulec snort FILE: rules over alerts', () => {
  it('counts alerts per source address in a window and runs the actions with the alert fields as argv', async () => {
    const { dir, remove } = tempDir('rulec-snort-rules-');
    const dump = join(dir, 'argv.jsonl');
    const rules = join(dir, 'snort.rules');
    writeFileSync(rules, `[SIP_FLOOD]
snort          = ${dir}
msg            = ^VOIP-SIP
src            = 127.0.0.0/8, !127.0.0.2
dport          = 5060-5061
proto          = udp
key            = $src
upbound_freq   = 2/60
upbound_action = ${process.execPath} ${DUMP} flood "$src" "$msg" $sid "\${classification}"

[OTHER_PORT]
snort          = ${dir}
dport          = 80
upbound_action = ${process.execPath} ${DUMP} never

snort <<__SNORT
    logdir ${dir}
    classification_config ${snortCorpusPath('idstools_classification.config.txt')}
    handler json file=${join(dir, 'alerts.jsonl')}
    rule EVERY <<__R
        priority 1-2
        upbound_action ${process.execPath} ${DUMP} every "$0"
    __R
__SNORT
`);
    // In this process through the CLI's `main`: the actions' environment is this process's.
    process.env.DUMP_FILE = dump;
    let stderr = '';
    let code: number | null = null;
    const done = main(['snort', rules], { out: () => {}, err: (t) => void (stderr += t) }).then((c) => (code = c));
    cleanups.push(() => {
      // SIGTERM as its handler sees it: the event, not a signal to this process.
      if (code === null) process.emit('SIGTERM', 'SIGTERM');
      delete process.env.DUMP_FILE;
      remove();
    });
    expect(await waitFor(() => stderr.includes('listening on'), 20_000)).toBe(true);
    expect(stderr).toContain('3 rule(s), handlers: json');
    sendDatagrams(join(dir, 'snort_alert'), [REAL, REAL, REAL]);
    expect(await waitFor(() => completeJsonLines(dump).length === 4, 20_000)).toBe(true);
    const runs = completeJsonLines<{ argv: string[]; env: Record<string, string> }>(dump);
    const line = '[1:20326:1] VOIP-SIP-UDP From header unquoted tokens in field attempt [Classification: attempted-dos] [Priority: 2] {UDP} 127.0.0.1:58896 -> 127.0.0.1:5060';
    expect(runs.filter((r) => r.argv[0] === 'every').map((r) => r.argv)).toEqual([['every', line], ['every', line], ['every', line]]);
    // More than 2 in 60 s from 127.0.0.1: the third alert fires, once.
    expect(runs.filter((r) => r.argv[0] === 'flood')).toEqual([
      { argv: ['flood', '127.0.0.1', 'VOIP-SIP-UDP From header unquoted tokens in field attempt', '20326', 'attempted-dos'], env: { RULEC_ITEM: 'SIP_FLOOD' } },
    ]);
    expect(completeJsonLines(join(dir, 'alerts.jsonl')).length).toBe(3);
    process.emit('SIGTERM', 'SIGTERM');
    expect(await done).toBe(0);
    expect(stderr).toContain(`${dir}: 3 datagram(s) received, 3 alert(s), 0 bad`);
  });
});
