/**
 * The Snort part of a daemon: one listener per `snort` block (its log directory's sockets), and
 * the block's handlers and rules (AlertConsumers). The same service runs in `rulec run` beside
 * the file items (snort-daemon-service.ts registers it) and alone in `rulec snort`.
 *
 * A reload binds again only the sockets it must: a block whose socket paths are unchanged keeps
 * its sockets (nothing Snort sends meanwhile is refused or lost), takes the new decoding
 * settings, and has its handlers and rules swapped. A block gone, or on other paths, has its
 * sockets closed before the new ones are bound.
 */
import type { ActionSink } from '../../actions/action-sink.js';
import type { Clock } from '../../clock/clock.js';
import type { RuleModule } from '../../contract.js';
import type { HandlerStats } from '../../handlers/alert-handler.js';
import type { HandlerDeps, Output, Terminal } from '../../handlers/create-handler.js';
import type { ItemStats } from '../../engine/item-state.js';
import type { Logger } from '../../log/logger.js';
import { AlertConsumers, type ConsumerDeps, type SnortBlockSpec } from './alert-consumers.js';
import { SnortListener, type SnortListenerStats } from './alert-listener.js';
import { readClassifications, type Classification } from './classification.js';
import { socketPaths } from './logdir.js';
import { fastAlertLine } from './snort-alert.js';

export type { SnortBlockSpec } from './alert-consumers.js';

/** What the service needs from its daemon. */
export interface SnortServiceContext {
  readonly log: Logger;
  readonly clock: Clock;
  readonly actions: ActionSink;
  /** See `HandlerDeps`. */
  readonly output: Output | string;
  readonly terminal: Terminal | string;
  /** The rule file's directory: a mail handler's relative key and spool paths are read from it; null without a rule file (no mail settings). */
  readonly baseDir: string | null;
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
  readonly handlers: readonly HandlerStats[];
}

interface Running {
  readonly listener: SnortListener;
  /** Both swapped by a reload that keeps the sockets. */
  block: SnortBlockSpec;
  consumers: AlertConsumers;
  /** The counters of consumers swapped out, so that a reload does not reset what stop reports. */
  readonly before: { rules: ItemStats[]; handlers: HandlerStats[] };
}

const HANDLER_CLOSE_MS = 5_000;

/** Listens for the snort blocks of a rule set. */
export class SnortService {
  readonly name = 'snort listener';
  private running: Running[] = [];
  /** What the last stop reported, so that a daemon's summary still has it. */
  private final: SnortBlockStats[] = [];

  constructor(private readonly context: SnortServiceContext, private readonly options: SnortServiceOptions = {}) {}

  /** The snort blocks of `modules`. */
  static blocksOf(modules: readonly RuleModule[]): SnortBlockSpec[] {
    return modules.flatMap((m) => m.blocks.filter((b): b is SnortBlockSpec => b.kind === 'snort'));
  }

  /** Binds every block's sockets; throws saying which could not be bound or set up (what started is stopped). */
  async start(modules: readonly RuleModule[]): Promise<void> {
    try {
      for (const block of SnortService.blocksOf(modules)) {
        const classes = classificationsOf(block);
        const consumers = await AlertConsumers.open(block, modules[0], this.consumerDeps(modules));
        try {
          this.running.push(this.listen(block, consumers, classes));
        } catch (error) {
          await consumers.close(0);
          throw error;
        }
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * A reload (see the file's comment). The new handlers and rules are all made before anything
   * changes: when one cannot be, the running blocks go on as they were and this throws.
   */
  async replace(modules: readonly RuleModule[]): Promise<void> {
    const blocks = SnortService.blocksOf(modules);
    const kept = new Map<SnortBlockSpec, Running>();
    for (const block of blocks) {
      const same = this.running.find((r) => sameSockets(r.block, block) && ![...kept.values()].includes(r));
      if (same !== undefined) kept.set(block, same);
    }
    const prepared: { block: SnortBlockSpec; consumers: AlertConsumers; classes: ReadonlyMap<number, Classification> }[] = [];
    try {
      for (const block of blocks) {
        const classes = classificationsOf(block);
        const consumers = await AlertConsumers.open(block, modules[0], this.consumerDeps(modules), kept.get(block)?.consumers ?? null);
        prepared.push({ block, consumers, classes });
      }
    } catch (error) {
      // The running blocks go on as they were: what was taken from them goes back.
      await Promise.all(prepared.map((p) => p.consumers.abandon()));
      throw error;
    }
    const keptRunning = new Set(kept.values());
    const gone = this.running.filter((r) => !keptRunning.has(r));
    this.running = [];
    await Promise.all(gone.map((r) => this.stopOne(r)));
    const errors: string[] = [];
    for (const { block, consumers, classes } of prepared) {
      const running = kept.get(block);
      if (running === undefined) {
        try {
          this.running.push(this.listen(block, consumers, classes));
        } catch (error) {
          errors.push((error as Error).message);
          await consumers.close(0);
        }
        continue;
      }
      running.listener.setDecoding(decodingOf(block, classes));
      const old = running.consumers;
      running.consumers = consumers;
      const closed = await old.close(HANDLER_CLOSE_MS);
      running.before.rules.push(...closed.rules);
      running.before.handlers.push(...closed.handlers);
      running.block = block;
      this.running.push(running);
      this.context.log.info(null, `${block.logdir}: sockets kept bound; ${consumers.ruleNames.length} rule(s), handlers: ${block.handlers.map((h) => h.name).join(', ') || 'none'}`);
    }
    if (errors.length > 0) throw new Error(errors.join('; '));
  }

  async stop(): Promise<void> {
    const running = this.running.splice(0);
    this.final = await Promise.all(running.map((r) => this.stopOne(r)));
  }

  /** Per block: while running, its counters now; once stopped, those of the stop. */
  stats(): SnortBlockStats[] {
    if (this.running.length === 0) return this.final;
    return this.running.map((r) => {
      const now = r.consumers.stats();
      return { logdir: r.block.logdir, ...r.listener.stats(), rules: [...r.before.rules, ...now.rules], handlers: [...r.before.handlers, ...now.handlers] };
    });
  }

  private consumerDeps(modules: readonly RuleModule[]): ConsumerDeps {
    const { log, clock, actions, output, terminal, baseDir } = this.context;
    const template = modules[0];
    const handlers: HandlerDeps = {
      log,
      output,
      terminal,
      mail: template === undefined || baseDir === null ? null : { settings: template.settings, baseDir, stateDir: template.engine.stateDir },
    };
    return { log, clock, actions, handlers };
  }

  /** Binds `block`'s sockets and feeds what arrives to `consumers`; throws when a socket cannot be bound (`consumers` are the caller's to close then). */
  private listen(block: SnortBlockSpec, consumers: AlertConsumers, classes: ReadonlyMap<number, Classification>): Running {
    const { log } = this.context;
    const before = { rules: [] as ItemStats[], handlers: [] as HandlerStats[] };
    let running: Running | null = null;
    const listener = new SnortListener(
      { paths: socketPaths(block.logdir, block.threads ?? 1), ...decodingOf(block, classes) },
      {
        alert: (alert) => {
          if (log.enabled('debug')) log.debug(null, `alert from ${alert.source}: ${fastAlertLine(alert)}`);
          running?.consumers.feed(alert);
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
    const bound = listener.start();
    running = { block, listener, consumers, before };
    for (const socket of bound) log.info(null, `listening on ${socket.path} (receive buffer ${socket.receiveBuffer} bytes)`);
    log.info(null, `${block.logdir}: variant ${block.variant}, ${block.byteOrder ?? 'native'} byte order, ${consumers.ruleNames.length} rule(s), handlers: ${block.handlers.map((h) => h.name).join(', ') || 'none'}`);
    return running;
  }

  private async stopOne(r: Running): Promise<SnortBlockStats> {
    const { log } = this.context;
    await r.listener.stop();
    const closed = await r.consumers.close(HANDLER_CLOSE_MS);
    const s = r.listener.stats();
    log.info(null, `${r.block.logdir}: ${s.received} datagram(s) received, ${s.decoded} alert(s), ${s.bad} bad, ${s.behind} dropped while behind`);
    const handlers = [...r.before.handlers, ...closed.handlers];
    for (const h of handlers) {
      if (h.failed + h.dropped > 0) log.warn(null, `handler ${h.name}: ${h.handled} handled, ${h.failed} failed, ${h.dropped} dropped`);
    }
    return { logdir: r.block.logdir, ...s, rules: [...r.before.rules, ...closed.rules], handlers };
  }
}

/** Two blocks bind the same sockets. */
function sameSockets(a: SnortBlockSpec, b: SnortBlockSpec): boolean {
  return a.logdir === b.logdir && (a.threads ?? 1) === (b.threads ?? 1);
}

function decodingOf(block: SnortBlockSpec, classifications: ReadonlyMap<number, Classification>) {
  return { variant: block.variant, byteOrder: block.byteOrder ?? 'native', classifications } as const;
}

/** The block's classification names; throws when its classification.config cannot be read. */
export function classificationsOf(block: SnortBlockSpec): ReadonlyMap<number, Classification> {
  const path = block.classificationConfig ?? null;
  if (path === null) return new Map();
  const read = readClassifications(path);
  if ('value' in read) return read.value;
  throw new Error(read.error);
}
