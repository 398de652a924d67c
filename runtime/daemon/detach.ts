import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { openAppend } from '../fs/index.js';

/** Set in the environment of the re-spawned background process so it does not detach again. */
const DETACHED_ENV = 'RULEC_DETACHED_CHILD';

/** True in the background copy started by `spawnDetached`. */
export function isDetachedChild(): boolean {
  return process.env[DETACHED_ENV] === '1' && typeof process.send === 'function';
}

/** What the background copy asks its parent for: the rules the parent compiled and checked. */
const RULES_REQUEST = 'rules?';

/**
 * Re-runs this very command line in a new session with stdout and stderr appended to
 * `logFile`, and waits until the copy reports it is running (its pid file written) or dies.
 * The parent then exits 0, as a classic daemon's foreground half does. `moduleScript`, the
 * rules as this process compiled them, is what the copy gets when it asks (`rulesFromParent`):
 * it runs what was checked here, without compiling them again.
 */
export function spawnDetached(logFile: string, timeoutMs = 10_000, moduleScript: string | null = null): Promise<{ pid: number } | { error: string }> {
  let fd: number;
  try {
    fd = openAppend(logFile);
  } catch (error) {
    return Promise.resolve({ error: `cannot open log file ${logFile}: ${(error as Error).message}` });
  }
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ['ignore', fd, fd, 'ipc'],
    env: { ...process.env, [DETACHED_ENV]: '1' },
  });
  closeSync(fd);
  return new Promise((resolve) => {
    const finish = (result: { pid: number } | { error: string }): void => {
      clearTimeout(timer);
      child.removeAllListeners();
      if (child.connected) child.disconnect();
      child.unref();
      resolve(result);
    };
    const timer = setTimeout(() => {
      // Reported as not started, it must not start later: its whole session goes (helper, actions too).
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // Gone already.
        }
      }
      finish({ error: `background process did not start within ${timeoutMs} ms; stopped it` });
    }, timeoutMs);
    child.on('message', (message) => {
      if (message === RULES_REQUEST) child.send({ moduleScript });
      if (message === 'ready') finish({ pid: child.pid ?? 0 });
    });
    child.on('error', (error) => finish({ error: `cannot start background process: ${error.message}` }));
    child.on('exit', (code) => finish({ error: `background process exited with status ${code ?? 'unknown'} (see ${logFile})` }));
  });
}

/**
 * In the background copy: the rules its parent compiled (a generated module as a script), or
 * null when there is no parent to ask, or it has none to give (then the copy compiles them).
 */
export function rulesFromParent(): Promise<string | null> {
  if (!isDetachedChild() || !process.connected) return Promise.resolve(null);
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      const script = (message as { moduleScript?: unknown } | null)?.moduleScript;
      if (script === undefined) return;
      process.off('message', onMessage);
      process.off('disconnect', onGone);
      resolve(typeof script === 'string' ? script : null);
    };
    const onGone = (): void => {
      process.off('message', onMessage);
      resolve(null);
    };
    process.on('message', onMessage);
    process.once('disconnect', onGone);
    process.send?.(RULES_REQUEST);
  });
}

/** Whether the background copy told its parent it is up (after that the parent may go). */
let reported = false;

/**
 * In the background copy: calls `onGone` when the parent waiting for it goes away (killed,
 * Ctrl-C) before the copy reported ready. The parent then exits with an error, so the copy
 * was never reported started and must not run on unseen. Also when it is gone already.
 */
export function watchParent(onGone: () => void): void {
  if (!isDetachedChild()) return;
  if (!process.connected) {
    onGone();
    return;
  }
  process.once('disconnect', () => {
    if (!reported) onGone();
  });
}

/** Tells the waiting parent that the background copy is up, then cuts the channel. */
export function reportReady(): void {
  if (!isDetachedChild()) return;
  reported = true;
  process.send?.('ready', () => {
    if (process.connected) process.disconnect();
  });
}
