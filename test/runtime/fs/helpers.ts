import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** uid and gid of `nobody`, the real second user of the tests that run as root. */
export const NOBODY = 65534;

/** Why a test acting as a second user cannot run here, or null when it can (root, setpriv present). */
export function secondUserMissing(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root: acting as a second user (nobody) needs root';
  if (spawnSync('setpriv', ['--version']).status !== 0) return 'setpriv (util-linux) is not installed';
  return null;
}

/** Runs `argv` as nobody (no groups) through setpriv; returns its exit status, stdout and stderr. */
export function asNobody(argv: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', ...argv], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Call once at the top of a test file: a maker of fresh directories under the OS temp dir
 * (searchable by others, so a second user can reach inside), each removed after its test.
 */
export function scratch(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-fs-'));
    chmodSync(dir, 0o755);
    made.push(dir);
    return dir;
  };
}

/** Runs `body` with the process umask set to `mask`, restoring it after. */
export function withUmask<T>(mask: number, body: () => T): T {
  const old = process.umask(mask);
  try {
    return body();
  } finally {
    process.umask(old);
  }
}
