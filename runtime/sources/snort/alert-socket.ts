/**
 * Snort's alert sockets, bound and drained. Node's `dgram` has no AF_UNIX datagram sockets, and
 * the packages that add them (unix-dgram 2.0.7, node-unix-socket 0.2.7) receive into a
 * 65,536-byte buffer, which cuts Snort 2.9's 65,864-byte datagram before its event part. So the
 * socket is made with libc through koffi (already a dependency: prebuilt, maintained) and
 * drained by a worker thread (socket-worker.ts) with a buffer as large as any variant's.
 *
 * Binding: a socket file left by an earlier listener is replaced, but only when it is a socket
 * no one is bound to; anything else at the path is left alone and is an error. The socket is
 * bound in a fresh 0700 directory beside the path, given mode 0600 (and, when rulec runs as
 * root, the owner of the log directory: Snort's user), and only then renamed into place, so at
 * no moment can another user write to it.
 */
import { chmodSync, chownSync, lstatSync, mkdtempSync, renameSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BEHIND, COUNTERS, ERRORS, OVERSIZED, PENDING, RECEIVED, STOP, socketWorkerMain, type SocketWorkerData } from './socket-worker.js';

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_RCVBUF = 8;
const SO_RCVBUFFORCE = 33;
const SUN_PATH_MAX = 107;
const SOCKADDR_UN_SIZE = 110;
const ECONNREFUSED = 111;

type CFunction = (...args: unknown[]) => number;

interface Libc {
  readonly koffiPath: string;
  readonly errno: () => number;
  readonly socket: CFunction;
  readonly bind: CFunction;
  readonly connect: CFunction;
  readonly setsockopt: CFunction;
  readonly getsockopt: CFunction;
  readonly close: CFunction;
}

let libc: Libc | string | undefined;

/** libc through koffi, or why it cannot be had. */
function loadLibc(): Libc | string {
  if (libc !== undefined) return libc;
  if (process.platform !== 'linux') return (libc = 'Snort alert sockets need Linux');
  try {
    const require = createRequire(import.meta.url);
    const koffiPath = require.resolve('koffi');
    const koffi = require(koffiPath) as typeof import('koffi');
    const lib = koffi.load('libc.so.6');
    const fn = (definition: string): CFunction => lib.func(definition) as CFunction;
    libc = {
      koffiPath,
      errno: () => koffi.errno(),
      socket: fn('int socket(int domain, int type, int protocol)'),
      bind: fn('int bind(int fd, void *addr, uint32_t len)'),
      connect: fn('int connect(int fd, void *addr, uint32_t len)'),
      setsockopt: fn('int setsockopt(int fd, int level, int name, void *value, uint32_t len)'),
      getsockopt: fn('int getsockopt(int fd, int level, int name, void *value, _Inout_ uint32_t *len)'),
      close: fn('int close(int fd)'),
    };
  } catch (error) {
    libc = `koffi could not be loaded (${(error as Error).message}); install it beside rulec (npm install koffi@2)`;
  }
  return libc;
}

/** How the sockets are made. */
export interface AlertSocketOptions {
  /** Bytes asked for SO_RCVBUF (the kernel may give less, or double it). */
  readonly receiveBuffer: number;
  /** The largest datagram kept; longer ones are counted as oversized. */
  readonly maxDatagram: number;
  /** Datagrams received and not yet taken by the event loop, beyond which new ones are dropped and counted. */
  readonly pendingCap: number;
}

/** Counters since start. */
export interface AlertSocketStats {
  readonly received: number;
  /** Longer than `maxDatagram`: not any variant's alert. */
  readonly oversized: number;
  /** Dropped because the event loop had `pendingCap` datagrams still to take. */
  readonly behind: number;
  readonly receiveErrors: number;
}

/** One bound socket: its path and the receive buffer the kernel granted. */
export interface BoundSocket {
  readonly path: string;
  readonly receiveBuffer: number;
}

/** Where received datagrams and a fatal error of the draining thread go. */
export interface AlertSocketHandlers {
  datagram(path: string, data: Buffer): void;
  failed(message: string): void;
}

const POLL_MS = 200;

/**
 * The sockets at `paths`, bound by `start` and drained by a worker thread until `stop`, which
 * also removes the socket files.
 */
export class AlertSocket {
  private readonly fds: number[] = [];
  private readonly bound: BoundSocket[] = [];
  private readonly counters = new Int32Array(new SharedArrayBuffer(COUNTERS * 4));
  private worker: Worker | null = null;

  constructor(
    private readonly paths: readonly string[],
    private readonly options: AlertSocketOptions,
    private readonly handlers: AlertSocketHandlers,
  ) {}

  /** Binds every path and starts draining; throws an Error saying which path failed and why. */
  start(): readonly BoundSocket[] {
    const lib = loadLibc();
    if (typeof lib === 'string') throw new Error(lib);
    try {
      for (const path of this.paths) this.bindOne(lib, path);
    } catch (error) {
      this.closeAll(lib);
      throw error;
    }
    const data: SocketWorkerData = {
      koffiPath: lib.koffiPath,
      fds: this.fds,
      maxDatagram: this.options.maxDatagram,
      pendingCap: this.options.pendingCap,
      counters: this.counters.buffer as SharedArrayBuffer,
      pollMs: POLL_MS,
    };
    const byFd = new Map(this.fds.map((fd, i) => [fd, this.paths[i]!]));
    const worker = new Worker(`(${socketWorkerMain.toString()})()`, { eval: true, workerData: data });
    worker.on('message', (message: { batch?: { fd: number; data: ArrayBuffer }[]; error?: string }) => {
      if (message.error !== undefined) return this.handlers.failed(message.error);
      for (const { fd, data: bytes } of message.batch ?? []) {
        Atomics.sub(this.counters, PENDING, 1);
        this.handlers.datagram(byFd.get(fd) ?? '', Buffer.from(bytes));
      }
    });
    worker.on('error', (error) => this.handlers.failed(`the socket thread failed: ${error.message}`));
    this.worker = worker;
    return this.bound;
  }

  /** Stops draining, closes the sockets and removes their files. */
  async stop(): Promise<void> {
    Atomics.store(this.counters, STOP, 1);
    const worker = this.worker;
    this.worker = null;
    // The thread sees the flag within one poll; terminate() is for one that does not.
    if (worker !== null) {
      await new Promise<void>((done) => {
        const timer = setTimeout(() => void worker.terminate().then(() => done()), POLL_MS * 5);
        worker.once('exit', () => {
          clearTimeout(timer);
          done();
        });
      });
    }
    const lib = loadLibc();
    if (typeof lib !== 'string') this.closeAll(lib);
  }

  stats(): AlertSocketStats {
    const c = this.counters;
    return { received: c[RECEIVED]!, oversized: c[OVERSIZED]!, behind: c[BEHIND]!, receiveErrors: c[ERRORS]! };
  }

  private bindOne(lib: Libc, path: string): void {
    if (Buffer.byteLength(path) > SUN_PATH_MAX) throw new Error(`${path}: longer than the ${SUN_PATH_MAX} bytes a socket path may have`);
    checkStale(lib, path);
    const fd = lib.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw new Error(`${path}: socket() failed: errno ${lib.errno()}`);
    this.fds.push(fd);
    const dir = dirname(path);
    let scratchDir: string;
    try {
      scratchDir = mkdtempSync(join(dir, '.rulec-'));
    } catch (error) {
      throw new Error(`${path}: cannot create a socket in ${dir}: ${(error as Error).message}`);
    }
    const scratch = join(scratchDir, basename(path));
    try {
      if (lib.bind(fd, sockaddr(scratch), SOCKADDR_UN_SIZE) !== 0) throw new Error(`${path}: bind failed: errno ${lib.errno()}`);
      chmodSync(scratch, 0o600);
      const owner = statSync(dir);
      if (process.getuid?.() === 0 && owner.uid !== 0) chownSync(scratch, owner.uid, owner.gid);
      renameSync(scratch, path);
    } finally {
      try {
        unlinkSync(scratch);
      } catch {
        // Renamed into place, as it should be.
      }
      rmdirSync(scratchDir);
    }
    this.bound.push({ path, receiveBuffer: raiseReceiveBuffer(lib, fd, this.options.receiveBuffer) });
  }

  private closeAll(lib: Libc): void {
    for (const fd of this.fds.splice(0)) lib.close(fd);
    for (const { path } of this.bound.splice(0)) {
      try {
        if (lstatSync(path).isSocket()) unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  }
}

/** Throws unless `path` is free or holds a socket no one is bound to. */
function checkStale(lib: Libc, path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new Error(`${path} exists and is not a socket; not replacing it`);
  const probe = lib.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (probe < 0) throw new Error(`${path}: socket() failed: errno ${lib.errno()}`);
  const connected = lib.connect(probe, sockaddr(path), SOCKADDR_UN_SIZE);
  const errno = lib.errno();
  lib.close(probe);
  if (connected === 0) throw new Error(`${path}: another listener is bound to it; not taking it over`);
  if (errno !== ECONNREFUSED) throw new Error(`${path}: cannot tell whether the socket there is in use (errno ${errno}); not replacing it`);
  // Left as it is: the rename in bindOne replaces it in one step.
}

function sockaddr(path: string): Buffer {
  const address = Buffer.alloc(SOCKADDR_UN_SIZE);
  // sa_family_t is in host order.
  if (endianness() === 'LE') address.writeUInt16LE(AF_UNIX, 0);
  else address.writeUInt16BE(AF_UNIX, 0);
  address.write(path, 2, 'utf8');
  return address;
}

/** Asks for `bytes` of receive buffer (SO_RCVBUFFORCE as root, past net.core.rmem_max); returns what the kernel gave. */
function raiseReceiveBuffer(lib: Libc, fd: number, bytes: number): number {
  const value = Buffer.alloc(4);
  value.writeInt32LE(Math.min(bytes, 0x3fffffff));
  if (process.getuid?.() !== 0 || lib.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, value, 4) !== 0) lib.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, value, 4);
  const out = Buffer.alloc(4);
  const length = [4];
  lib.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, out, length);
  return out.readInt32LE(0);
}
