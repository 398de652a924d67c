/**
 * Starting actions from a small helper process. Node starts a child with fork() and exec(),
 * synchronously: the time grows with the memory the parent has touched, and the parent's event
 * loop waits meanwhile (bench/runtime-spawn.ts: p50 0.9 ms at 57 MB RSS, 8.4 ms at 319 MB). A
 * daemon holding many keys would stall its tailing and matching on every action, so it forks
 * this helper once and sends it each action over IPC; the helper stays small and does the
 * fork with `runAction`, as the daemon would.
 *
 * Kept only where posix_spawn cannot be used (posix-spawn.ts: a bundle without koffi beside it,
 * another libc): there it still wins at a daemon's size (bench/runtime-spawn.ts, docs/engine.md).
 * The helper is helper-main.js beside this file, or a bundle started again with
 * `RULEC_ACTION_HELPER=1` in its environment (it has no other file to start; its entry,
 * `bundleMain`, checks `isActionHelper()` first and then only serves).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { posixSpawnAvailable } from './posix-spawn.js';
import { endGroups, runAction, stopRunningActions, type ActionOutcome, type RunOptions } from './run-action.js';

const HELPER_ENV = 'RULEC_ACTION_HELPER';
/** How long actions get to end on SIGTERM when the helper must exit, before SIGKILL. */
const SHUTDOWN_GRACE_MS = 1000;

/** One action, daemon → helper. */
interface HelperRequest {
  readonly id: number;
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly killGraceMs: number;
  readonly outputCap: number;
}

/** Helper → daemon: it is serving; an action's child started; how an action ended. */
type HelperReply =
  | { readonly ready: true }
  | { readonly id: number; readonly spawned: true; readonly group: number }
  | { readonly id: number; readonly outcome: ActionOutcome };

/** True in a process started by `ActionHelper`. */
export function isActionHelper(): boolean {
  return process.env[HELPER_ENV] === '1' && typeof process.send === 'function';
}

/**
 * The helper's whole life: run each action sent, report its start and end. Resolves 0 once the
 * daemon is gone and the actions still running were ended; the process then has nothing left.
 */
export function serveActions(): Promise<number> {
  // A daemon that is gone cannot be told; with a callback a failed send is not an 'error' event
  // that would crash the helper (it exits on 'disconnect').
  const reply = (message: HelperReply): void => {
    if (process.connected) process.send?.(message, undefined, undefined, () => {});
  };
  process.on('message', (request: HelperRequest) => {
    void runAction(request.argv, {
      env: request.env,
      timeoutMs: request.timeoutMs,
      killGraceMs: request.killGraceMs,
      outputCap: request.outputCap,
      onSpawn: (group) => reply({ id: request.id, spawned: true, group }),
    }).then((outcome) => reply({ id: request.id, outcome }));
  });
  // The daemon is gone (or let it go as it stopped): no action may outlive this process.
  const done = new Promise<number>((resolve) => {
    process.once('disconnect', () => {
      // The grace timer does not hold the loop open by itself; an action left only in its group would let it end unsettled.
      const hold = setInterval(() => {}, 1 << 30);
      void stopRunningActions(SHUTDOWN_GRACE_MS).then(() => {
        clearInterval(hold);
        resolve(0);
      });
    });
  });
  // Ctrl-C in a terminal and a service manager's stop reach the whole process group; the daemon
  // ends its actions first and then lets the helper go, so the signal is not the helper's cue.
  // SIGUSR1 (a reload sent to every rulec process) would otherwise open Node's inspector on
  // 127.0.0.1:9229, where any local user could run code as this one: a listener prevents it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGUSR1'] as const) process.on(signal, () => {});
  reply({ ready: true });
  return done;
}

interface Pending {
  readonly resolve: (outcome: ActionOutcome) => void;
  readonly argv: readonly string[];
  readonly options: RunOptions;
  /** The action's process group once the helper started it. */
  group: number | null;
}

/** One helper process and the actions sent to it. */
interface Connection {
  readonly child: ChildProcess;
  readonly pending: Map<number, Pending>;
  ready: boolean;
  closed: boolean;
}

/** The runtime's own helper program (helper-main.js beside this file), or null where it is not (a bundle, the sources). */
export function defaultHelperProgram(): string | null {
  const program = fileURLToPath(new URL('./helper-main.js', import.meta.url));
  return existsSync(program) ? program : null;
}

/**
 * A helper where the daemon needs one: none where posix_spawn starts actions, since its cost
 * does not grow with the daemon (posix-spawn.ts); `program` and `onFallback` as for `ActionHelper`.
 */
export function actionHelperIfNeeded(program: string, onFallback?: (reason: string) => void): ActionHelper | undefined {
  return posixSpawnAvailable() ? undefined : new ActionHelper(program, onFallback);
}

/**
 * The daemon's side: `run` has `runAction`'s contract (resolves once, never rejects). The
 * helper process starts with `start()` (the ActionRunner calls it when it is made, after the
 * daemon dropped its privileges, so the first action does not wait for Node to start); one that
 * dies fails the actions it was running and is started again for the next. One that cannot
 * start at all (its program unreadable by the user the daemon became, say) is given up:
 * `onFallback` is told why, and actions start from this process as they would without it.
 */
export class ActionHelper {
  private connection: Connection | null = null;
  private givenUp = false;
  private nextId = 0;

  /** `program`: the script that starts the helper when `RULEC_ACTION_HELPER=1` is set. */
  constructor(
    private readonly program: string,
    private readonly onFallback: (reason: string) => void = () => {},
  ) {}

  run(argv: readonly string[], options: RunOptions): Promise<ActionOutcome> {
    this.start();
    const connection = this.connection;
    if (connection === null) return runAction(argv, options);
    return new Promise((resolve) => {
      const id = this.nextId++;
      connection.pending.set(id, { resolve, argv, options, group: null });
      // Like a child started in-process, a running action keeps the daemon alive; an idle helper does not.
      connection.child.channel?.ref();
      const request: HelperRequest = {
        id, argv, env: options.env, timeoutMs: options.timeoutMs, killGraceMs: options.killGraceMs, outputCap: options.outputCap,
      };
      connection.child.send(request, (error) => {
        // Before the helper is ready its exit decides: the action then starts from here.
        if (error !== null && connection.ready) settle(connection, id, { kind: 'failed', error: `action helper unreachable: ${error.message}` });
      });
    });
  }

  /**
   * Lets the helper exit (it does once its channel closes); later `run` calls start a new one.
   * The actions it still runs get SIGTERM now and SIGKILL `graceMs` later, from here: the
   * helper would do the same, but a daemon that stops must not exit before they are gone.
   */
  close(graceMs: number): Promise<void> {
    const connection = this.connection;
    if (connection === null) return Promise.resolve();
    connection.closed = true;
    const ending = endGroups(startedGroups(connection.pending.values()), graceMs, { keepAlive: true });
    if (connection.child.connected) connection.child.disconnect();
    this.connection = null;
    return ending;
  }

  /** Starts the helper process unless it is running or was given up. */
  start(): void {
    if (this.connection !== null || this.givenUp) return;
    // No inherited node flags: the helper is plain JavaScript and should stay as small as it can.
    const child = fork(this.program, [], { execArgv: [], env: { ...process.env, [HELPER_ENV]: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const connection: Connection = { child, pending: new Map(), ready: false, closed: false };
    child.on('message', (reply: HelperReply) => {
      if ('ready' in reply) connection.ready = true;
      else if ('spawned' in reply) {
        const pending = connection.pending.get(reply.id);
        if (pending !== undefined) {
          pending.group = reply.group;
          pending.options.onSpawn?.(reply.group);
        }
      }
      else settle(connection, reply.id, reply.outcome);
    });
    let gone = false;
    const onGone = (why: string): void => {
      if (gone) return;
      gone = true;
      if (this.connection === connection) this.connection = null;
      const waiting = [...connection.pending.values()];
      connection.pending.clear();
      if (!connection.ready) {
        // It never served, so nothing it was sent has started: run those here.
        if (!connection.closed) {
          this.givenUp = true;
          this.onFallback(`action helper ${this.program} ${why} before it was ready`);
        }
        for (const p of waiting) void runAction(p.argv, p.options).then(p.resolve);
        return;
      }
      // Its actions live on in their own groups, with no one left to time them out: end them.
      void endGroups(startedGroups(waiting), SHUTDOWN_GRACE_MS, { keepAlive: false });
      for (const p of waiting) {
        const error = p.group === null ? `action helper ${why} before the action started` : `action helper ${why} before the action ended; its process group was stopped`;
        p.resolve(p.group === null ? { kind: 'failed', error } : { kind: 'lost', error });
      }
    };
    child.on('exit', (code, signal) => onGone(`exited (${signal ?? code ?? '?'})`));
    child.on('error', (error) => onGone(`failed: ${error.message}`));
    // An idle helper must never keep a stopping daemon alive.
    child.unref();
    child.channel?.unref();
    this.connection = connection;
  }
}

function settle(connection: Connection, id: number, outcome: ActionOutcome): void {
  const pending = connection.pending.get(id);
  if (pending === undefined) return;
  connection.pending.delete(id);
  if (connection.pending.size === 0) connection.child.channel?.unref();
  pending.resolve(outcome);
}

/** The process groups of the actions among `pending` that the helper reported started. */
function startedGroups(pending: Iterable<Pending>): number[] {
  return [...pending].flatMap((p) => (p.group === null ? [] : [p.group]));
}
