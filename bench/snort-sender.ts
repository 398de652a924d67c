/**
 * Sends datagrams to a unix datagram socket as Snort's alert_unixsock does: one `sendto` per
 * alert, blocking by default (Snort's socket is blocking), or with MSG_DONTWAIT, where a full
 * socket loses the datagram (counted). Run as a script it is the sending process of the
 * runtime-snort benchmark: `node snort-sender.js PATH FILE COUNT blocking|nonblocking` prints
 * `{ sent, lost, ms }`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';

const MSG_DONTWAIT = 0x40;

/** Sends each buffer once to `path`; returns how many were sent and how many the socket refused. */
export function sendDatagrams(path: string, datagrams: readonly Uint8Array[], blocking = true): { sent: number; lost: number; errors: number[] } {
  const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
  const lib = koffi.load('libc.so.6');
  const socket = lib.func('int socket(int, int, int)') as (...a: unknown[]) => number;
  const sendto = lib.func('intptr_t sendto(int fd, void *buf, size_t len, int flags, void *addr, uint32_t addrlen)') as (...a: unknown[]) => number | bigint;
  const close = lib.func('int close(int)') as (...a: unknown[]) => number;
  const address = Buffer.alloc(110);
  if (endianness() === 'LE') address.writeUInt16LE(1, 0);
  else address.writeUInt16BE(1, 0);
  address.write(path, 2);
  const fd = socket(1, 2, 0);
  let sent = 0;
  let lost = 0;
  const errors: number[] = [];
  for (const datagram of datagrams) {
    if (Number(sendto(fd, datagram, datagram.length, blocking ? 0 : MSG_DONTWAIT, address, 110)) >= 0) sent++;
    else {
      lost++;
      errors.push(koffi.errno());
    }
  }
  close(fd);
  return { sent, lost, errors };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, file, count, mode] = process.argv.slice(2);
  const datagram = readFileSync(file!);
  const start = performance.now();
  const { sent, lost } = sendDatagrams(path!, Array.from({ length: Number(count) }, () => datagram), mode !== 'nonblocking');
  process.stdout.write(`${JSON.stringify({ sent, lost, ms: performance.now() - start })}\n`);
}
