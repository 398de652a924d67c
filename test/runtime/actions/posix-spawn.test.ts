import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import koffi from 'koffi';
import { afterEach, describe, expect, it } from 'vitest';
import { posixSpawnAvailable, start, type SpawnedChild } from '../../../runtime/actions/posix-spawn.js';
import { runAction } from '../../../runtime/actions/run-action.js';
import { childrenOf } from '../../helpers/proc.js';
import { tempDir, type TempDir } from './helpers.js';

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

/** Runs `child` to its end: its output and how it ended. */
function ended(child: SpawnedChild): Promise<{ stdout: string; stderr: string; code: number | null; signal: string | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code: number | null, signal: string | null) => resolve({ stdout, stderr, code, signal })));
}

function started(argv: string[], env: NodeJS.ProcessEnv = process.env): SpawnedChild {
  const child = start(argv, env);
  if (child === null) throw new Error(`posix_spawn declined ${argv.join(' ')}`);
  return child;
}

const HOSTILE = ['; rm -rf x', '$(touch pwned)', '`id`', `"'`, '$1 and $@', 'two\nlines', '\u001b[31mred\u001b[0m', 'ünïcödé', '', ' spaced '];

describe('posix_spawn (glibc, through koffi)', () => {
  it('is available on this glibc Linux machine', () => {
    expect(posixSpawnAvailable()).toBe(true);
  });

  it('passes argv and the environment byte-exact, and exactly that environment', async () => {
    dir = tempDir();
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOSTILE_VALUE: '$(touch pwned); `id`\nnext', EMPTY: '' };
    const script = 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), env: process.env }))';
    const result = await ended(started([process.execPath, '-e', script, ...HOSTILE], env));
    expect(result.code).toBe(0);
    const seen = JSON.parse(result.stdout) as { argv: string[]; env: Record<string, string> };
    expect(seen.argv).toEqual(HOSTILE);
    expect(seen.env).toEqual(env);
    expect(dir.has('pwned')).toBe(false);
  });

  it('starts the child in a session and process group of its own, stdin on /dev/null, default signals, no descriptor of ours', async () => {
    // No pipeline in the probe: a shell holds a pipeline's pipe itself for a moment, so `ls` could
    // list it on a busy machine (once `0 1 2 251 3`). The shell is idle while `ls` runs last.
    const probe = 'cut -d" " -f5,6 /proc/$$/stat; readlink /proc/$$/fd/0; grep -E "^Sig(Ign|Blk)" /proc/$$/status; echo $$; ls /proc/$$/fd';
    const lines = (stdout: string): string[] => stdout.trim().split('\n');
    const result = await ended(started(['/bin/sh', '-c', probe]));
    // Lines 3 and 4 are the shell's own signal lines: see below.
    const [groupAndSession, stdin, , , pid, ...fds] = lines(result.stdout);
    const descriptors = fds.join(' ');
    expect(groupAndSession).toBe(`${pid} ${pid}`);
    expect(stdin).toBe('/dev/null');
    // Node ignores SIGPIPE itself; the child has every signal at its default, none blocked. Read
    // by a grep started directly: the shell above blocks signals itself while it waits for a
    // command (dash), so its own line showed all blocked whenever grep read it then (seen under load).
    const signals = await ended(started(['/bin/grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status']));
    expect(lines(signals.stdout)).toEqual(['SigBlk:\t0000000000000000', 'SigIgn:\t0000000000000000']);
    // The same descriptors as a child of Node's spawn: what this process inherited without
    // close-on-exec, and 0, 1, 2; none of the pipes of this or any other child.
    const bySpawn = lines(spawnSync('/bin/sh', ['-c', probe], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }).stdout).slice(5);
    expect(descriptors).toBe(bySpawn.join(' '));
    expect(fds.slice(0, 3)).toEqual(['0', '1', '2']);
  });

  it('reports the exit code, or the signal that ended the child, and the output of both streams', async () => {
    expect(await ended(started(['/bin/sh', '-c', 'echo out; echo err >&2; exit 7']))).toEqual({ stdout: 'out\n', stderr: 'err\n', code: 7, signal: null });
    expect(await ended(started(['/bin/sh', '-c', 'kill -TERM $$']))).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('reaps every child: forty at once all end and leave no zombie', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, k) => ended(started(['/bin/sh', '-c', `sleep 0.0${k % 10}; exit ${k % 5}`]))));
    expect(results.map((r) => r.code)).toEqual(Array.from({ length: 40 }, (_, k) => k % 5));
    expect(childrenOf(process.pid).filter((child) => child.state === 'Z')).toEqual([]);
  });

  it('ends a child that other code reaped first with no exit status, rather than wait for it for ever', async () => {
    const child = started(['/bin/sh', '-c', 'exit 3']);
    // Reaped here, synchronously, before this process handles its SIGCHLD.
    const waitpid = koffi.load('libc.so.6').func('int waitpid(int pid, _Out_ int *status, int options)') as (pid: number, status: number[], options: number) => number;
    const status = [0];
    expect(waitpid(child.pid, status, 0)).toBe(child.pid);
    expect(((status[0] ?? 0) >> 8) & 0xff).toBe(3);
    expect(await ended(child)).toMatchObject({ code: null, signal: null });
  });

  it("finds a bare program name on the given environment's PATH, not this process's", async () => {
    dir = tempDir();
    const program = join(dir.path, 'rulec-probe-program');
    writeFileSync(program, '#!/bin/sh\necho found "$@"\n');
    chmodSync(program, 0o755);
    const result = await ended(started(['rulec-probe-program', 'it'], { PATH: `/nonexistent:${dir.path}` }));
    expect(result.stdout).toBe('found it\n');
    expect(start(['rulec-probe-program'], { PATH: '/nonexistent' })).toBeNull();
  });

  it('is what runAction starts actions with: their stdout is a pipe, where Node\'s spawn, its fallback, gives a socket pair', async () => {
    const options = { timeoutMs: 0, killGraceMs: 100, outputCap: 1000 };
    const stdoutOf = 'readlink /proc/$$/fd/1 | cut -d: -f1';
    expect(await runAction(['/bin/sh', '-c', stdoutOf], { env: process.env, ...options })).toMatchObject({ kind: 'exited', stdout: 'pipe\n' });
    // A bare name with no PATH is left to spawn.
    expect(await runAction(['sh', '-c', stdoutOf], { env: {}, ...options })).toMatchObject({ kind: 'exited', stdout: 'socket\n' });
  });

  it('leaves to spawn what it could not start exactly as spawn would', async () => {
    dir = tempDir();
    expect(start(['/bin/echo', 'a\0b'], process.env)).toBeNull();
    expect(start(['/bin/echo'], { ...process.env, BAD: 'a\0b' })).toBeNull();
    expect(start(['echo'], {})).toBeNull();
    expect(start(['/nonexistent/rulec-nothing'], process.env)).toBeNull();
    // No `#!`: posix_spawn gets ENOEXEC; spawn (execvp) runs it with /bin/sh.
    const script = join(dir.path, 'no-shebang');
    writeFileSync(script, 'echo ran without a shebang\n');
    chmodSync(script, 0o755);
    expect(start([script], process.env)).toBeNull();
    const outcome = await runAction([script], { env: process.env, timeoutMs: 0, killGraceMs: 100, outputCap: 1000 });
    expect(outcome).toMatchObject({ kind: 'exited', code: 0, stdout: 'ran without a shebang\n' });
    // And a missing program is reported in Node's words.
    expect(await runAction(['/nonexistent/rulec-nothing'], { env: process.env, timeoutMs: 0, killGraceMs: 100, outputCap: 1000 })).toEqual({
      kind: 'failed', error: 'spawn /nonexistent/rulec-nothing ENOENT',
    });
  });
});
