/**
 * Starting an action with glibc's posix_spawn, called through koffi (a maintained FFI with
 * prebuilt binaries, so nothing is compiled on install).
 *
 * Node's `spawn` forks: the fork copies the page tables of the process that starts the child,
 * exec tears the copy down, and the event loop waits throughout; the pages the parent writes
 * next fault once each. posix_spawn shares the parent's memory until exec (clone with CLONE_VM
 * and CLONE_VFORK), so its cost does not grow with the parent. Measured from a 60 MB Node
 * process on the 2-vCPU machine of 5 Dec 2026: p50 0.8 ms a start against 4–5 ms for `spawn`
 * (docs/engine.md, "posix_spawn").
 *
 * The child is started as `runAction` asks of `spawn`: in a new session (so its own process
 * group), every signal at its default and none blocked, stdin on /dev/null, stdout and stderr
 * as pipes (`spawn` makes socket pairs; a program sees that only with fstat). Where this path would not behave exactly as `spawn` it is not taken, and `spawn`
 * runs instead (`start` returns null): not Linux on x64 or arm64, no glibc 2.26 or later
 * (POSIX_SPAWN_SETSID), no koffi, a NUL byte in an argument or the environment, no PATH in the
 * environment for a bare program name, no executable file found on it, or posix_spawn failing
 * (the program was not run, so `spawn` then reports the error in Node's words; a script
 * without `#!` gets ENOEXEC here and `spawn` runs it with /bin/sh, as execvp does).
 *
 * Node reaps only the children it started: these are reaped here, with waitpid on SIGCHLD and
 * on a one-second poll that also keeps the process alive while one runs.
 */
import { EventEmitter } from 'node:events';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';

/** glibc's values (bits/spawn.h); POSIX_SPAWN_SETSID from 2.26. */
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;
/** Bits of signals 32 and 33 in the first word of a sigset_t. */
const GLIBC_INTERNAL_SIGNALS = (1n << 31n) | (1n << 32n);
const O_RDONLY = 0;
const O_CLOEXEC = 0o2000000;
const WNOHANG = 1;
/** Larger than glibc's posix_spawn_file_actions_t (80 bytes), posix_spawnattr_t (336) and sigset_t (128) on every architecture. */
const OPAQUE_BYTES = 1024;
const REAP_POLL_MS = 1000;

type CFunction = (...args: unknown[]) => number;

interface Libc {
  readonly pipe2: CFunction;
  readonly close: CFunction;
  readonly fileActionsInit: CFunction;
  readonly fileActionsDestroy: CFunction;
  readonly addDup2: CFunction;
  readonly addOpen: CFunction;
  readonly spawn: CFunction;
  readonly waitpid: CFunction;
  /** posix_spawnattr_t: new session, default signals, empty mask; the same for every child. */
  readonly attributes: Buffer;
}

/** A child started by posix_spawn, with the parts of ChildProcess that `runAction` uses. */
export interface SpawnedChild extends EventEmitter {
  readonly pid: number;
  readonly stdout: Readable;
  readonly stderr: Readable;
}

const signalNames = new Map<number, NodeJS.Signals>(
  Object.entries(osConstants.signals).map(([name, number]) => [number, name as NodeJS.Signals]),
);

let libc: Libc | null | undefined;

/** Binds libc once; null where posix_spawn cannot be used as `spawn` would be. */
function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  // The sigset_t written below is laid out for 64-bit little-endian words.
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return libc;
  try {
    // koffi is CommonJS with a native part: loaded at run time, and absent from a bundle.
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load('libc.so.6');
    const fn = (definition: string): CFunction => lib.func(definition) as CFunction;
    const attributes = Buffer.alloc(OPAQUE_BYTES);
    const allSignals = Buffer.alloc(OPAQUE_BYTES);
    const noSignals = Buffer.alloc(OPAQUE_BYTES);
    fn('int posix_spawnattr_init(void *attr)')(attributes);
    fn('int sigfillset(void *set)')(allSignals);
    // sigfillset leaves out glibc's own two signals (32 and 33); glibc's spawn sets them to
    // SIG_IGN in the child, and exec keeps that. libuv resets them, so here they are too.
    allSignals.writeBigUInt64LE(allSignals.readBigUInt64LE(0) | GLIBC_INTERNAL_SIGNALS, 0);
    fn('int sigemptyset(void *set)')(noSignals);
    fn('int posix_spawnattr_setsigdefault(void *attr, void *set)')(attributes, allSignals);
    fn('int posix_spawnattr_setsigmask(void *attr, void *set)')(attributes, noSignals);
    // Before 2.26 glibc refuses the SETSID flag with EINVAL.
    const flags = POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if (fn('int posix_spawnattr_setflags(void *attr, short flags)')(attributes, flags) !== 0) return libc;
    libc = {
      pipe2: fn('int pipe2(_Out_ int *fds, int flags)'),
      close: fn('int close(int fd)'),
      fileActionsInit: fn('int posix_spawn_file_actions_init(void *actions)'),
      fileActionsDestroy: fn('int posix_spawn_file_actions_destroy(void *actions)'),
      addDup2: fn('int posix_spawn_file_actions_adddup2(void *actions, int fd, int newfd)'),
      addOpen: fn('int posix_spawn_file_actions_addopen(void *actions, int fd, const char *path, int flags, int mode)'),
      spawn: fn('int posix_spawn(_Out_ int *pid, const char *path, void *actions, void *attr, const char **argv, const char **envp)'),
      waitpid: fn('int waitpid(int pid, _Out_ int *status, int options)'),
      attributes,
    };
  } catch {
    // No koffi (a bundle), or no glibc: `spawn` it is.
  }
  return libc;
}

/** True where `start` can start children (it may still decline one). */
export function posixSpawnAvailable(): boolean {
  return loadLibc() !== null;
}

/** The file execvp would run for `program` with `env`'s PATH; null when this path should leave it to `spawn`. */
function resolveProgram(program: string, env: NodeJS.ProcessEnv): string | null {
  if (program.includes('/')) return program;
  const path = env.PATH;
  if (path === undefined) return null;
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir === '' ? '.' : dir, program);
    try {
      accessSync(candidate, fsConstants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

/** Children started here and not reaped yet. */
const running = new Map<number, Child>();
let reapTimer: NodeJS.Timeout | null = null;
let listening = false;

class Child extends EventEmitter implements SpawnedChild {
  private openStreams = 2;
  private exit: [number | null, NodeJS.Signals | null] | null = null;

  constructor(
    readonly pid: number,
    readonly stdout: Socket,
    readonly stderr: Socket,
  ) {
    super();
    for (const stream of [stdout, stderr]) {
      stream.once('close', () => this.streamClosed());
      // A read error closes the stream; the exit status still reports how the action ended.
      stream.on('error', () => {});
    }
  }

  /** Its waitpid status, or null when it ended without one this process could read. */
  ended(status: number | null): void {
    const termSignal = (status ?? 0) & 0x7f;
    this.exit = status === null ? [null, null] : termSignal === 0 ? [(status >> 8) & 0xff, null] : [null, signalNames.get(termSignal) ?? null];
    this.emit('exit', ...this.exit);
    if (this.openStreams === 0) this.emit('close', ...this.exit);
  }

  private streamClosed(): void {
    this.openStreams--;
    if (this.openStreams === 0 && this.exit !== null) this.emit('close', ...this.exit);
  }
}

function reap(): void {
  const lib = libc;
  if (lib === null || lib === undefined) return;
  for (const [pid, child] of running) {
    const status = [0];
    const reaped = lib.waitpid(pid, status, WNOHANG);
    if (reaped === 0) continue;
    running.delete(pid);
    // -1: no such child any more (reaped by other code), so no status to report.
    child.ended(reaped === pid ? status[0] ?? 0 : null);
  }
  if (running.size === 0 && reapTimer !== null) {
    clearInterval(reapTimer);
    reapTimer = null;
  }
}

/**
 * Starts `argv` with environment `env` by posix_spawn, or returns null when `spawn` must
 * (see above). The child has already exec'd when this returns.
 */
export function start(argv: readonly string[], env: NodeJS.ProcessEnv): SpawnedChild | null {
  const lib = loadLibc();
  const program = argv[0];
  if (lib === null || program === undefined) return null;
  const envp: string[] = [];
  for (const [name, value] of Object.entries(env)) if (value !== undefined) envp.push(`${name}=${value}`);
  if (argv.some((word) => word.includes('\0')) || envp.some((entry) => entry.includes('\0'))) return null;
  const file = resolveProgram(program, env);
  if (file === null) return null;

  const out = [-1, -1];
  const err = [-1, -1];
  if (lib.pipe2(out, O_CLOEXEC) !== 0) return null;
  if (lib.pipe2(err, O_CLOEXEC) !== 0) {
    for (const fd of out) lib.close(fd);
    return null;
  }
  const actions = Buffer.alloc(OPAQUE_BYTES);
  lib.fileActionsInit(actions);
  lib.addOpen(actions, 0, '/dev/null', O_RDONLY, 0);
  // dup2 clears close-on-exec on the copy: the child keeps 1 and 2, not the pipes' other ends.
  lib.addDup2(actions, out[1], 1);
  lib.addDup2(actions, err[1], 2);
  const pid = [0];
  const failed = lib.spawn(pid, file, actions, lib.attributes, [...argv, null], [...envp, null]);
  lib.fileActionsDestroy(actions);
  lib.close(out[1]);
  lib.close(err[1]);
  if (failed !== 0) {
    lib.close(out[0]);
    lib.close(err[0]);
    return null;
  }
  const child = new Child(
    pid[0] ?? 0,
    new Socket({ fd: out[0], readable: true, writable: false }),
    new Socket({ fd: err[0], readable: true, writable: false }),
  );
  running.set(child.pid, child);
  if (!listening) {
    listening = true;
    process.on('SIGCHLD', reap);
  }
  // A missed SIGCHLD costs at most a second; the timer also keeps the process alive meanwhile.
  reapTimer ??= setInterval(reap, REAP_POLL_MS);
  return child;
}
