import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO } from '../../../cli/run-cli.js';

/**
 * Scenarios that need a process of their own: whether it exits by itself, or a reader that
 * cannot open everything (as under `rulec run -u`). Each runs the built tailer in a child; as
 * root the child runs as nobody, so a mode-0600 root file is really unreadable to it.
 */
const NOBODY = 65534;
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-tail-child-'));
  made.push(dir);
  // The child's own directory (as root, nobody's): a state directory in it must pass StrictModes.
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

/** Runs `body` (an ES module with `FileTailer`, `createCheckpointStore`, `dir` and `sleep` in scope) in a child; killed after 15 s. */
function runChild(dir: string, body: string, unprivileged = false): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const script = [
    `const { FileTailer, createCheckpointStore } = await import(${JSON.stringify(join(REPO, 'out/runtime/sources/tail/index.js'))});`,
    "const fs = await import('node:fs');",
    "const { join } = await import('node:path');",
    `const dir = ${JSON.stringify(dir)};`,
    'const sleep = (ms) => new Promise((r) => setTimeout(r, ms));',
    body,
  ].join('\n');
  const asNobody = unprivileged && process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 25_000, ...asNobody });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

describe('FileTailer in a process of its own', () => {
  it.each(['file', 'fifo'] as const)('a %s tailer stopped by its own notice handler during start leaves nothing running: the process exits', (fileType) => {
    const dir = scratch();
    const run = runChild(dir, [
      `const tailer = new FileTailer({ path: join(dir, 'missing.log'), start: 'end', fileType: '${fileType}' }, {`,
      '  lines() {},',
      "  notice(n) { if (n.kind === 'missing') void tailer.stop(); },",
      '});',
      'await tailer.start();',
      "console.log('started');",
    ].join('\n'));
    // A poll timer started after the stop would keep the child alive until it is killed.
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('started\n');
  });

  it('finds the copytruncate copy past siblings it may not read, and loses nothing', () => {
    const dir = scratch();
    // Root-only files sorting before the copy, as btmp does beside syslog.1 in /var/log.
    const run = runChild(dir, [
      "const path = join(dir, 'syslog');",
      "for (const name of ['btmp', 'secure.1']) { fs.writeFileSync(join(dir, name), 'x'.repeat(4096)); fs.chmodSync(join(dir, name), 0o000); }",
      "fs.writeFileSync(path, 'a1\\na2\\n');",
      'const lines = [];',
      'const notices = [];',
      "const tailer = new FileTailer({ path, start: 'beginning', fileType: 'file', pollInterval: 50 }, { lines: (l) => lines.push(...l), notice: (n) => notices.push(n) });",
      'await tailer.start();',
      'for (let i = 0; i < 2000 && lines.length < 2; i++) await sleep(10);',
      // Appended after our last read, copied and truncated before we look again.
      "fs.appendFileSync(path, 'b1\\nb2\\n');",
      "fs.copyFileSync(path, path + '.1');",
      'fs.truncateSync(path, 0);',
      "fs.appendFileSync(path, 'c1\\n');",
      'for (let i = 0; i < 2000 && lines.length < 5; i++) await sleep(10);',
      'await tailer.stop();',
      'console.log(JSON.stringify({ lines, notices: notices.filter((n) => n.kind !== \'opened\') }));',
    ].join('\n'), true);
    expect(run.stderr).toBe('');
    const { lines, notices } = JSON.parse(run.stdout) as { lines: string[]; notices: { kind: string; copy?: string }[] };
    expect(lines).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    expect(notices).toEqual([expect.objectContaining({ kind: 'truncated', copy: 'syslog.1' })]);
  });

  it('a file there all along but not openable at start resumes at its checkpoint once it can be opened, not from 0', () => {
    const dir = scratch();
    const run = runChild(dir, [
      "const path = join(dir, 'app.log');",
      "const opts = { path, start: 'end', fileType: 'file', checkpoint: createCheckpointStore(join(dir, 'state')), pollInterval: 50 };",
      "fs.writeFileSync(path, 'old1\\nold2\\n');",
      'const first = [];',
      'const one = new FileTailer(opts, { lines: (l) => first.push(...l) });',
      'await one.start();',
      "fs.appendFileSync(path, 'new1\\n');",
      'for (let i = 0; i < 2000 && first.length < 1; i++) await sleep(10);',
      'await one.stop();',
      // Unreadable while the second run starts (permissions being fixed, or EMFILE).
      'fs.chmodSync(path, 0o000);',
      'const second = [];',
      'const notices = [];',
      'const two = new FileTailer(opts, { lines: (l) => second.push(...l), notice: (n) => notices.push(n.kind) });',
      'await two.start();',
      'await sleep(150);',
      'fs.chmodSync(path, 0o644);',
      "fs.appendFileSync(path, 'new2\\n');",
      "for (let i = 0; i < 2000 && !second.includes('new2'); i++) await sleep(10);",
      'await sleep(100);',
      'await two.stop();',
      'console.log(JSON.stringify({ first, second, notices }));',
    ].join('\n'), true);
    expect(run.stderr).toBe('');
    const { first, second, notices } = JSON.parse(run.stdout) as { first: string[]; second: string[]; notices: string[] };
    expect(first).toEqual(['new1']);
    expect(second).toEqual(['new2']);
    expect(notices).toEqual(['error', 'resumed']);
  });
});
