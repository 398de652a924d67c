/**
 * What every rulec process sets up first, before it compiles or loads any rules (cli/main.ts,
 * `bundleMain`, `runMain`). Idempotent.
 */
import { enableLinearRegexFallback } from '../engine/linear-regex-fallback.js';

let guarded = false;
let hangupGuarded = false;

/**
 * Node opens its inspector (127.0.0.1:9229: code execution for any local user) on SIGUSR1 when
 * nothing listens for it: a listener that does nothing keeps it shut until a daemon's own reload
 * handler takes over. And a regex that backtracks too long falls back to V8's linear engine: set
 * before rule modules create their regexes (linear-regex-fallback.ts).
 */
export function guardProcess(): void {
  if (guarded) return;
  guarded = true;
  process.on('SIGUSR1', () => {});
  enableLinearRegexFallback();
}

/**
 * For a daemon still compiling or loading its rules: a SIGHUP (logrotate's postrotate during a
 * restart) would end the process before its own handler exists; there is no log file to reopen yet.
 */
export function guardHangup(): void {
  if (hangupGuarded) return;
  hangupGuarded = true;
  process.on('SIGHUP', () => {});
}

/** The signals that end a process by default; the CLI's entry holds them until the guard is in place. */
const TERMINATING = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
type Terminating = (typeof TERMINATING)[number];
const SIGNAL_NUMBER: Record<Terminating, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

let terminationGuarded = false;
/** A signal the entry held while the CLI loaded, until a hold takes it or the guard acts on it. */
let pending: Terminating | null = null;

/**
 * For the `rulec` process (bin/rulec.js, a bundle): a SIGTERM, SIGINT or SIGHUP that nothing of
 * rulec's handles (no daemon's stop, no demo's, no hold of a starting daemon) ends the process
 * with a word on stderr and the shell's code for it (128 + the signal's number: 143, 130, 129),
 * through `process.exit`, so `exit` hooks (a pid file's removal) run; Node's default would end
 * it silently, with no hook run. Once the command has ended (its exit code set) a signal only
 * ends the wait for what the process still lets go of, with that code. `held`: the signals the
 * entry caught before this was loaded; the first is acted on unless a hold takes it first (a
 * daemon starting in the same tick: `holdTermination`). Idempotent.
 */
export function guardTermination(held: readonly NodeJS.Signals[] = []): void {
  if (terminationGuarded) return;
  terminationGuarded = true;
  for (const signal of TERMINATING) process.on(signal, onTermination);
  pending = (held.find((s): s is Terminating => (TERMINATING as readonly string[]).includes(s)) ?? null);
  if (pending !== null) {
    setImmediate(() => {
      const signal = pending;
      pending = null;
      if (signal !== null) onTermination(signal);
    });
  }
}

function onTermination(signal: Terminating): void {
  // Another listener handles it: a daemon's stop, the demo's, a bundle's forwarder, a hold.
  if (process.listenerCount(signal) > 1) return;
  if (process.exitCode !== undefined && process.exitCode !== null) process.exit();
  process.stderr.write(`rulec: ${signal}: stopped before finishing\n`);
  process.exit(128 + SIGNAL_NUMBER[signal]);
}

/** SIGTERM or SIGINT held for a daemon that is still starting: see `holdTermination`. */
export interface TerminationHold {
  /** The first SIGTERM or SIGINT that came while held, or null. */
  readonly signal: 'SIGTERM' | 'SIGINT' | null;
  /** Stops holding: the daemon's own handlers are in place, or the process may end by the guard. */
  release(): void;
}

/**
 * For a daemon from its first moment until its handlers exist (compiling its rules, binding its
 * sockets): SIGTERM and SIGINT are held, not acted on, so the daemon can stop in order, as if
 * they came once it ran (exit 0, pid file and sockets removed). Takes a signal the entry held
 * while the CLI loaded; a SIGHUP held so is dropped (nothing to reopen yet: `guardHangup`).
 */
export function holdTermination(): TerminationHold {
  let signal: 'SIGTERM' | 'SIGINT' | null = pending === 'SIGTERM' || pending === 'SIGINT' ? pending : null;
  pending = null;
  const hold = (s: NodeJS.Signals): void => {
    signal ??= s === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
  };
  process.on('SIGTERM', hold);
  process.on('SIGINT', hold);
  let held = true;
  return {
    get signal() {
      return signal;
    },
    release() {
      if (!held) return;
      held = false;
      process.off('SIGTERM', hold);
      process.off('SIGINT', hold);
    },
  };
}
