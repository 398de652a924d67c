import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { waitFor as poll } from '../../../helpers/wait-for.js';
import { FileTailer } from '../../../../runtime/sources/tail/file-tailer.js';
import type { TailNotice, TailOptions } from '../../../../runtime/sources/tail/types.js';

/**
 * Call once at the top of a test file: returns a maker of fresh directories under the OS temp
 * dir, each removed after the test that made it.
 */
export function scratchDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-tail-'));
    made.push(dir);
    return dir;
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 10 ms; resolves true when it holds, false after `ms`. */
export function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  return poll(cond, ms, 10);
}

// The writer runs in its own process so our sync renames, copies and truncations race with
// it for real. One write(2) per line, O_APPEND, at a steady rate; `reopen` on stdin makes it
// close its descriptor and open the path again, as a daemon does on SIGHUP after logrotate.
const WRITER = `
import { openSync, writeSync, closeSync } from 'node:fs';
const [path, firstArg, countArg, rateArg, padArg] = process.argv.slice(1);
const first = Number(firstArg), count = Number(countArg), rate = Number(rateArg), pad = 'x'.repeat(Number(padArg));
let fd = openSync(path, 'a');
let written = 0;
const t0 = performance.now();
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  for (const cmd of d.split('\\n')) {
    if (cmd === 'reopen') { closeSync(fd); fd = openSync(path, 'a'); process.stdout.write('reopened ' + (first + written) + '\\n'); }
  }
});
const timer = setInterval(() => {
  const due = Math.min(count, Math.floor(((performance.now() - t0) / 1000) * rate));
  for (; written < due; written++) {
    const stamp = (performance.timeOrigin + performance.now()).toFixed(3);
    writeSync(fd, 'line ' + String(first + written).padStart(7, '0') + ' t=' + stamp + ' ' + pad + '\\n');
  }
  if (written >= count) {
    clearInterval(timer);
    closeSync(fd);
    process.stdout.write('done ' + written + '\\n');
    process.exit(0);
  }
}, 2);
`;

/** A child process appending numbered lines `first..first+count-1` to `path` at `rate` lines/s. */
export interface Writer {
  readonly child: ChildProcess;
  /** Resolves when the writer has written everything and exited. */
  readonly done: Promise<void>;
  /** Asks the writer to reopen its file; resolves with the first line number written to the new descriptor. */
  reopen(): Promise<number>;
}

/** Starts the writer process on `path` (see `Writer`); `pad` sets the line length. */
export function startWriter(path: string, first: number, count: number, rate = 2000, pad = 60): Writer {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, path, String(first), String(count), String(rate), String(pad)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const waiters: ((n: number) => void)[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    out += d;
    let nl;
    while ((nl = out.indexOf('\n')) !== -1) {
      const msg = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (msg.startsWith('reopened ')) waiters.shift()?.(Number(msg.slice(9)));
    }
  });
  const done = new Promise<void>((res, rej) => {
    const kill = setTimeout(() => {
      child.kill();
      rej(new Error('writer did not finish in time'));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      if (code === 0) res();
      else rej(new Error(`writer exited with ${code}`));
    });
  });
  return {
    child,
    done,
    reopen: () =>
      new Promise<number>((res) => {
        waiters.push(res);
        child.stdin!.write('reopen\n');
      }),
  };
}

/** Line numbers (and send stamps) parsed from writer lines, in arrival order. */
export interface Collected {
  readonly numbers: number[];
  readonly latenciesMs: number[];
  readonly notices: TailNotice[];
  readonly other: string[];
}

/** Starts a tailer whose handlers record everything into a `Collected`. */
export async function collectingTailer(opts: TailOptions): Promise<{ tailer: FileTailer; got: Collected }> {
  const got: Collected = { numbers: [], latenciesMs: [], notices: [], other: [] };
  const tailer = new FileTailer(opts, {
    lines(lines) {
      const now = performance.timeOrigin + performance.now();
      for (const line of lines) {
        const m = /^line (\d{7}) t=(\d+\.\d+) /.exec(line);
        if (m === null) {
          got.other.push(line);
          continue;
        }
        got.numbers.push(Number(m[1]));
        got.latenciesMs.push(now - Number(m[2]));
      }
    },
    notice: (n) => got.notices.push(n),
  });
  await tailer.start();
  return { tailer, got };
}

/** Which of `first..first+count-1` never arrived and which arrived more than once. */
export function tally(numbers: readonly number[], first: number, count: number): { missing: number[]; duplicated: number[] } {
  const seen = new Map<number, number>();
  for (const n of numbers) seen.set(n, (seen.get(n) ?? 0) + 1);
  const missing: number[] = [];
  const duplicated: number[] = [];
  for (let n = first; n < first + count; n++) {
    const c = seen.get(n) ?? 0;
    if (c === 0) missing.push(n);
    if (c > 1) duplicated.push(n);
  }
  return { missing, duplicated };
}

/** The p-th percentile (0..100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Lines in the writer's format (same length for the same count of digits), as one string. */
export function numberedText(first: number, count: number, pad = 60): string {
  let text = '';
  const stamp = (performance.timeOrigin + performance.now()).toFixed(3);
  for (let n = first; n < first + count; n++) text += `line ${String(n).padStart(7, '0')} t=${stamp} ${'x'.repeat(pad)}\n`;
  return text;
}
