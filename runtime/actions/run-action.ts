import { spawn } from 'node:child_process';

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
  | { readonly kind: 'failed'; readonly error: string };

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  /** 0 means no limit. */
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly outputCap: number;
  /** Called once when the child process has started (its `spawn` event). */
  readonly onSpawn?: () => void;
}

/** Process groups of the actions this process started that have not ended yet. */
const runningGroups = new Set<number>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Ends the actions still running when the process that started them is about to exit: SIGTERM
 * to each group, SIGKILL after `graceMs` to what is left. Left alone they would outlive it, and
 * their `action_timeout` would go with its timers.
 */
export function stopRunningActions(graceMs: number): Promise<void> {
  const groups = [...runningGroups];
  if (groups.length === 0) return Promise.resolve();
  for (const pid of groups) signalGroup(pid, 'SIGTERM');
  return new Promise((resolve) => {
    setTimeout(() => {
      for (const pid of groups) if (runningGroups.has(pid)) signalGroup(pid, 'SIGKILL');
      resolve();
    }, graceMs).unref();
  });
}

/**
 * Spawns `argv[0]` with the rest as its arguments, never through a shell, in its own process
 * group so a timeout (SIGTERM, then SIGKILL after the grace period) reaches its children too.
 * Resolves once; never rejects.
 */
export function runAction(argv: readonly string[], options: RunOptions): Promise<ActionOutcome> {
  const program = argv[0];
  if (program === undefined || program === '') {
    return Promise.resolve({ kind: 'failed', error: 'empty program name' });
  }
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, argv.slice(1), {
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
        killTimer = setTimeout(() => signalGroup(group, 'SIGKILL'), options.killGraceMs);
      }, options.timeoutMs);
    }
    const finish = (outcome: ActionOutcome): void => {
      if (done) return;
      done = true;
      if (group !== undefined) runningGroups.delete(group);
      if (termTimer !== null) clearTimeout(termTimer);
      if (killTimer !== null) clearTimeout(killTimer);
      if (lateTimer !== null) clearTimeout(lateTimer);
      resolve(outcome);
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null): void => {
      finish({
        kind: 'exited', code, signal, timedOut,
        stdout: out.text(), stderr: errOut.text(), truncated: out.truncated || errOut.truncated,
      });
    };
    const onSpawn = options.onSpawn;
    if (onSpawn !== undefined) child.once('spawn', onSpawn);
    child.on('error', (err) => finish({ kind: 'failed', error: err.message }));
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
