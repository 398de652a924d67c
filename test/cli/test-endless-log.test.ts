/**
 * `rulec test`'s log input when it is hostile or not a file: an endless line (what `--log
 * /dev/zero` is) is cut at line_max once and the rest of it dropped as it streams, in memory that
 * stays flat; `--log -` is standard input; a FIFO is read as a pipe. Memory is measured over a
 * bounded amount of a generated stream, never against the clock.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { LineStream } from '../../runtime/sources/line-stream.js';
import { BIN } from './run-cli.js';
import { runHere } from './run-here.js';

const MiB = 1024 * 1024;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-endless-'));
  made.push(dir);
  return dir;
}

/**
 * `total` bytes with no newline (1 MiB chunks of NULs, as /dev/zero gives), then `tail`; the
 * process's largest RSS seen while it was read is in `peak`.
 */
function endless(total: number, tail: string, peak: { rss: number }): AsyncGenerator<Buffer> {
  return (async function* () {
    const chunk = Buffer.alloc(MiB);
    for (let sent = 0; sent < total; sent += MiB) {
      if (sent % (16 * MiB) === 0) peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
      // A fresh buffer each time, as a real read gives: holding any of them would show.
      yield Buffer.from(chunk);
    }
    yield Buffer.from(tail);
    peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
  })();
}

const RULES = '[ERRORS]\npath = /var/log/app.log\nregex = ERROR (\\w+)\nupbound_freq = 0/60\nupbound_action = /bin/true "$1"\n';

describe('an endless line', () => {
  it('LineStream: 768 MiB without a newline is one line cut at line_max, the rest dropped as it streams; RSS grows by far less than what was read', async () => {
    global.gc?.();
    const peak = { rss: 0 };
    const before = process.memoryUsage().rss;
    const stream = LineStream.fromStream(endless(768 * MiB, '\nafter\n', peak), { unterminated: 'deliver' });
    const lines: string[] = [];
    for await (const batch of stream) lines.push(...batch.lines.map((l) => (l.length > 20 ? `${l.length}` : l)));
    expect(lines).toEqual([String(64 * 1024), 'after']);
    expect(stream.cutLines).toBe(1);
    expect(stream.position).toEqual({ offset: 768 * MiB + 7, discarding: false });
    // Holding the line (or the chunks) would be 768 MiB; the reader keeps at most line_max.
    expect(peak.rss - before).toBeLessThan(128 * MiB);
  });

  it('rulec test over it (in process, as standard input and as --log -): one line cut, the line after it matched, memory flat', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'app.rules'), RULES);
    for (const args of [[], ['--log', '-']]) {
      const peak = { rss: 0 };
      const before = process.memoryUsage().rss;
      let stdout = '';
      let stderr = '';
      const code = await main(['test', 'app.rules', ...args], {
        cwd: dir,
        stdin: Readable.from(endless(512 * MiB, '\nERROR disk\n', peak)),
        out: (t) => void (stdout += t),
        err: (t) => void (stderr += t),
      });
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain('app.rules over standard input: 2 line(s), 1 matched by some item, 1 missed, 1 cut at line_max\n');
      expect(stdout).toContain('fire ERRORS upbound line 2: ["/bin/true","disk"]');
      expect(peak.rss - before).toBeLessThan(128 * MiB);
    }
  });
});

describe('rulec test --log on what is not a file', () => {
  it('--log - is standard input', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'app.rules'), RULES);
    const result = await runHere(['test', 'app.rules', '--log', '-'], { cwd: dir, input: 'ERROR disk\nok\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('app.rules over standard input: 2 line(s), 1 matched by some item, 1 missed\n');
  });

  it('a FIFO is read as a pipe, to its writer\'s end (a real process: the FIFO is opened as the CLI opens it)', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'app.rules'), RULES);
    const fifo = join(dir, 'log.fifo');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [BIN, 'test', 'app.rules', '--log', fifo], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (out += t));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    // Opening for writing waits for the reader: the CLI has opened it.
    writeFileSync(fifo, 'ERROR disk\nERROR net\nfine\n');
    const code = await new Promise<number | null>((done) => child.on('close', done));
    clearTimeout(killer);
    expect(out).toContain(`app.rules over ${fifo}: 3 line(s), 2 matched by some item, 1 missed\n`);
    expect(code).toBe(0);
  });
});
