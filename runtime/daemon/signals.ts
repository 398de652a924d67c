/** What the daemon does on each signal it handles. */
export interface SignalHandlers {
  readonly hangup: () => void;
  readonly reload: () => void;
  readonly terminate: (signal: NodeJS.Signals) => void;
}

/**
 * Installs the daemon's signal handlers (SIGHUP, SIGUSR1, SIGTERM, SIGINT) and returns a
 * function that removes them again, so a finished `runMain` leaves the process as it found it.
 */
export function installSignals(handlers: SignalHandlers): () => void {
  const pairs: [NodeJS.Signals, () => void][] = [
    ['SIGHUP', handlers.hangup],
    ['SIGUSR1', handlers.reload],
    ['SIGTERM', () => handlers.terminate('SIGTERM')],
    ['SIGINT', () => handlers.terminate('SIGINT')],
  ];
  for (const [signal, fn] of pairs) process.on(signal, fn);
  return () => {
    for (const [signal, fn] of pairs) process.off(signal, fn);
  };
}
