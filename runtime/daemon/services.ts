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
import type { Logger } from '../log/logger.js';

/** The daemon's shared parts a service may use. */
export interface ServiceContext {
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
}

/** A kind of service: the block kinds it runs, and how one is made. */
export interface ServiceKind {
  readonly blocks: readonly BlockSpec['kind'][];
  create(context: ServiceContext): DaemonService;
}

/** Every kind of service a daemon runs, in start order (stopped in reverse). */
export const DAEMON_SERVICES: readonly ServiceKind[] = [];
