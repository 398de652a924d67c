import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { main } from '../../cli/main.js';
import { BIN, REPO } from './run-cli.js';

describe('rulec demo', () => {
  it('watches its synthetic log, fires brute force, absence and size alarms, and prints a summary about its 10 s after it starts watching', async () => {
    // In process, each piece of output timed: start-up (compiling on a busy machine) is not what
    // the demo's length is about, and no bound here depends on an idle machine.
    const pieces: { text: string; at: number }[] = [];
    let stderr = '';
    const code = await main(['demo'], { cwd: REPO, out: (text) => void pieces.push({ text, at: Date.now() }), err: (text) => void (stderr += text) });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const when = (what: RegExp): number => pieces.find((p) => what.test(p.text))?.at ?? Number.NaN;
    const watched = when(/summary/) - when(/^rulec demo: watching /);
    // It writes for its 10 s, then gives its actions up to 4 s: the loop and the drain bound it.
    expect(watched).toBeGreaterThanOrEqual(10_000);
    expect(watched).toBeLessThan(25_000);
    const result = { stdout: pieces.map((p) => p.text).join('') };
    const out = result.stdout;
    const written = Number(/lines written (\d+)/.exec(out)?.[1]);
    const read = Number(/lines read (\d+)/.exec(out)?.[1]);
    expect(written).toBeGreaterThan(2_000);
    expect(read).toBe(written);
    const fires = (item: string, kind: string): number => Number(new RegExp(`${item}: (?:\\d+ matched|counts every line \\(\\d+\\)), fires: .*${kind} (\\d+)`).exec(out)?.[1]);
    // Two bursting addresses fire once each: 8 failures in 1 s, and 12 in 2 s, whose last ones the
    // key's rest after a fire holds off (upbound_holdoff, default the window's 10 s); the rare
    // ordinary failures, spread over 200 hosts, never reach 6.
    expect(fires('BRUTE_FORCE', 'upbound')).toBe(2);
    expect(fires('HEARTBEAT_LOST', 'downbound')).toBeGreaterThanOrEqual(1);
    expect(fires('LOG_SIZE', 'size')).toBeGreaterThanOrEqual(2);
    const total = fires('BRUTE_FORCE', 'upbound') + fires('HEARTBEAT_LOST', 'downbound') + fires('LOG_SIZE', 'size');
    // Every fire ran the notify script, which counted itself in notify.log.
    expect(out).toContain(`actions run ${total} (submitted ${total}, exited 0 ${total}, failed 0)`);
    expect(out).toMatch(/\[demo-notify\] brute force from 203\.0\.113\.7/);
    expect(out).toMatch(/\[demo-notify\] brute force from 198\.51\.100\.23/);
    expect(out).toMatch(/\[demo-notify\] heartbeat missing/);
    expect(out).toMatch(/ {2}LOG_SIZE: counts every line \(\d+\), fires/);
  });

  for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} ends it early with its summary, exit ${exitCode}, and removes its temp directory`, async () => {
      const child = spawn(process.execPath, [BIN, 'demo', '--seconds', '30'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(await waitFor(() => /watching (\S+)\/auth\.log/.test(out) && out.includes('following'), 20_000)).toBe(true);
      const dir = /watching (\S+)\/auth\.log/.exec(out)![1]!;
      expect(existsSync(dir)).toBe(true);
      child.kill(signal);
      expect(await code).toBe(exitCode);
      clearTimeout(killer);
      expect(out).toMatch(/summary\n {2}lines written \d+, lines read \d+\n[\s\S]* {2}interrupted\n$/);
      expect(existsSync(dir)).toBe(false);
    }, 30_000);
  }

  it('ends quietly when the reader goes away just before its summary (| head -2)', async () => {
    // The demo's exit status, not head's; its stderr is the shell's.
    const shell = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} demo --seconds 1 | head -2; exit "\${PIPESTATUS[0]}"`;
    const result = spawnSync('bash', ['-c', shell], { cwd: REPO, encoding: 'utf8', timeout: 20_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(3);
  });

  it('ends quietly, exit 0, and removes its temp directory when the reader of its output goes away (| head -1)', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--seconds', '30'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdout.setEncoding('utf8').once('data', (c: string) => {
      first = c;
      child.stdout.destroy();
    });
    const ended = await code;
    clearTimeout(killer);
    expect(ended).toBe(0);
    expect(err).toBe('');
    const dir = /watching (\S+)\/auth\.log/.exec(first)![1]!;
    expect(existsSync(dir)).toBe(false);
  }, 30_000);
});
