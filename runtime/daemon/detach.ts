import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** Set in the environment of the re-spawned background process so it does not detach again. */
const DETACHED_ENV = 'RULEC_DETACHED_CHILD';

/** True in the background copy started by `spawnDetached`. */
export function isDetachedChild(): boolean {
  return process.env[DETACHED_ENV] === '1' && typeof process.send === 'function';
}

/**
 * Re-runs this very command line in a new session with stdout and stderr appended to
 * `logFile`, and waits until the copy reports it is running (its pid file written) or dies.
 * The parent then exits 0, as a classic daemon's foreground half does.
 */
export function spawnDetached(logFile: string, timeoutMs = 10_000): Promise<{ pid: number } | { error: string }> {
  let fd: number;
  try {
    fd = openSync(logFile, 'a', 0o640);
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
      if (message === 'ready') finish({ pid: child.pid ?? 0 });
    });
    child.on('error', (error) => finish({ error: `cannot start background process: ${error.message}` }));
    child.on('exit', (code) => finish({ error: `background process exited with status ${code ?? 'unknown'} (see ${logFile})` }));
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
