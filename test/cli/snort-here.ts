/** Runs `rulec snort` in this process through the CLI's `main`, for the snort CLI tests. */
import { main } from '../../cli/main.js';

/**
 * Starts `rulec snort ARGS` (in `cwd` when given); `stop()` is SIGTERM as its handler sees it (the
 * event, not a signal to this process). Adds to `cleanups` a stop for a run a test left going.
 */
export function snortInProcess(args: readonly string[], cleanups: (() => void)[], cwd?: string) {
  const out = { stdout: '', stderr: '', code: null as number | null };
  const io = { out: (t: string) => void (out.stdout += t), err: (t: string) => void (out.stderr += t) };
  const done = main(['snort', ...args], cwd === undefined ? io : { ...io, cwd }).then((code) => {
    out.code = code;
    return code;
  });
  const stop = async (): Promise<number> => {
    process.emit('SIGTERM', 'SIGTERM');
    return done;
  };
  cleanups.push(() => void (out.code === null && process.emit('SIGTERM', 'SIGTERM')));
  return { out, done, stop };
}
