/**
 * `rulec test FILE... --alerts ALERTS`: the alerts of ALERTS (a unified2 file, or datagrams as
 * Snort sends them) replayed to each rule file's snort blocks. Rules count in the alerts' own
 * time and what would fire is shown, never run; the blocks' handlers get the alerts (a `json`
 * handler without a file writes to standard output, an `http` one posts, a `mail` one mails),
 * since handing archived alerts on is what a replay is for. The summary says, per block, how
 * many alerts were read, decoded and bad, and per rule how many matched and fired.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { escapeControl, Logger, parseSidMessages, replayAlerts, safeJson, type AlertReplayEvent, type BlockReplay, type RuleModule, type SidMessages } from '../../runtime/index.js';
import { UsageError, type Io } from '../command.js';

/** How `rulec test` was asked to report, and the messages of unified2 events. */
export interface AlertTestOptions {
  readonly json: boolean;
  readonly messages: SidMessages;
}

/** The bytes of an alerts file, or a usage error saying why it cannot be read. */
export function readAlertsFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * Snort's message maps (`--sid-msg`: sid-msg.map, gen-msg.map) as one; a map that cannot be read
 * is a usage error, lines that are no map line are skipped and counted on stderr.
 */
export function readSidMessages(paths: readonly string[], io: Io): SidMessages {
  const messages = new Map<string, string>();
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, path), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
    }
    const { skipped } = parseSidMessages(text, messages);
    if (skipped.length > 0) io.err(`${escapeControl(path)}:${skipped[0]}: ${skipped.length} line(s) that are no sid-msg.map or gen-msg.map line skipped\n`);
  }
  return messages;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Replays `alerts` to `module`'s snort blocks and prints events and the summary; the exit code. */
export async function testAlerts(file: string, module: RuleModule, alertsName: string, alerts: Buffer, opts: AlertTestOptions, io: Io): Promise<number> {
  if (!module.blocks.some((b) => b.kind === 'snort')) {
    io.err(`${escapeControl(file)}: no snort block or snort rule to replay ${escapeControl(alertsName)} to\n`);
    return 1;
  }
  const emit = (event: AlertReplayEvent): void => {
    if (opts.json) io.out(`${safeJson({ ...jsonEvent(event), file })}\n`);
    else if (event.type === 'fire') io.out(fireText(event));
    else if (event.type === 'bad') io.out(`bad alert ${event.alert} (snort ${escapeControl(event.logdir)}): ${escapeControl(event.error)}\n`);
  };
  const log = new Logger({ level: 'warn', stdout: { write: io.err } });
  let results: BlockReplay[];
  try {
    results = await replayAlerts(module, alertsName, alerts, {
      onEvent: emit,
      messages: opts.messages,
      handlers: {
        log,
        output: { write: io.out },
        terminal: process.stdin.isTTY === true ? { stdin: process.stdin, stdout: process.stdout } : 'standard input is not a terminal',
        mail: { settings: module.settings, baseDir: dirname(resolve(file)), stateDir: module.engine.stateDir },
      },
    });
  } catch (error) {
    io.err(`${escapeControl(file)}: ${escapeControl((error as Error).message)}\n`);
    return 1;
  }
  for (const block of results) {
    if (opts.json) {
      io.out(`${safeJson({ type: 'alerts', file, logdir: block.logdir, format: block.format, read: block.read, decoded: block.decoded, bad: block.bad })}\n`);
      for (const rule of block.rules) {
        io.out(`${safeJson({ type: 'rule', file, logdir: block.logdir, rule: rule.name, matched: rule.matched, keys: rule.keys, upbound: rule.upboundFires, heldOff: rule.heldOff, downbound: rule.downboundFires })}\n`);
      }
      for (const h of block.handlers) io.out(`${safeJson({ type: 'handler', file, logdir: block.logdir, handler: h.name, handled: h.handled, failed: h.failed, dropped: h.dropped })}\n`);
      continue;
    }
    io.out(`${escapeControl(file)} over ${escapeControl(alertsName)} (snort ${escapeControl(block.logdir)}, ${block.format}): ${block.read} alert(s) read, ${block.decoded} decoded, ${block.bad} bad\n`);
    for (const rule of block.rules) io.out(ruleText(rule));
    for (const h of block.handlers) io.out(`handler ${escapeControl(h.name)}: ${h.handled} handled${h.failed > 0 ? `, ${h.failed} failed` : ''}${h.dropped > 0 ? `, ${h.dropped} dropped` : ''}\n`);
  }
  return 0;
}

function jsonEvent(event: AlertReplayEvent): Record<string, unknown> {
  return event.type === 'fire' ? { ...event, time: iso(event.time) } : { ...event };
}

function fireText(event: AlertReplayEvent & { type: 'fire' }): string {
  const key = event.key === null ? '' : ` key ${escapeControl(event.key)}`;
  const time = event.time === null ? '' : ` at ${iso(event.time)}`;
  const env = event.shell ? ` env ${safeJson(event.env)}` : '';
  return `fire ${escapeControl(event.rule)} ${event.kind} alert ${event.alert}${key}${time}: ${safeJson(event.argv)}${env}\n`;
}

function ruleText(rule: BlockReplay['rules'][number]): string {
  const fires = rule.upboundFires + rule.downboundFires;
  const kinds = [rule.upboundFires > 0 ? `upbound ${rule.upboundFires}` : null, rule.downboundFires > 0 ? `downbound ${rule.downboundFires}` : null].filter((k) => k !== null);
  const held = rule.heldOff > 0 ? `; ${rule.heldOff} match(es) held off after a fire (upbound_holdoff)` : '';
  return `${escapeControl(rule.name)}: ${rule.matched} alert(s) matched, ${rule.keys} distinct key(s), ${fires} fire(s)${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}${held}\n`;
}
