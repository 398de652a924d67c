/**
 * `rulec snort`: Pigear's listener. Without a rule file it listens on one log directory (found
 * as Pigear found it) with the handlers named on the command line; with one it runs the file's
 * snort blocks, their handlers and rules (actions run as in `rulec run`). A block without a
 * handler writes JSON lines to standard output. Without `serveForever` a datagram that does not
 * decode stops it with a clear message; with it the error is logged and listening goes on.
 * SIGINT and SIGTERM stop it; the counts are logged on the way out.
 */
import { ActionRunner } from '../../actions/action-runner.js';
import { LiveClock } from '../../clock/clock.js';
import type { RuleModule } from '../../contract.js';
import type { HandlerRequest, Output, Terminal } from '../../handlers/create-handler.js';
import { holdTermination, type TerminationHold } from '../../daemon/process-guards.js';
import { Logger } from '../../log/logger.js';
import type { AlertVariant, ByteOrder } from './alertpkt.js';
import { DEFAULT_SNORT_CONF, resolveLogdir } from './logdir.js';
import { SnortService, type SnortBlockSpec } from './snort-service.js';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

/** What `rulec snort` was asked for. */
export interface SnortServeOptions {
  /** A rule file's modules: their snort blocks are run; the options below but handlers then do not apply. */
  readonly modules?: readonly RuleModule[];
  readonly logdir: string | null;
  readonly snortConf: string | null;
  readonly variant: AlertVariant;
  readonly byteOrder: ByteOrder;
  /** Snort 3 packet threads, each with its own socket; 1 for Snort 2. */
  readonly threads: number;
  readonly classificationConfig: string | null;
  /** Added to every block's own handlers. */
  readonly handlers: readonly HandlerRequest[];
  readonly serveForever: boolean;
  readonly debug: boolean;
  /** The rule file's directory (a mail handler's relative paths); default the working directory. */
  readonly baseDir?: string;
}

/** Where it writes: JSON lines to `out`, its log to `err`; a `repl` handler talks on `terminal`. */
export interface SnortIo {
  readonly out: Output;
  readonly err: Output;
  readonly terminal: Terminal | string;
}

const DRAIN_MS = 3_000;

/**
 * Runs until SIGINT or SIGTERM (0) or a datagram that does not decode without `serveForever` (1); 1 when it cannot start.
 * `hold`: the signals held while the caller compiled the rule file (`holdTermination`), handed over here.
 */
export async function serveSnort(options: SnortServeOptions, io: SnortIo, hold: TerminationHold = holdTermination()): Promise<number> {
  try {
    return await serve(options, io, hold);
  } finally {
    hold.release();
  }
}

async function serve(options: SnortServeOptions, io: SnortIo, hold: TerminationHold): Promise<number> {
  const log = new Logger({ level: options.debug ? 'debug' : 'info', stdout: io.err });
  if (hold.signal !== null) {
    log.info(null, `${hold.signal}: stopped before listening`);
    return 0;
  }
  const blocks = options.modules === undefined ? [commandLineBlock(options, log)] : SnortService.blocksOf(options.modules);
  if (blocks.length === 0) {
    log.error(null, 'the rule file has no snort block and no item with `snort =`: nothing to listen for');
    return 1;
  }
  const withHandlers = blocks.map((block): SnortBlockSpec => {
    const handlers = [...block.handlers, ...options.handlers];
    return { ...block, handlers: handlers.length > 0 ? handlers : [{ name: 'json', options: {} }] };
  });
  const modules = options.modules ?? [];
  const module: RuleModule = { ...(modules[0] ?? emptyModule()), blocks: withHandlers };
  const actions = new ActionRunner(log, { threads: module.engine.actionThreads });
  return new Promise<number>((done) => {
    let stopping = false;
    // Handled from the start to the end of the stop: a second signal while the sockets are
    // closed and the actions drained must not end the process with its socket files left.
    const onSignal = (signal: NodeJS.Signals): void => {
      log.info(null, stopping ? `${signal}: already stopping` : `${signal}: stopping`);
      void stop(0);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    hold.release();
    const finish = (code: number): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done(code);
    };
    // A signal during the start stops once the start has settled (a socket bound is then removed;
    // a start that failed has removed its own and ends with 1).
    let started: Promise<boolean> = Promise.resolve(true);
    const stop = async (code: number): Promise<void> => {
      if (stopping) return;
      stopping = true;
      if (!(await started)) return;
      await service.stop();
      await actions.drain(DRAIN_MS);
      await actions.close();
      finish(code);
    };
    const service = new SnortService(
      {
        log,
        clock: new LiveClock(),
        actions,
        output: io.out,
        terminal: io.terminal,
        baseDir: options.modules === undefined ? null : (options.baseDir ?? process.cwd()),
      },
      {
        onBad: () => {
          if (options.serveForever) {
            log.info(null, 'listening goes on (--serve-forever)');
            return;
          }
          log.error(null, 'stopping at a datagram that is no alert (with --serve-forever such errors are logged and listening goes on)');
          void stop(1);
        },
        onFailed: () => void stop(1),
      },
    );
    started = service.start([module]).then(
      () => true,
      (error: unknown) => {
        log.error(null, `cannot listen: ${(error as Error).message}`);
        stopping = true;
        void actions.close().then(() => finish(1));
        return false;
      },
    );
  });
}

/** The one listener of a command line without a rule file. */
function commandLineBlock(options: SnortServeOptions, log: Logger): SnortBlockSpec {
  const { logdir, from } = resolveLogdir(options.logdir, options.snortConf);
  log.info(null, `log directory ${logdir} (${from === 'given' ? 'as given' : from === 'default' ? 'the default' : `from ${from}`})`);
  // Beside snort.conf, as Snort's own include finds it, when none is named.
  const besideConf = join(dirname(options.snortConf ?? DEFAULT_SNORT_CONF), 'classification.config');
  const classificationConfig = options.classificationConfig ?? (existsSync(besideConf) ? besideConf : null);
  return { kind: 'snort', logdir, variant: options.variant, byteOrder: options.byteOrder, threads: options.threads, classificationConfig, handlers: [], rules: [] };
}

function emptyModule(): RuleModule {
  return { contractVersion: 0, name: 'rulec snort', settings: {}, engine: { actionThreads: 2, uid: null, gid: null, stateDir: null }, items: [], sources: [], blocks: [] };
}
