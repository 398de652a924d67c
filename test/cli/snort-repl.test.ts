import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendDatagrams } from '../../bench/snort-sender.js';
import { waitFor } from '../helpers/wait-for.js';
import { snortCorpus } from '../runtime/sources/snort/helpers.js';
import { BIN, tempDir } from './run-cli.js';

const REAL = snortCorpus('test_alert.bin');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('rulec snort --repl', () => {
  // `script` (util-linux, Essential on Debian) gives the listener a real pseudo-terminal.
  it('opens a REPL per alert in a real terminal, with the alert as msg', async () => {
    const { dir, remove } = tempDir('rulec-snort-repl-');
    const command = [process.execPath, BIN, 'snort', '--logdir', dir, '--repl'].map((w) => `'${w}'`).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    cleanups.push(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
      remove();
    });
    let screen = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (screen += c));
    const type = (text: string): void => void child.stdin.write(text);
    expect(await waitFor(() => screen.includes('listening on'), 20_000)).toBe(true);
    expect(screen).toContain('a Node REPL starts with the alert as `msg` in scope');

    sendDatagrams(join(dir, 'snort_alert'), [REAL, REAL]);
    expect(await waitFor(() => screen.includes('msg> '), 20_000)).toBe(true);
    expect(screen).toContain('alert [1:20326:1] VOIP-SIP-UDP From header unquoted tokens in field attempt');
    type('msg.priority * 100\r');
    expect(await waitFor(() => screen.includes('200'), 20_000)).toBe(true);
    type('`${msg.src}:${msg.sport} -> ${msg.dport}`\r');
    expect(await waitFor(() => screen.includes("'127.0.0.1:58896 -> 5060'"), 20_000)).toBe(true);
    type('.exit\r');
    // The second alert gets a REPL of its own.
    const before = screen.split('msg> ').length;
    expect(await waitFor(() => screen.split('alert [1:20326:1]').length === 3 && screen.split('msg> ').length > before, 20_000)).toBe(true);
    type('msg.msg.length\r');
    expect(await waitFor(() => screen.includes('57'), 20_000)).toBe(true);
  });
});
