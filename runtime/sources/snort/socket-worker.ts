/**
 * The thread that empties Snort's alert sockets. Snort sends each alert with a blocking
 * `sendto`: while the kernel queue of a unix datagram socket is full (net.unix.max_dgram_qlen,
 * 10 by default, and the sender's SO_SNDBUF, about three 64 KiB alerts) Snort waits, and with a
 * non-blocking sender the alert is lost. So the sockets are drained by a thread of their own,
 * blocked in poll(2), never by the event loop: a busy engine cannot hold Snort up.
 *
 * `socketWorkerMain` runs as the worker's whole program (`new Worker(source, { eval: true })`),
 * so it uses nothing from this module's scope: a bundle carries it as text.
 */

/** What the worker is given. */
export interface SocketWorkerData {
  /** Absolute path of koffi's entry (the worker's `require` resolves from nowhere useful). */
  readonly koffiPath: string;
  readonly fds: readonly number[];
  /** Bytes of the receive buffer; a longer datagram is counted in `counters[OVERSIZED]` and dropped. */
  readonly maxDatagram: number;
  /** Datagrams handed over and not yet taken by the main thread, beyond which new ones are dropped. */
  readonly pendingCap: number;
  /** Int32: [stop flag, pending, received, oversized, dropped behind, receive errors]. */
  readonly counters: SharedArrayBuffer;
  /** ms poll(2) waits before looking at the stop flag again. */
  readonly pollMs: number;
}

/** Indexes into the shared counters. */
export const STOP = 0;
export const PENDING = 1;
export const RECEIVED = 2;
export const OVERSIZED = 3;
export const BEHIND = 4;
export const ERRORS = 5;
export const COUNTERS = 6;

/** The worker's program; posts `{ batch: [{ fd, data }] }` messages and `{ error }` once on a fatal error. */
export function socketWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const data = workerData as SocketWorkerData;
  const port = parentPort!;
  const koffi = require(data.koffiPath) as typeof import('koffi');
  const lib = koffi.load('libc.so.6');
  const poll = lib.func('int poll(void *fds, uint64_t nfds, int timeout)') as (...args: unknown[]) => number;
  const recv = lib.func('intptr_t recv(int fd, void *buf, size_t len, int flags)') as (...args: unknown[]) => number | bigint;
  const counters = new Int32Array(data.counters);
  const MSG_TRUNC = 0x20;
  const MSG_DONTWAIT = 0x40;
  const POLLIN = 0x1;
  const EINTR = 4;
  const EAGAIN = 11;
  // At most this many datagrams per socket per round, so one busy socket cannot starve the others.
  const ROUND = 64;
  const pollFds = Buffer.alloc(8 * data.fds.length);
  data.fds.forEach((fd, i) => {
    pollFds.writeInt32LE(fd, 8 * i);
    pollFds.writeInt16LE(POLLIN, 8 * i + 4);
  });
  const scratch = Buffer.alloc(data.maxDatagram);
  while (Atomics.load(counters, 0) === 0) {
    const ready = poll(pollFds, data.fds.length, data.pollMs);
    if (ready < 0) {
      const errno = koffi.errno();
      if (errno === EINTR) continue;
      port.postMessage({ error: `poll failed: errno ${errno}` });
      return;
    }
    if (ready === 0) continue;
    const batch: { fd: number; data: ArrayBuffer }[] = [];
    for (let i = 0; i < data.fds.length; i++) {
      if ((pollFds.readInt16LE(8 * i + 6) & POLLIN) === 0) continue;
      const fd = data.fds[i]!;
      for (let n = 0; n < ROUND; n++) {
        const got = Number(recv(fd, scratch, scratch.length, MSG_DONTWAIT | MSG_TRUNC));
        if (got < 0) {
          const errno = koffi.errno();
          if (errno !== EAGAIN && errno !== EINTR) Atomics.add(counters, 5, 1);
          break;
        }
        Atomics.add(counters, 2, 1);
        // MSG_TRUNC makes recv return the datagram's real length, so an oversized one is seen.
        if (got > scratch.length) {
          Atomics.add(counters, 3, 1);
          continue;
        }
        if (Atomics.load(counters, 1) >= data.pendingCap) {
          Atomics.add(counters, 4, 1);
          continue;
        }
        const copy = new Uint8Array(got);
        copy.set(scratch.subarray(0, got));
        Atomics.add(counters, 1, 1);
        batch.push({ fd, data: copy.buffer });
      }
    }
    if (batch.length > 0) port.postMessage({ batch }, batch.map((b) => b.data));
  }
}
