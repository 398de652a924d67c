/**
 * `rulec test FILE --alerts ALERTS`: the alerts of a file replayed to a rule file's `snort`
 * blocks, as if their sockets had received them. ALERTS is a unified2 file (told by its first
 * record) or datagrams as Snort sends them, one after another, each the size of the block's
 * variant. Each block's handlers get every alert that decodes; its rules count them in the
 * alerts' own time (ts_sec, ts_usec), and what would fire is reported with the argv it would run,
 * never run. A datagram that does not decode, or a unified2 file cut short, is counted as bad
 * and reported, and the others go on. unified2 events carry no message text: given Snort's
 * message maps (sid-msg-map.ts), their `msg` is the map's, as barnyard2 gave it.
 */
import type { ActionRequest, ActionSink, FireKind } from '../../actions/action-sink.js';
import { actionEnv, fillArgv } from '../../actions/fill-argv.js';
import { ManualClock } from '../../clock/manual-clock.js';
import type { Captures, RuleModule } from '../../contract.js';
import { keyText, type ItemStats } from '../../engine/item-state.js';
import type { HandlerStats } from '../../handlers/alert-handler.js';
import type { HandlerDeps } from '../../handlers/create-handler.js';
import { Logger } from '../../log/logger.js';
import { AlertConsumers, type SnortBlockSpec } from './alert-consumers.js';
import { alertLayout } from './alertpkt.js';
import type { Classification } from './classification.js';
import { alertCaptures, alertOf, decodeSnortAlert, type SnortAlert } from './snort-alert.js';
import { sidKey, type SidMessages } from './sid-msg-map.js';
import { classificationsOf, SnortService } from './snort-service.js';
import { looksLikeUnified2, readUnified2 } from './unified2.js';

/** What a replay reports as it goes; `alert` counts from 1 in the file. */
export type AlertReplayEvent =
  | { readonly type: 'match'; readonly logdir: string; readonly rule: string; readonly alert: number; readonly key: string | null; readonly captures: Captures }
  | {
      readonly type: 'fire';
      readonly logdir: string;
      readonly rule: string;
      readonly kind: FireKind;
      readonly alert: number;
      readonly key: string | null;
      /** The alert time (ms) it fired at; null before any. */
      readonly time: number | null;
      readonly argv: readonly string[];
      readonly env: Readonly<Record<string, string>>;
      readonly shell: boolean;
    }
  | { readonly type: 'bad'; readonly logdir: string; readonly alert: number; readonly error: string };

/** One block's replay. */
export interface BlockReplay {
  readonly logdir: string;
  /** `unified2` or the variant the datagrams were read as. */
  readonly format: string;
  /** Alerts read (events of a unified2 file, datagrams), counting the bad ones. */
  readonly read: number;
  readonly decoded: number;
  readonly bad: number;
  readonly rules: readonly (ItemStats & { readonly keys: number })[];
  readonly handlers: readonly HandlerStats[];
}

/** How a replay runs. */
export interface AlertReplayOptions {
  /** What the handlers get (their `log` is for the handlers' own complaints). */
  readonly handlers: HandlerDeps;
  readonly onEvent: (event: AlertReplayEvent) => void;
  /** The longest each handler may take to deliver what it holds at the end; default 5 s. */
  readonly closeMs?: number;
  /** Messages for unified2 events, by gid:sid (sid-msg.map, gen-msg.map). */
  readonly messages?: SidMessages;
}

/** Replays `bytes` (the file `name`) to every snort block of `module`; throws when a block's handlers or classification.config cannot be set up. */
export async function replayAlerts(module: RuleModule, name: string, bytes: Buffer, options: AlertReplayOptions): Promise<BlockReplay[]> {
  const results: BlockReplay[] = [];
  for (const block of SnortService.blocksOf([module])) results.push(await replayBlock(module, block, name, bytes, options));
  return results;
}

async function replayBlock(module: RuleModule, block: SnortBlockSpec, name: string, bytes: Buffer, options: AlertReplayOptions): Promise<BlockReplay> {
  const { logdir } = block;
  const classes = classificationsOf(block);
  const read = readAlerts(block, name, bytes, classes, options.messages ?? new Map());
  let current = 0;
  const keys: Set<string | null>[] = (block.rules ?? []).map(() => new Set());
  const fired = (request: ActionRequest): void => {
    const { item, kind } = request;
    const at = request.at;
    options.onEvent({
      type: 'fire', logdir, rule: item.name, kind, alert: current,
      key: kind === 'upbound' ? keyText(item, request.captures) : null,
      time: at !== undefined && at > 0 ? at : null,
      argv: fillArgv(request.spec, request.captures, request.line),
      env: actionEnv(request.spec, request.captures, request.line, request.env),
      shell: request.spec.shell,
    });
  };
  const sink: ActionSink = { submit: fired };
  const first = read.alerts.find((a) => 'fields' in a) as SnortAlert | undefined;
  const clock = new ManualClock(first === undefined ? 0 : first.fields.ts_sec * 1000);
  // Engine messages (matcher errors) are its own business here; the report says what matched.
  const quiet = new Logger({ level: 'error', stdout: false });
  const consumers = await AlertConsumers.open(block, module, { log: quiet, clock, actions: sink, handlers: options.handlers, replay: true });
  const rules = block.rules ?? [];
  let bad = read.cut === null ? 0 : 1;
  for (const alert of read.alerts) {
    current++;
    if ('error' in alert) {
      bad++;
      options.onEvent({ type: 'bad', logdir, alert: current, error: alert.error });
      continue;
    }
    const time = alert.fields.ts_sec * 1000 + Math.floor(alert.fields.ts_usec / 1000);
    if (time > clock.now()) clock.advanceTo(time);
    const matched = consumers.matching(alert);
    const captures = matched.length === 0 ? [] : alertCaptures(alert);
    for (const i of matched) {
      const rule = consumers.ruleNames[i]!;
      const spec = rules.find((r) => r.name === rule)!;
      const key = keyText(spec, captures);
      keys[rules.indexOf(spec)]!.add(key);
      options.onEvent({ type: 'match', logdir, rule, alert: current, key, captures });
    }
    consumers.feed(alert, matched);
  }
  if (read.cut !== null) {
    current++;
    options.onEvent({ type: 'bad', logdir, alert: current, error: read.cut });
  }
  consumers.endReplay();
  const closed = await consumers.close(options.closeMs ?? 5_000);
  return {
    logdir,
    format: read.format,
    read: current,
    decoded: current - bad,
    bad,
    rules: closed.rules.map((stats) => ({ ...stats, keys: keys[rules.findIndex((r) => r.name === stats.name)]?.size ?? 0 })),
    handlers: closed.handlers,
  };
}

/** The alerts of the file as `block` reads them, and what cut the file short (a last partial record or datagram). */
function readAlerts(block: SnortBlockSpec, name: string, bytes: Buffer, classes: ReadonlyMap<number, Classification>, messages: SidMessages): { format: string; alerts: (SnortAlert | { error: string })[]; cut: string | null } {
  if (looksLikeUnified2(bytes)) {
    const { alerts, problem } = readUnified2(bytes);
    const withText = alerts.map((fields) => ({ ...fields, msg: messages.get(sidKey(fields.sig_generator, fields.sig_id)) ?? fields.msg }));
    return { format: 'unified2', alerts: withText.map((fields) => alertOf(fields, name, classes)), cut: problem };
  }
  const size = alertLayout(block.variant).size;
  const alerts: (SnortAlert | { error: string })[] = [];
  const decoding = { variant: block.variant, byteOrder: block.byteOrder ?? 'native', classifications: classes } as const;
  let at = 0;
  for (; at + size <= bytes.length; at += size) alerts.push(decodeSnortAlert(bytes.subarray(at, at + size), name, decoding));
  const left = bytes.length - at;
  const cut = left === 0 ? null : `${left} byte(s) at the end are too few for a ${size}-byte ${block.variant} datagram (nor is it a unified2 file)`;
  return { format: `${block.variant} datagrams`, alerts, cut };
}
