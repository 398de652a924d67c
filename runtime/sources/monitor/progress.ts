/** Progress of a long scan on a terminal: one line on stderr, rewritten in place, only when it is a TTY. */

/** Milliseconds between updates. */
const EVERY_MS = 250;

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function size(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** A progress line writer, or null when `stream` is not a terminal (a pipe, a file, cron's mail). */
export interface Progress {
  update(files: number, bytes: number): void;
  /** Clears the line. */
  done(): void;
}

/** Progress on `stream` when it is a terminal; null otherwise, so pipes and logs never get it. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, label = 'rulec monitor'): Progress | null {
  if (stream.isTTY !== true) return null;
  let last = 0;
  let shown = false;
  return {
    update(files, bytes) {
      const now = Date.now();
      if (now - last < EVERY_MS) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[K${label}: ${files.toLocaleString('en-US')} files, ${size(bytes)}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
