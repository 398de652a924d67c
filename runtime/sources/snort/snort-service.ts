/**
 * The Snort part of a daemon: one listener per `snort` block (its log directory's sockets), the
 * block's handlers, and its rules counted by an `Engine` of their own, the very windows, keys,
 * hold-off and action queue of file items (the rules are items whose matches come from alerts:
 * `Engine.onRecord`). The same service runs in `rulec run` beside the file items and alone in
 * `rulec snort`.
 */
import type { ActionSink } from '../../actions/action-sink.js';
import type { Clock } from '../../clock/clock.js';
import { ALERT_FIELDS, type BlockSpec, type RuleModule } from '../../contract.js';
import { Engine } from '../../engine/engine.js';
import type { ItemStats } from '../../engine/item-state.js';
import { createHandler, type HandlerDeps } from '../../handlers/create-handler.js';
import type { AlertHandler } from '../../handlers/alert-handler.js';
import type { Logger } from '../../log/logger.js';
import { SnortListener, type SnortListenerStats } from './alert-listener.js';
import { alertFilter } from './alert-filter.js';
import { readClassifications, type Classification } from './classification.js';
import { socketPaths } from './logdir.js';
import { alertCaptures, fastAlertLine, type SnortAlert } from './snort-alert.js';

/** A snort block as the module holds it. */
export type SnortBlockSpec = Extract<BlockSpec, { kind: 'snort' }>;

/** What the service needs from its daemon. */
export interface SnortServiceContext extends HandlerDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly actions: ActionSink;
}

/** How a datagram that is no alert is met: logged and passed over (a daemon), or also reported to `onBad`. */
export interface SnortServiceOptions {
  readonly onBad?: (source: string, error: string) => void;
  /** The socket thread of a listener failed: nothing more arrives there. */
  readonly onFailed?: (message: string) => void;
}

/** Counters of one listener. */
export interface SnortBlockStats extends SnortListenerStats {
  readonly logdir: string;
  readonly rules: readonly ItemStats[];
}

interface Running {
  readonly block: SnortBlockSpec;
  readonly listener: SnortListener;
  readonly handlers: readonly AlertHandler[];
  readonly engine: Engine;
  readonly tests: readonly ((alert: SnortAlert) => boolean)[];
}

const HANDLER_CLOSE_MS = 5_000;

/** Fields a rule's captures must line up with; a module from an older compiler would disagree. */
const CAPTURE_COUNT = ALERT_FIELDS.length;

/** Listens for the snort blocks of a rule set. */
export class SnortService {
  readonly name = 'snort listener';
  private running: Running[] = [];

  constructor(private readonly context: SnortServiceContext, private readonly options: SnortServiceOptions = {}) {}

  /** The snort blocks of `modules`. */
  static blocksOf(modules: readonly RuleModule[]): SnortBlockSpec[] {
    return modules.flatMap((m) => m.blocks.filter((b): b is SnortBlockSpec => b.kind === 'snort'));
  }

  /** Binds every block's sockets; throws saying which could not be bound (those bound are let go). */
  start(modules: readonly RuleModule[]): Promise<void> {
    const template = modules[0];
    try {
      for (const block of SnortService.blocksOf(modules)) this.running.push(this.startBlock(block, template));
    } catch (error) {
      return this.stop().then(() => Promise.reject(error));
    }
    return Promise.resolve();
  }

  /** A reload: the listeners are bound again with the new blocks (alerts sent in between wait in the kernel or are refused). */
  async replace(modules: readonly RuleModule[]): Promise<void> {
    await this.stop();
    await this.start(modules);
  }

  async stop(): Promise<void> {
    const running = this.running.splice(0);
    await Promise.all(running.map(async (r) => {
      await r.listener.stop();
      r.engine.stop();
      await Promise.all(r.handlers.map((h) => h.close(HANDLER_CLOSE_MS)));
      this.logStats(r);
    }));
  }

  stats(): SnortBlockStats[] {
    return this.running.map((r) => ({ logdir: r.block.logdir, ...r.listener.stats(), rules: r.engine.stats().items }));
  }

  private startBlock(block: SnortBlockSpec, template: RuleModule | undefined): Running {
    const { log, clock, actions } = this.context;
    const classes = this.classifications(block);
    const rules = (block.rules ?? []).filter((rule) => rule.alert !== undefined && rule.groupCount === CAPTURE_COUNT);
    const engine = new Engine(ruleModule(template, rules, block), { clock, actions, log });
    const tests = rules.map((rule) => alertFilter(rule.alert!));
    const handlers = block.handlers.map((request) => createHandler(request, this.context));
    const listener = new SnortListener(
      { paths: socketPaths(block.logdir, block.threads ?? 1), variant: block.variant, byteOrder: block.byteOrder ?? 'native', classifications: classes },
      {
        alert: (alert) => {
          if (log.enabled('debug')) log.debug(null, `alert from ${alert.source}: ${fastAlertLine(alert)}`);
          for (const handler of handlers) handler.handle(alert);
          let captures: string[] | null = null;
          const time = alert.fields.ts_sec * 1000 + Math.floor(alert.fields.ts_usec / 1000);
          tests.forEach((test, i) => {
            if (!test(alert)) return;
            captures ??= alertCaptures(alert);
            engine.onRecord(i, captures, time);
          });
        },
        bad: (source, error) => {
          log.error(null, `${source}: a datagram that is no alert: ${error}`);
          this.options.onBad?.(source, error);
        },
        failed: (message) => {
          log.error(null, `${block.logdir}: ${message}`);
          this.options.onFailed?.(message);
        },
      },
    );
    let bound;
    try {
      bound = listener.start();
    } catch (error) {
      void Promise.all(handlers.map((h) => h.close(0)));
      throw error;
    }
    engine.start();
    for (const socket of bound) log.info(null, `listening on ${socket.path} (receive buffer ${socket.receiveBuffer} bytes)`);
    log.info(null, `${block.logdir}: variant ${block.variant}, ${block.byteOrder ?? 'native'} byte order, ${rules.length} rule(s), handlers: ${block.handlers.map((h) => h.name).join(', ') || 'none'}`);
    return { block, listener, handlers, engine, tests };
  }

  private classifications(block: SnortBlockSpec): ReadonlyMap<number, Classification> {
    const path = block.classificationConfig ?? null;
    if (path === null) return new Map();
    const read = readClassifications(path);
    if ('value' in read) return read.value;
    throw new Error(read.error);
  }

  private logStats(r: Running): void {
    const { log } = this.context;
    const s = r.listener.stats();
    log.info(null, `${r.block.logdir}: ${s.received} datagram(s) received, ${s.decoded} alert(s), ${s.bad} bad, ${s.behind} dropped while behind`);
    for (const h of r.handlers.map((handler) => handler.stats())) {
      if (h.failed + h.dropped > 0) log.warn(null, `handler ${h.name}: ${h.handled} handled, ${h.failed} failed, ${h.dropped} dropped`);
    }
  }
}

/** The rules of a block as a module of their own for an Engine (no file sources). */
function ruleModule(template: RuleModule | undefined, rules: RuleModule['items'], block: SnortBlockSpec): RuleModule {
  return {
    contractVersion: template?.contractVersion ?? 0,
    name: `${template?.name ?? 'snort'} (snort ${block.logdir})`,
    settings: template?.settings ?? {},
    engine: template?.engine ?? { actionThreads: 2, uid: null, gid: null, stateDir: null },
    items: rules,
    sources: [],
    blocks: [],
  };
}
