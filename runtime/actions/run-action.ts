import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { start as posixSpawn } from './posix-spawn.js';

/** How one action ended. `output` holds the first `outputCap` bytes of stdout and of stderr. */
export type ActionOutcome =
  | {
      readonly kind: 'exited';
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly timedOut: boolean;
      readonly stdout: string;
      readonly stderr: string;
      readonly truncated: boolean;
    }
  | { readonly kind: 'failed'; readonly error: string }
  /** It started, but whoever ran it (the action helper) died before it ended. */
  | { readonly kind: 'lost'; readonly error: string };

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  /** 0 means no limit. */
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly outputCap: number;
  /** Called once when the child process has started (its `spawn` event), with its process group. */
  readonly onSpawn?: (group: number) => void;
}

/**
 * Process groups of the actions this process started that have not ended yet, and of those
 * whose first process ended while others of the group live on (`cmd &` in a shell action):
 * those still get their `action_timeout` and end with this process. While a group has a
 * member its number cannot name another group.
 */
const runningGroups = new Set<number>();

/** Sends `signal` to the group; false when it has no process left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ends the actions still running when the process that started them is about to exit: SIGTERM
 * to each group, SIGKILL after `graceMs` to what is left. Left alone they would outlive it, and
 * their `action_timeout` would go with its timers.
 */
export function stopRunningActions(graceMs: number): Promise<void> {
  // A group that ended meanwhile is forgotten, so its number, if reused, is not hit.
  return endGroups([...runningGroups], graceMs, { keepAlive: false, stillOurs: (group) => runningGroups.has(group) });
}

/**
 * When process `pid` started (clock ticks since boot: field 22 of /proc/PID/stat), or null when
 * no such process is there, or the system has no /proc.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * SIGTERM to each of `groups` now, SIGKILL `graceMs` later to those `stillOurs` says are;
 * resolves after the SIGKILL. With `keepAlive` the wait holds the process open until then.
 *
 * A group is also spared the SIGKILL when its number names a process that started since the
 * SIGTERM (`startTimeOf` tells): while any member of a group lives, its number names no other
 * process, so such a process means the group ended and the number went to another, which may
 * lead a group of its own. A leader gone while members live is still the group's.
 */
export function endGroups(
  groups: readonly number[],
  graceMs: number,
  {
    keepAlive,
    stillOurs = () => true,
    startTimeOf = processStartTime,
  }: { readonly keepAlive: boolean; readonly stillOurs?: (group: number) => boolean; readonly startTimeOf?: (pid: number) => string | null },
): Promise<void> {
  if (groups.length === 0) return Promise.resolve();
  const leaders = groups.map((group) => startTimeOf(group));
  for (const group of groups) signalGroup(group, 'SIGTERM');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      groups.forEach((group, k) => {
        const leader = startTimeOf(group);
        if (stillOurs(group) && (leader === null || leader === leaders[k])) signalGroup(group, 'SIGKILL');
      });
      resolve();
    }, graceMs);
    if (!keepAlive) timer.unref();
  });
}

/** What `runAction` needs of a child: Node's ChildProcess, or one posix-spawn.ts started. */
interface ActionProcess extends EventEmitter {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
}

/**
 * Spawns `argv[0]` with the rest as its arguments, never through a shell, in its own process
 * group so a timeout (SIGTERM, then SIGKILL after the grace period) reaches its children too.
 * posix_spawn starts it where it can (posix-spawn.ts), Node's `spawn` otherwise.
 * Resolves once; never rejects.
 */
export function runAction(argv: readonly string[], options: RunOptions): Promise<ActionOutcome> {
  const program = argv[0];
  if (program === undefined || program === '') {
    return Promise.resolve({ kind: 'failed', error: 'empty program name' });
  }
  // What ended actions left behind and has gone since is forgotten.
  for (const leftover of runningGroups) if (!signalGroup(leftover, 0)) runningGroups.delete(leftover);
  return new Promise((resolve) => {
    const started = posixSpawn(argv, options.env);
    let child: ActionProcess;
    try {
      child = started ?? spawn(program, argv.slice(1), {
        shell: false,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: options.env,
      });
    } catch (err) {
      // Arguments with NUL bytes and similar are refused synchronously.
      resolve({ kind: 'failed', error: err instanceof Error ? err.message : String(err) });
      return;
    }
    const out = new Capture(options.outputCap);
    const errOut = new Capture(options.outputCap);
    child.stdout?.on('data', (chunk: Buffer) => out.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => errOut.add(chunk));
    let timedOut = false;
    let done = false;
    let termTimer: NodeJS.Timeout | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    let lateTimer: NodeJS.Timeout | null = null;
    const group = child.pid;
    if (group !== undefined) runningGroups.add(group);
    if (options.timeoutMs > 0 && group !== undefined) {
      termTimer = setTimeout(() => {
        timedOut = true;
        signalGroup(group, 'SIGTERM');
        killTimer = setTimeout(() => {
          signalGroup(group, 'SIGKILL');
          if (done) runningGroups.delete(group);
        }, options.killGraceMs);
      }, options.timeoutMs);
      // Only for what an ended action left behind: such timers must not keep the process alive.
      termTimer.unref();
    }
    const finish = (outcome: ActionOutcome): void => {
      if (done) return;
      done = true;
      if (lateTimer !== null) clearTimeout(lateTimer);
      // Processes it left behind in its group keep the timeout (and the stop) of the action.
      const lingering = group !== undefined && outcome.kind === 'exited' && signalGroup(group, 0);
      if (!lingering) {
        if (group !== undefined) runningGroups.delete(group);
        if (termTimer !== null) clearTimeout(termTimer);
        if (killTimer !== null) clearTimeout(killTimer);
      }
      resolve(outcome);
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null): void => {
      finish({
        kind: 'exited', code, signal, timedOut,
        stdout: out.text(), stderr: errOut.text(), truncated: out.truncated || errOut.truncated,
      });
    };
    const onSpawn = options.onSpawn;
    if (started !== null) {
      // posix_spawn returned after the exec: started, and no 'error' can follow.
      if (onSpawn !== undefined) process.nextTick(onSpawn, started.pid);
    } else {
      if (onSpawn !== undefined && group !== undefined) child.once('spawn', () => onSpawn(group));
      child.on('error', (err: Error) => finish({ kind: 'failed', error: err.message }));
    }
    child.on('close', exited);
    // A grandchild that left the group can hold the pipes open forever: stop waiting for them.
    child.on('exit', (code, signal) => {
      lateTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        exited(code, signal);
      }, options.killGraceMs);
    });
  });
}

/** Keeps the first `cap` bytes of a stream and keeps draining the rest so the child never blocks. */
class Capture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  add(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept !== chunk) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
