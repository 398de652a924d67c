/**
 * `rulec snort`: Pigear's listener. Binds Snort's alert sockets, decodes each datagram and hands
 * the alert to every handler (JSON lines to standard output when none is named) and to
 * `onAlert` (the rules over alerts). Without `serveForever` a datagram that does not decode
 * stops it with a clear message; with it the error is logged and listening goes on. SIGINT and
 * SIGTERM stop it; the counts are logged on the way out.
 */
import { dirname, join } from 'node:path';
import { createHandler, type HandlerRequest } from '../../handlers/create-handler.js';
import type { AlertHandler } from '../../handlers/alert-handler.js';
import { Logger } from '../../log/logger.js';
import { SnortListener } from './alert-listener.js';
import type { AlertVariant, ByteOrder } from './alertpkt.js';
import { readClassifications, type Classification } from './classification.js';
import { DEFAULT_SNORT_CONF, resolveLogdir, socketPaths } from './logdir.js';
import { fastAlertLine, type SnortAlert } from './snort-alert.js';

/** What `rulec snort` was asked for. */
export interface SnortServeOptions {
  readonly logdir: string | null;
  readonly snortConf: string | null;
  readonly variant: AlertVariant;
  readonly byteOrder: ByteOrder;
  /** Snort 3 packet threads, each with its own socket; 1 for Snort 2. */
  readonly threads: number;
  readonly classificationConfig: string | null;
  readonly handlers: readonly HandlerRequest[];
  readonly serveForever: boolean;
  readonly debug: boolean;
  /** Also given every alert (the rules over alerts). */
  readonly onAlert?: (alert: SnortAlert) => void;
}

/** Where it reads and writes. */
export interface SnortIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
}

/** How long handlers may take to finish what they queued when it stops. */
const CLOSE_MS = 5_000;

/** Runs until SIGINT or SIGTERM (0) or a datagram that does not decode without `serveForever` (1); 1 when it cannot start. */
export async function serveSnort(options: SnortServeOptions, io: SnortIo): Promise<number> {
  const log = new Logger({ level: options.debug ? 'debug' : 'info', stdout: io.stderr });
  const { logdir, from } = resolveLogdir(options.logdir, options.snortConf);
  const classes = classificationsFor(options, log);
  if (classes === null) return 1;
  let handlers: AlertHandler[];
  try {
    const requested = options.handlers.length > 0 ? options.handlers : [{ name: 'json', options: {} }];
    handlers = requested.map((request) => createHandler(request, { log, stdout: io.stdout, stdin: io.stdin }));
  } catch (error) {
    log.error(null, (error as Error).message);
    return 1;
  }
  return new Promise<number>((done) => {
    let stopping = false;
    const stop = async (code: number): Promise<void> => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await listener.stop();
      await Promise.all(handlers.map((h) => h.close(CLOSE_MS)));
      const s = listener.stats();
      log.info(null, `stopped: ${s.received} datagram(s) received, ${s.decoded} alert(s), ${s.bad} bad, ${s.behind} dropped while behind`);
      for (const h of handlers.map((handler) => handler.stats())) {
        if (h.failed + h.dropped > 0) log.warn(null, `handler ${h.name}: ${h.handled} handled, ${h.failed} failed, ${h.dropped} dropped`);
      }
      done(code);
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      log.info(null, `${signal}: stopping`);
      void stop(0);
    };
    const listener = new SnortListener(
      { paths: socketPaths(logdir, options.threads), variant: options.variant, byteOrder: options.byteOrder, classifications: classes },
      {
        alert: (alert) => {
          if (log.enabled('debug')) log.debug(null, `alert from ${alert.source}: ${fastAlertLine(alert)}`);
          for (const handler of handlers) handler.handle(alert);
          options.onAlert?.(alert);
        },
        bad: (source, error) => {
          if (options.serveForever) {
            log.error(null, `${source}: a datagram that is no alert: ${error}; listening on`);
            return;
          }
          log.error(null, `${source}: a datagram that is no alert: ${error}; stopping (with --serve-forever such errors are logged and listening goes on)`);
          void stop(1);
        },
        failed: (message) => {
          log.error(null, message);
          void stop(1);
        },
      },
    );
    try {
      for (const bound of listener.start()) log.info(null, `listening on ${bound.path} (receive buffer ${bound.receiveBuffer} bytes)`);
    } catch (error) {
      log.error(null, `cannot listen: ${(error as Error).message}`);
      void Promise.all(handlers.map((h) => h.close(0))).then(() => done(1));
      return;
    }
    log.info(null, `variant ${options.variant}, ${options.byteOrder} byte order, log directory ${logdir} (${from === 'given' ? 'as given' : from === 'default' ? 'the default' : `from ${from}`}), handlers: ${handlers.map((h) => h.name).join(', ')}`);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** The classification names: from the given file (an error if unreadable), else beside snort.conf if there is one. */
function classificationsFor(options: SnortServeOptions, log: Logger): ReadonlyMap<number, Classification> | null {
  const given = options.classificationConfig;
  const path = given ?? join(dirname(options.snortConf ?? DEFAULT_SNORT_CONF), 'classification.config');
  const read = readClassifications(path);
  if ('value' in read) return read.value;
  if (given !== null) {
    log.error(null, read.error);
    return null;
  }
  log.debug(null, `no classification names: ${read.error}`);
  return new Map();
}
