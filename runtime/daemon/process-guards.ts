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
