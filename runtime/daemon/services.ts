/**
 * The parts of a daemon beyond its items' file readers: a Snort socket, `every` digests, a
 * realtime monitor. Each kind of service is listed once in `DAEMON_SERVICES`; every daemon
 * (`rulec run`, a bundle, `rulec demo`) then makes one of each, starts it with the rule set,
 * hands it every reload, and stops it with the daemon. To add one: implement `DaemonService`,
 * list its `ServiceKind` below with the block kinds it runs, and `rulec run` from then on names
 * those blocks as served instead of as left to another command (coverage.ts).
 */
import type { ActionSink } from '../actions/action-sink.js';
import type { Clock } from '../clock/clock.js';
import type { BlockSpec, RuleModule } from '../contract.js';
import type { ItemStats } from '../engine/item-state.js';
import type { Output, Terminal } from '../handlers/create-handler.js';
import type { Logger } from '../log/logger.js';
import { REALTIME_MONITOR_SERVICE } from '../sources/monitor/realtime-service.js';
import { SNORT_SERVICE } from '../sources/snort/snort-daemon-service.js';
import { WATCH_DIGEST_SERVICE } from '../sources/watch/digest-service.js';

/**
 * What a daemon offers its services of the world around it. `output` and `terminal` are a
 * string, the reason, where it has none to give: `rulec run -d` writes its log to standard
 * output and has no terminal; with `-s` standard output carries the log.
 */
export interface ServiceSurroundings {
  /** Standard output, for what a service writes there (Snort's `json` handler without a file). */
  readonly output: Output | string;
  /** A person at a terminal (Snort's `repl` handler). */
  readonly terminal: Terminal | string;
  /** The rule file's directory: relative paths of its settings (key files, spool) are read from it. */
  readonly baseDir: string;
}

/** The daemon's shared parts a service may use. */
export interface ServiceContext extends ServiceSurroundings {
  /** The daemon's own log (escapes what it is given). */
  readonly log: Logger;
  readonly clock: Clock;
  /** Where actions go: queued, run as the items' actions are, and refused once the daemon stops. */
  readonly actions: ActionSink;
}

/**
 * One running service. It gets the whole rule set and picks its own blocks; with none of them it
 * does nothing. `start` and `replace` may reject: at the start the daemon then does not start
 * (exit 1, the message logged); on a reload the old rules keep running and the message is logged.
 */
export interface DaemonService {
  /** For the own log, e.g. `snort listener`. */
  readonly name: string;
  start(modules: readonly RuleModule[]): Promise<void>;
  /** A reload: the new rule set replaces the running one. */
  replace(modules: readonly RuleModule[]): Promise<void>;
  /** Stops before the daemon's actions are stopped; what it submits meanwhile is counted, not run. */
  stop(): Promise<void>;
  /** Its counters, for the daemon's stats and its stop summary; after `stop`, those of the stop. */
  stats?(): ServiceStats;
}

/** A service's counters. */
export interface ServiceStats {
  readonly name: string;
  /** For the stop summary, in order: `{ 'datagram(s) received': 3, 'alert(s)': 3 }`. */
  readonly counts: Readonly<Record<string, number>>;
  /** Per rule of its own (Snort rules: items whose matches are alerts). */
  readonly items: readonly ItemStats[];
}

/** A kind of service: the block kinds it runs, and how one is made. */
export interface ServiceKind {
  readonly blocks: readonly BlockSpec['kind'][];
  /** Which blocks of those kinds it runs (absent: all): `every` watches, `realtime` monitors. */
  serves?(block: BlockSpec): boolean;
  /**
   * What keeps it from running `modules` in these surroundings, one message each (none: it can
   * try). Reads and makes nothing: `rulec run` asks before it starts, and before `-d` leaves the
   * terminal, so that the refusal is said where the operator sees it.
   */
  check?(modules: readonly RuleModule[], surroundings: ServiceSurroundings): string[];
  create(context: ServiceContext): DaemonService;
}

/** True when a service of `kind` runs `block`. */
export function servesBlock(kind: ServiceKind, block: BlockSpec): boolean {
  return kind.blocks.includes(block.kind) && (kind.serves?.(block) ?? true);
}

/** Every kind of service a daemon runs, in start order (stopped in reverse). */
export const DAEMON_SERVICES: readonly ServiceKind[] = [SNORT_SERVICE, WATCH_DIGEST_SERVICE, REALTIME_MONITOR_SERVICE];
