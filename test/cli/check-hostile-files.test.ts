/**
 * `rulec check` and `rulec run` on files that are not rule files: devices, binaries, files too
 * large or not UTF-8, thousands of errors. Each is one clear error or a short list, quickly;
 * `source "/dev/zero"` once grew to 16.9 GB and a binary printed 892 MB of diagnostics.
 */
import { chmodSync, mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { asNobody, secondUserMissing } from '../runtime/fs/helpers.js';
import { BIN, type CliResult } from './run-cli.js';
import { runHere } from './run-here.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
function scratch(): string {
  dir = mkdtempSync(join(tmpdir(), 'rulec-hostile-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** The first `n` bytes of a real binary (the Node executable running the tests). */
function binaryHead(n: number): Buffer {
  const fd = openSync(process.execPath, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** `rulec ARGS` in this process (the process boundary is not what these cases test); names are absolute. */
async function rulec(args: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

interface JsonOut {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: string;
  message: string;
}

describe('rulec check on files that are not rule files', () => {
  it('a device as the rule file, or sourced: says why and reads nothing (exit 2 and 1)', async () => {
    const d = scratch();
    const zero = await runHere(['check', '/dev/zero'], { cwd: d });
    expect(zero.stderr).toBe('rulec check: cannot read /dev/zero: not a regular file: a character device\n');
    expect(zero.code).toBe(2);
    writeFileSync(join(d, 'main.rules'), 'source "/dev/zero"\nsource "/dev/urandom"\n');
    const sourced = await runHere(['check', 'main.rules', '--format', 'json'], { cwd: d });
    expect(sourced.code).toBe(1);
    expect((JSON.parse(sourced.stdout) as JsonOut[]).map((o) => [o.line, o.code, o.message])).toEqual([
      [1, 'R205', 'source file cannot be read: /dev/zero (not a regular file: a character device)'],
      [2, 'R205', 'source file cannot be read: /dev/urandom (not a regular file: a character device)'],
    ]);
  });

  it('a binary file is one error at its first NUL, in a few lines of output', async () => {
    const d = scratch();
    const file = join(d, 'node.rules');
    writeFileSync(file, binaryHead(150_000));
    const result = await rulec(['check', file]);
    expect(result.code).toBe(1);
    expect(result.stderr.startsWith(`${file}:1:`)).toBe(true);
    expect(result.stderr).toContain(`: error[R213]: rule file is binary: ${file} holds a NUL byte\n`);
    expect(result.stderr).toContain('\n1 error, 0 warnings\n');
    expect(result.stderr.length).toBeLessThan(1_000);
  });

  it('a file too large is one error; one that is not UTF-8 one error at the byte', async () => {
    const d = scratch();
    writeFileSync(join(d, 'big.rules'), `${'; comment\n'.repeat(220_000)}`);
    writeFileSync(join(d, 'latin1.rules'), Buffer.concat([Buffer.from('[SSH]\npath = /var/log/auth.log\nregex = caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const result = await rulec(['check', join(d, 'big.rules'), join(d, 'latin1.rules'), '--format', 'json']);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as JsonOut[]).map((o) => `${o.file.slice(d.length + 1)}:${o.line}:${o.column} ${o.code}`).sort()).toEqual(['big.rules:1:1 R212', 'latin1.rules:3:12 R214']);
  });

  it('thousands of errors: 100 shown and one more that counts the rest; long lines cut', async () => {
    const d = scratch();
    // 120 broken items (three errors each), each on a 16 KB line.
    writeFileSync(join(d, 'noise.rules'), Array.from({ length: 120 }, (_, i) => `[I${i}] ${'x'.repeat(16_000)}\n`).join(''));
    const file = join(d, 'noise.rules');
    const json = await rulec(['check', file, '--format', 'json']);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as JsonOut[];
    expect(out).toHaveLength(101);
    expect(out[100]).toMatchObject({ code: 'R215', severity: 'error' });
    expect(out[100]!.message).toBe(`${out[100]!.message.split(' ')[0]} more problems in ${file} not shown (${out[100]!.message.split(' ')[0]} errors); the first 100 are shown`);
    const text = await rulec(['check', file]);
    expect(text.code).toBe(1);
    expect(Math.max(...text.stderr.split('\n').map((l) => l.length))).toBeLessThan(400);
  });

  it('a 64 KiB word, as a command and as a key: every output line stays short, the quote cut with its length', async () => {
    const d = scratch();
    const word = 'x'.repeat(65_536);
    writeFileSync(join(d, 'word.rules'), `${word}\n[item]\n${word} = 1\n`);
    const text = await rulec(['check', join(d, 'word.rules')]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('(65536 characters)');
    expect(text.stderr).toMatch(/R316/);
    expect(text.stderr).toMatch(/R301/);
    expect(Math.max(...text.stderr.split('\n').map((l) => l.length))).toBeLessThan(400);
  });

  it('as root: a rule file another user cannot read says EACCES (exit 2)', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const d = scratch();
    writeFileSync(join(d, 'secret.rules'), 'set a b\n', { mode: 0o600 });
    const result = asNobody([process.execPath, BIN, 'check', join(d, 'secret.rules')]);
    expect(result.stderr).toBe(`rulec check: cannot read ${join(d, 'secret.rules')}: EACCES: permission denied\n`);
    expect(result.status).toBe(2);
  });
});

describe('rulec run on files that are not rule files', () => {
  it('a binary rule file: one error, exit 1, nothing started', async () => {
    const d = scratch();
    writeFileSync(join(d, 'node.rules'), binaryHead(150_000));
    const result = await runHere(['run', 'node.rules', '-s'], { cwd: d });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error\[R213\]: rule file is binary/);
    expect(result.stderr.length).toBeLessThan(1_000);
  });
});
