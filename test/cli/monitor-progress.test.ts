/**
 * `rulec monitor`'s progress line: shown on stderr while it is a terminal (a real
 * pseudo-terminal, through util-linux `script`), cleared at the end, and never written to a
 * pipe or a file, nor mixed into the listing (issue 17 §3). The real `bin/rulec.js` runs in a
 * child: what a terminal is, is the process boundary.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from './run-cli.js';

/** 600 files of 1 KiB: progress is reported every 256 files, the first report shown at once. */
const FILES = 600;
const ESC = '\x1b';

let tmp: ReturnType<typeof tempDir>;
let rules: string;

beforeAll(() => {
  tmp = tempDir('rulec-monitor-progress-');
  const tree = join(tmp.dir, 'tree');
  for (let d = 0; d < 6; d += 1) {
    mkdirSync(join(tree, `d${d}`), { recursive: true });
    for (let f = 0; f < FILES / 6; f += 1) writeFileSync(join(tree, `d${d}`, `f${String(f).padStart(3, '0')}`), Buffer.alloc(1024, d * 100 + f));
  }
  rules = join(tmp.dir, 'monitor.rules');
  writeFileSync(rules, `monitor <<__M\n    dir ${tree}\n__M\n`);
});

afterAll(() => tmp?.remove());

const quote = (word: string): string => `'${word.replace(/'/g, "'\\''")}'`;

/** Runs a shell command line; with `terminal`, under `script`, which gives it a pseudo-terminal and copies the screen to its stdout. */
function run(commandLine: string, terminal: boolean): Promise<{ code: number | null; screen: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = terminal
      ? spawn('script', ['-qfec', commandLine, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: tmp.dir })
      : spawn('/bin/sh', ['-c', commandLine], { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmp.dir });
    let screen = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (screen += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen, stderr }));
    if (terminal) child.stdin!.end();
  });
}

const rulec = (...args: string[]): string => [process.execPath, BIN, ...args].map(quote).join(' ');

/** The listing's file lines for the tree (paths end in /dN/fNNN). */
const fileLines = (text: string): string[] => text.split(/\r?\n/).filter((l) => /\/d\d\/f\d{3}\b/.test(l));

describe('rulec monitor progress', () => {
  it('shows files and bytes done on a terminal, rewriting one line, and clears it before it exits; the listing redirected to a file gets none of it', async () => {
    const listing = join(tmp.dir, 'listing.txt');
    const result = await run(`${rulec('monitor', rules)} > ${quote(listing)}`, true);
    expect(result.code).toBe(0);
    // The first report comes at 256 files of 1 KiB, whatever the machine's speed.
    const first = result.screen.indexOf(`\r${ESC}[Krulec monitor: 256 files, 256.0 KiB`);
    expect(first, JSON.stringify(result.screen.slice(0, 400))).toBeGreaterThanOrEqual(0);
    const shown = [...result.screen.matchAll(/\r\x1b\[Krulec monitor: ([\d,]+) files, ([\d.]+) KiB/g)].map((m) => [Number(m[1]!.replace(/,/g, '')), Number(m[2])]);
    // Every 256 files, at most one a quarter second: 256, maybe 512; never more than were scanned.
    expect(shown.length).toBeGreaterThanOrEqual(1);
    expect(shown.length).toBeLessThanOrEqual(2);
    for (const [files, kib] of shown) {
      expect(files! % 256).toBe(0);
      expect(files).toBeLessThanOrEqual(FILES);
      expect(kib).toBe(files);
    }
    // Cleared after the last report: the terminal is left with an empty line.
    const lastShown = result.screen.lastIndexOf('rulec monitor:');
    expect(result.screen.indexOf(`\r${ESC}[K`, lastShown)).toBeGreaterThan(lastShown);
    expect(result.screen.slice(lastShown).replace(/rulec monitor: [^\r]*/, '')).toBe(`\r${ESC}[K`);

    const text = readFileSync(listing, 'utf8');
    expect(fileLines(text)).toHaveLength(FILES);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('rulec monitor:');
  });

  it('writes no progress when stderr is a pipe, even with stdout on a terminal', async () => {
    const errFile = join(tmp.dir, 'stderr.txt');
    const result = await run(`${rulec('monitor', rules)} 2> ${quote(errFile)}`, true);
    expect(result.code).toBe(0);
    expect(fileLines(result.screen)).toHaveLength(FILES);
    expect(result.screen).not.toContain('rulec monitor:');
    expect(result.screen).not.toContain(`${ESC}[K`);
    expect(readFileSync(errFile, 'utf8')).toBe('');
  });

  it('writes no progress to pipes (cron, a log), and the listing is the same as on a terminal', async () => {
    const piped = await run(rulec('monitor', rules), false);
    expect([piped.code, piped.stderr]).toEqual([0, '']);
    expect(piped.screen).not.toContain(ESC);
    expect(fileLines(piped.screen)).toHaveLength(FILES);
    const listing = readFileSync(join(tmp.dir, 'listing.txt'), 'utf8');
    // Same lines as the terminal run's redirected listing (digests of unchanged files; the header's time may differ).
    expect(fileLines(piped.screen)).toEqual(fileLines(listing));
  });
});
