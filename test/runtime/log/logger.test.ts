import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { Logger } from '../../../runtime/log/logger.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Logger', () => {
  it('writes time, level, item and escaped message to a file, filtering by level', () => {
    const file = join(tempDir(), 'rulec.log');
    const log = new Logger({ file, level: 'info', now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    log.debug('SSH', 'hidden');
    log.info('SSH', 'fired for \x1b[2Jevil\nforged line');
    log.error(null, 'engine-wide');
    log.close();
    expect(readFileSync(file, 'utf8')).toBe(
      '2026-01-02T03:04:05.000Z info [SSH] fired for \\x1b[2Jevil\\nforged line\n' +
        '2026-01-02T03:04:05.000Z error engine-wide\n',
    );
  });

  it('writes to a stream and a file at once, and escapes item names', () => {
    const file = join(tempDir(), 'both.log');
    const lines: string[] = [];
    const log = new Logger({ file, stdout: { write: (t: string) => lines.push(t) }, now: () => 0 });
    log.warn('it\rem', 'x');
    log.close();
    expect(lines).toEqual(['1970-01-01T00:00:00.000Z warn [it\\rem] x\n']);
    expect(readFileSync(file, 'utf8')).toBe(lines[0]);
  });

  it('reopen() continues in a new file after the old one was rotated away', () => {
    const dir = tempDir();
    const file = join(dir, 'r.log');
    const log = new Logger({ file, now: () => 0 });
    log.info(null, 'one');
    renameSync(file, join(dir, 'r.log.1'));
    log.info(null, 'two');
    log.reopen();
    log.info(null, 'three');
    log.close();
    expect(readFileSync(join(dir, 'r.log.1'), 'utf8')).toContain('one');
    expect(readFileSync(join(dir, 'r.log.1'), 'utf8')).toContain('two');
    expect(readFileSync(file, 'utf8')).toBe('1970-01-01T00:00:00.000Z info three\n');
  });

  it('reopen() that cannot open a new file keeps writing to the old one, and says so there', () => {
    const dir = tempDir();
    const file = join(dir, 'r.log');
    const log = new Logger({ file, now: () => 0 });
    log.info(null, 'one');
    renameSync(file, join(dir, 'r.log.1'));
    // Nothing can be opened at the path now (as after -u, without the right to create it there).
    mkdirSync(file);
    expect(log.reopen()).toBe(false);
    log.info(null, 'two');
    log.close();
    const old = readFileSync(join(dir, 'r.log.1'), 'utf8');
    expect(old).toMatch(/^.* info one\n.* warn cannot reopen log file \S+r\.log: EISDIR.*; still writing to the file open before\n.* info two\n$/);
  });

  it('never writes through a symlink at its path, at the start or on reopen() after a rotation', () => {
    const dir = tempDir();
    const victim = join(dir, 'shadow');
    writeFileSync(victim, 'root only\n');
    const file = join(dir, 'r.log');
    symlinkSync(victim, file);
    const refused = new Logger({ file, now: () => 0 });
    refused.error(null, 'not into the victim');
    expect(refused.fileLost).toBe(true);
    refused.close();
    rmSync(file);
    const log = new Logger({ file, now: () => 0 });
    log.info(null, 'one');
    // Rotated away, and a link planted where the new file is to be made before SIGHUP.
    renameSync(file, join(dir, 'r.log.1'));
    symlinkSync(victim, file);
    expect(log.reopen()).toBe(false);
    log.info(null, 'two');
    log.close();
    expect(readFileSync(victim, 'utf8')).toBe('root only\n');
    expect(readFileSync(join(dir, 'r.log.1'), 'utf8')).toMatch(/warn cannot reopen log file \S+r\.log: \S+r\.log is a symbolic link; refusing to write through it/);
  });

  it('does not throw when the file cannot be opened', () => {
    const log = new Logger({ file: join(tempDir(), 'missing', 'dir', 'x.log') });
    expect(() => log.error(null, 'still fine')).not.toThrow();
  });
});

describe('Logger on a closed stdout', () => {
  it('keeps the process alive when the reader of stdout goes away (EPIPE)', async () => {
    const dir = tempDir();
    const outfile = join(dir, 'probe.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./epipe-probe.ts', import.meta.url))],
      bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent',
    });
    const child = spawn(process.execPath, [outfile], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    child.stdout.once('data', () => child.stdout.destroy());
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('survived\n');
    expect(code).toBe(0);
  });
});
