/**
 * The one way to build a daemon: `rulec run`, a bundle (both through `runMain`), `rulec demo` and
 * the benches make theirs here. A daemon is the items' file readers and engines (Supervisor),
 * the action queue (ActionRunner: posix_spawn where it can, else a helper process where one is
 * given, else Node's spawn), and one service of each kind in `DAEMON_SERVICES` (services.ts: the
 * place to add a Snort socket, digests, a monitor), all started together and stopped together.
 *
 * Stopping, in order: the action queue closes (what is queued or fired from now on never
 * starts), the readers and services stop (checkpoints saved; Snort's handlers get a few seconds
 * to deliver or spool what they hold), running actions get SIGTERM and,
 * `STOP_GRACE_MS` later, SIGKILL. Nothing it started outlives `stop()`. While a daemon runs it
 * holds the event loop open, so a process with nothing else to wait on cannot end behind its back
 * (Node would exit 13 with the daemon's promise unsettled): it ends only through `stop()`.
 */
import { actionHelperIfNeeded, defaultHelperProgram } from '../actions/action-helper.js';
import { ActionRunner, type ActionStats } from '../actions/action-runner.js';
import type { ActionRequest, ActionSink } from '../actions/action-sink.js';
import { LiveClock, type Clock } from '../clock/clock.js';
import type { RuleModule } from '../contract.js';
import type { ItemStats } from '../engine/item-state.js';
import type { Logger } from '../log/logger.js';
import { coverageOf, type Coverage } from './coverage.js';
import { DAEMON_SERVICES, servesBlock, type DaemonService, type ServiceKind, type ServiceStats, type ServiceSurroundings } from './services.js';
import { Supervisor } from './supervisor.js';

/** Between SIGTERM and SIGKILL for the actions still running when a daemon stops. */
export const STOP_GRACE_MS = 1_000;

/** How a daemon starts its actions; every field has a default. */
export interface DaemonActionOptions {
  /** Actions running at once; default the first module's `athread_count`. */
  readonly threads?: number;
  /** Environment the `RULEC_*` variables are added to; default `process.env`. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /**
   * The program started again as the action helper where posix_spawn cannot be used (a bundle
   * passes itself); default the runtime's own helper-main.js, when it is there.
   */
  readonly helperProgram?: string;
  /** Called as each fired action enters the queue (benches); must not throw. */
  readonly onSubmit?: (request: ActionRequest) => void;
  /** Called when an action's process has started (benches); must not throw. */
  readonly onSpawn?: (request: ActionRequest) => void;
}

/** What a daemon is built from besides its rules. */
export interface DaemonOptions {
  readonly log: Logger;
  /** Default the wall clock. */
  readonly clock?: Clock;
  /** Log every match at debug level (`-v`). */
  readonly verbose?: boolean;
  readonly actions?: DaemonActionOptions;
  /** Default `DAEMON_SERVICES`. */
  readonly services?: readonly ServiceKind[];
  /** What the services get of the world around; default: the process's standard output, no terminal, the working directory. */
  readonly surroundings?: ServiceSurroundings;
}

/** Counters of a daemon since it started. */
export interface DaemonStats {
  readonly linesRead: number;
  /** Per item of the rule set running now. */
  readonly items: readonly ItemStats[];
  readonly actions: ActionStats;
  /** Per service that counts (the Snort listener). */
  readonly services: readonly ServiceStats[];
}

/** A built daemon; see the file's comment for the order of its start and stop. */
export interface Daemon {
  /** What it runs of its rules and what it leaves to other commands. */
  readonly coverage: Coverage;
  /** Starts readers and services; rejects when one cannot start (then `stop()` stops what did). */
  start(): Promise<void>;
  /** A reload: swaps the rule set, keeping the positions of paths both sets read. */
  replace(modules: readonly RuleModule[]): Promise<void>;
  /**
   * Stops it all (see above) and resolves once nothing it started runs. With `drainMs` the
   * readers and services stop first and queued and running actions get that long to finish (`rulec demo`).
   */
  stop(options?: { readonly drainMs?: number }): Promise<DaemonStats>;
  stats(): DaemonStats;
}

/** Builds a daemon for `modules` (checked already: see `checkModule`). Call it after dropping privileges. */
export function createDaemon(modules: readonly RuleModule[], options: DaemonOptions): Daemon {
  const { log } = options;
  const clock = options.clock ?? new LiveClock();
  const kinds = options.services ?? DAEMON_SERVICES;
  const a = options.actions ?? {};
  const helperProgram = a.helperProgram ?? defaultHelperProgram();
  const helper = helperProgram === null ? undefined : actionHelperIfNeeded(helperProgram, (reason) => log.warn(null, `${reason}: actions start from the daemon itself`));
  const runner = new ActionRunner(log, { threads: a.threads ?? modules[0]?.engine.actionThreads ?? 2, baseEnv: a.baseEnv, onSpawn: a.onSpawn, helper });
  const onSubmit = a.onSubmit;
  const actions: ActionSink = onSubmit === undefined ? runner : {
    submit: (request) => {
      onSubmit(request);
      runner.submit(request);
    },
  };
  const supervisor = new Supervisor({ clock, actions, log, verbose: options.verbose });
  const surroundings = options.surroundings ?? { output: process.stdout, terminal: 'this daemon has no terminal for it', baseDir: process.cwd() };
  const services: DaemonService[] = kinds.map((kind) => kind.create({ log, clock, actions, ...surroundings }));
  let running = modules;
  let keepAlive: NodeJS.Timeout | null = null;
  let stopping: Promise<DaemonStats> | null = null;

  const stats = (): DaemonStats => {
    const { linesRead, items } = supervisor.stats();
    return { linesRead, items, actions: runner.stats(), services: services.flatMap((service, i) => countedStats(service, kinds[i]!, running)) };
  };

  const stopAll = async (drainMs: number): Promise<DaemonStats> => {
    // A half-started daemon must still stop whole: each part's failure is logged, not thrown.
    const settle = (what: string, step: () => Promise<void>): Promise<void> => step().catch((error: unknown) => log.error(null, `stopping ${what}: ${messageOf(error)}`));
    // Readers and services stop together: nothing new is read or received from then on.
    const sources = (): Promise<unknown> => Promise.all([
      settle('the file readers', () => supervisor.stop()),
      ...[...services].reverse().map((service) => settle(service.name, () => service.stop())),
    ]);
    const stopped = drainMs > 0 ? sources() : null;
    if (stopped !== null) {
      await stopped;
      await runner.drain(drainMs);
    }
    const actionsStopped = runner.stop(STOP_GRACE_MS);
    await (stopped ?? sources());
    await actionsStopped;
    if (keepAlive !== null) clearInterval(keepAlive);
    return stats();
  };

  return {
    coverage: coverageOf(modules, kinds),
    async start() {
      // Node's timers hold the loop open only while referenced; this one is, until stop().
      keepAlive ??= setInterval(() => {}, 1 << 30);
      await supervisor.start(running);
      for (const service of services) await service.start(running);
    },
    async replace(next) {
      await supervisor.replace(next);
      for (const service of services) await service.replace(next);
      running = next;
    },
    stop(stopOptions = {}) {
      stopping ??= stopAll(stopOptions.drainMs ?? 0);
      return stopping;
    },
    stats,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A service's counters for the stop summary, when it has something to say: it serves a block of
 * the running rule set, or counted something before a reload took its blocks away. A rule file
 * of items alone gets no `snort listener: 0 datagram(s)` line.
 */
function countedStats(service: DaemonService, kind: ServiceKind, running: readonly RuleModule[]): ServiceStats[] {
  const stats = service.stats?.();
  if (stats === undefined) return [];
  const serves = running.some((module) => module.blocks.some((block) => servesBlock(kind, block)));
  return serves || Object.values(stats.counts).some((n) => n > 0) ? [stats] : [];
}
