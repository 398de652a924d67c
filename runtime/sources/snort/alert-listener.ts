/**
 * Snort's alert sockets turned into alerts: datagrams from `AlertSocket` are decoded with the
 * configured variant and byte order; a datagram that does not decode is counted and reported,
 * and never stops the others.
 */
import { AlertSocket, type BoundSocket } from './alert-socket.js';
import { alertLayout } from './alertpkt.js';
import { decodeSnortAlert, type DecodeOptions, type SnortAlert } from './snort-alert.js';

/** Where the listener's sockets are and how their datagrams are read. */
export interface SnortListenerOptions extends DecodeOptions {
  readonly paths: readonly string[];
  /** SO_RCVBUF asked for; default 8 MiB. */
  readonly receiveBuffer?: number;
  /** Datagrams waiting for the event loop before new ones are dropped; default 1024. */
  readonly pendingCap?: number;
}

/** What the listener reports. */
export interface SnortListenerEvents {
  alert(alert: SnortAlert): void;
  /** A datagram that is not an alert of the configured variant; `error` says why. */
  bad(source: string, error: string): void;
  /** The socket thread stopped; nothing more will arrive. */
  failed(message: string): void;
}

/** Counters since start. */
export interface SnortListenerStats {
  readonly received: number;
  readonly decoded: number;
  readonly bad: number;
  /** Longer than any variant: dropped by the socket thread. */
  readonly oversized: number;
  /** Dropped because the event loop was `pendingCap` datagrams behind. */
  readonly behind: number;
}

/** The largest variant and then some, so a longer datagram is seen as too long rather than cut. */
const MAX_DATAGRAM = 128 * 1024;

/** Listens on Snort's alert sockets until `stop`. */
export class SnortListener {
  private readonly socket: AlertSocket;
  private decoded = 0;
  private bad = 0;

  private decoding: DecodeOptions;

  constructor(options: SnortListenerOptions, private readonly events: SnortListenerEvents) {
    this.decoding = options;
    this.socket = new AlertSocket(
      options.paths,
      {
        receiveBuffer: options.receiveBuffer ?? 8 * 1024 * 1024,
        maxDatagram: Math.max(MAX_DATAGRAM, alertLayout(options.variant).size),
        pendingCap: options.pendingCap ?? 1024,
      },
      {
        datagram: (path, data) => this.onDatagram(path, data),
        failed: (message) => events.failed(message),
      },
    );
  }

  /** Binds the sockets (throws saying why one could not be) and starts listening. */
  start(): readonly BoundSocket[] {
    return this.socket.start();
  }

  stop(): Promise<void> {
    return this.socket.stop();
  }

  /** How datagrams are decoded from now on (a reload that keeps the sockets bound). */
  setDecoding(options: DecodeOptions): void {
    this.decoding = options;
  }

  stats(): SnortListenerStats {
    const s = this.socket.stats();
    return { received: s.received, decoded: this.decoded, bad: this.bad + s.oversized, oversized: s.oversized, behind: s.behind };
  }

  private onDatagram(path: string, data: Buffer): void {
    const result = decodeSnortAlert(data, path, this.decoding);
    if ('error' in result) {
      this.bad++;
      this.events.bad(path, result.error);
      return;
    }
    this.decoded++;
    this.events.alert(result);
  }
}
