/**
 * What one `snort` block does with each alert, wherever the alerts come from (its sockets under
 * `rulec run` and `rulec snort`, a file under `rulec test --alerts`): its handlers get the alert,
 * and its rules count it with an `Engine` of their own, the very windows, keys, hold-off and
 * action queue of file items (the rules are items whose matches come from alerts:
 * `Engine.onRecord`). On a reload the handlers the new block names exactly as the old one did
 * are handed over, not closed and made again, so a batch or a queue they hold goes on.
 */
import type { ActionSink } from '../../actions/action-sink.js';
import type { Clock } from '../../clock/clock.js';
import { ALERT_FIELDS, type BlockSpec, type RuleModule } from '../../contract.js';
import { Engine } from '../../engine/engine.js';
import type { ItemStats } from '../../engine/item-state.js';
import type { AlertHandler, HandlerStats } from '../../handlers/alert-handler.js';
import { createHandler, handlerName, type HandlerDeps, type HandlerRequest } from '../../handlers/create-handler.js';
import type { Logger } from '../../log/logger.js';
import { alertFilter } from './alert-filter.js';
import { alertCaptures, type SnortAlert } from './snort-alert.js';

/** A snort block as the module holds it. */
export type SnortBlockSpec = Extract<BlockSpec, { kind: 'snort' }>;

/** What the consumers of a block are made with. */
export interface ConsumerDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly actions: ActionSink;
  /** For the handlers; `mail` is the rule file's. */
  readonly handlers: HandlerDeps;
  /** Count every rule in the alerts' own time (`rulec test --alerts`). */
  readonly replay?: boolean;
}

/** Counters of a block's consumers. */
export interface ConsumerStats {
  readonly rules: readonly ItemStats[];
  readonly handlers: readonly HandlerStats[];
}

interface Held {
  readonly key: string;
  readonly handler: AlertHandler;
}

/** Fields a rule's captures must line up with; a module from an older compiler would disagree. */
const CAPTURE_COUNT = ALERT_FIELDS.length;

/** A block's handlers and rules. */
export class AlertConsumers {
  private constructor(
    private readonly engine: Engine,
    private readonly tests: readonly ((alert: SnortAlert) => boolean)[],
    private held: Held[],
    /** Rule names, for match reports. */
    readonly ruleNames: readonly string[],
    /** The consumers handlers were taken over from, and which: `abandon` gives them back. */
    private readonly takenFrom: { readonly previous: AlertConsumers; readonly handlers: readonly Held[] } | null,
  ) {}

  /**
   * Makes and opens the handlers of `block` (taking over `previous`'s that are named the same)
   * and starts its rules. Throws saying which handler could not be made or opened; then nothing
   * was taken from `previous`, and the handlers made here are closed.
   */
  static async open(block: SnortBlockSpec, template: RuleModule | undefined, deps: ConsumerDeps, previous: AlertConsumers | null = null): Promise<AlertConsumers> {
    const taken: Held[] = [];
    const made: Held[] = [];
    const held: Held[] = [];
    try {
      for (const request of block.handlers) {
        const key = handlerKey(request, deps.handlers);
        const reused = previous?.held.find((h) => h.key === key && !taken.includes(h));
        if (reused !== undefined) {
          taken.push(reused);
          held.push(reused);
          continue;
        }
        const handler = createHandler(request, deps.handlers);
        made.push({ key, handler });
        held.push({ key, handler });
        await handler.open?.();
      }
    } catch (error) {
      await Promise.all(made.map((h) => h.handler.close(0)));
      throw new Error(`${block.logdir}: ${(error as Error).message}`);
    }
    if (previous !== null) previous.held = previous.held.filter((h) => !taken.includes(h));
    const rules = (block.rules ?? []).filter((rule) => rule.alert !== undefined && rule.groupCount === CAPTURE_COUNT);
    const engine = new Engine(ruleModule(template, rules, block), { clock: deps.clock, actions: deps.actions, log: deps.log, replay: deps.replay });
    engine.start();
    const takenFrom = previous === null || taken.length === 0 ? null : { previous, handlers: taken };
    return new AlertConsumers(engine, rules.map((rule) => alertFilter(rule.alert!)), held, rules.map((rule) => rule.name), takenFrom);
  }

  /** Undoes `open` (a reload that did not go through): handlers taken over go back, the others are closed. */
  async abandon(): Promise<void> {
    this.engine.stop();
    const back = this.takenFrom?.handlers ?? [];
    if (this.takenFrom !== null) this.takenFrom.previous.held.push(...back);
    const own = this.held.splice(0).filter((h) => !back.includes(h));
    await Promise.all(own.map((h) => h.handler.close(0)));
  }

  /** The indexes (in `ruleNames`) of the rules `alert` matches. */
  matching(alert: SnortAlert): number[] {
    const matched: number[] = [];
    this.tests.forEach((test, i) => {
      if (test(alert)) matched.push(i);
    });
    return matched;
  }

  /**
   * Hands `alert` to every handler and counts it for every rule it matches (`matched`, when
   * known already). Its time is its own (ts_sec, ts_usec) for rules counting in log time.
   */
  feed(alert: SnortAlert, matched: readonly number[] = this.matching(alert)): void {
    for (const { handler } of this.held) handler.handle(alert);
    if (matched.length === 0) return;
    const captures = alertCaptures(alert);
    const time = alert.fields.ts_sec * 1000 + Math.floor(alert.fields.ts_usec / 1000);
    for (const i of matched) this.engine.onRecord(i, captures, time);
  }

  /** Replay: the alerts ended; down-bound checks due up to the last alert's time run. */
  endReplay(): void {
    this.engine.endReplay();
  }

  stats(): ConsumerStats {
    return { rules: this.engine.stats().items, handlers: this.held.map((h) => h.handler.stats()) };
  }

  /** Stops the rules and closes the handlers not handed on, each given at most `timeoutMs` to finish. */
  async close(timeoutMs: number): Promise<ConsumerStats> {
    this.engine.stop();
    const held = this.held.splice(0);
    await Promise.all(held.map((h) => h.handler.close(timeoutMs)));
    return { rules: this.engine.stats().items, handlers: held.map((h) => h.handler.stats()) };
  }
}

/** Handlers are the same when their names and options are, and for `mail` the rule file's settings too. */
function handlerKey(request: HandlerRequest, deps: HandlerDeps): string {
  const options = Object.entries(request.options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const mail = handlerName(request.name) === 'mail' ? deps.mail : null;
  return JSON.stringify([request.name, options, mail]);
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
