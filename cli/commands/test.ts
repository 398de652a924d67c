/**
 * `rulec test FILE... [--log LOG | < LOG] [--alerts ALERTS] [--replay] [--format text|json]
 * [--missed]`: what each item would match and fire on LOG, executing nothing. Every item reads
 * LOG instead of its own path. With `--alerts` the snort blocks get the alerts of ALERTS
 * (test-alerts.ts), and LOG is read only when `--log` names it.
 */
import { fstatSync, readFileSync, statSync } from 'node:fs';
import { DryRun, escapeControl, safeJson, type DryRunEvent, type ItemStats } from '../../runtime/index.js';
import { parseCommandArgs } from '../args.js';
import { endWhenStdoutCloses, UsageError, type Command, type Io } from '../command.js';
import { loadRuleFile } from '../load-rules.js';
import { readAlertsFile, testAlerts } from './test-alerts.js';

/** A log split into lines, and the byte offset just past each line (the file's size once it is read). */
interface Log {
  readonly lines: readonly string[];
  /** Each line's bytes (a view of the log's), for cutting at line_max as a reader would. */
  readonly raws: readonly Buffer[];
  readonly ends: readonly number[];
  /**
   * When it was last written (a file's mtime; now for a pipe): no line was logged after it, so
   * under --replay a year-less stamp is placed at or before it, not before the day it is read.
   */
  readonly writtenAt: number;
}

/**
 * Splits a log into lines as the tailer does: on `\n` bytes, without a trailing `\r` or an empty
 * last line, each line decoded on its own (invalid UTF-8 as U+FFFD). Sizes count the file's
 * bytes, as the daemon's size thresholds do, not the decoded text.
 */
function splitLog(bytes: Buffer): Pick<Log, 'lines' | 'raws' | 'ends'> {
  const lines: string[] = [];
  const raws: Buffer[] = [];
  const ends: number[] = [];
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    const raw = bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
    raws.push(raw);
    lines.push(raw.toString('utf8'));
    start = newline === -1 ? bytes.length : newline + 1;
    ends.push(start);
  }
  return { lines, raws, ends };
}

function readLog(path: string | undefined): Log {
  try {
    const bytes = readFileSync(path ?? 0);
    const stat = path === undefined ? fstatSync(0) : statSync(path);
    return { ...splitLog(bytes), writtenAt: stat.isFile() ? stat.mtimeMs : Date.now() };
  } catch (error) {
    throw new UsageError(`cannot read ${path ?? 'standard input'}: ${(error as Error).message}`);
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Text lines for one event (text format); matches are summed up per item instead. */
function fireText(event: DryRunEvent & { type: 'fire' }): string {
  const key = event.key === null ? '' : ` key ${escapeControl(event.key)}`;
  const time = event.time === null ? '' : ` at ${iso(event.time)}`;
  // A shell action's captures reach it only through its environment: show that too.
  const env = event.shell ? ` env ${safeJson(event.env)}` : '';
  return `fire ${escapeControl(event.item)} ${event.kind} line ${event.line}${key}${time}: ${safeJson(event.argv)}${env}\n`;
}

/** `everyLine`: the item has no regex of its own, so its count is of lines, not of matches. */
function itemText(stats: ItemStats, keys: number, everyLine: boolean): string {
  const fires = stats.upboundFires + stats.downboundFires + stats.sizeFires;
  const kinds = [
    stats.upboundFires > 0 ? `upbound ${stats.upboundFires}` : null,
    stats.downboundFires > 0 ? `downbound ${stats.downboundFires}` : null,
    stats.sizeFires > 0 ? `size ${stats.sizeFires}` : null,
  ].filter((k) => k !== null);
  const matched = everyLine ? `no regex (counts every line: ${stats.matched})` : `${stats.matched} line(s) matched, ${keys} distinct key(s)`;
  // Under --replay these change what fired: a match without a readable time counts at the last one.
  const timing = [
    stats.heldOff > 0 ? `${stats.heldOff} match(es) held off after a fire (upbound_holdoff)` : null,
    stats.untimedLines > 0 ? `${stats.untimedLines} matched line(s) without a readable time` : null,
    stats.downboundSkipped > 0 ? `${stats.downboundSkipped} down-bound check(s) skipped over a gap in the log` : null,
  ].filter((t) => t !== null);
  return `${escapeControl(stats.name)}: ${matched}, ${fires} fire(s)${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}${timing.map((t) => `; ${t}`).join('')}\n`;
}

async function testFile(file: string, log: Log, opts: { replay: boolean; json: boolean; missed: boolean; logName: string }, io: Io): Promise<number> {
  const loaded = await loadRuleFile(file);
  if (loaded.report !== '') io.err(loaded.report);
  const module = loaded.module;
  if (module === null) return 1;
  // Otherwise a file of MailLog or Snort blocks alone would report nothing, as if nothing matched.
  if (module.items.length === 0) io.err(`${escapeControl(file)}: no items to test (rulec report runs MailLog blocks; --alerts FILE replays alerts to snort blocks)\n`);
  const keys = new Map<string, Set<string | null>>();
  const emit = (event: DryRunEvent): void => {
    if (event.type === 'match') {
      const seen = keys.get(event.item) ?? new Set();
      seen.add(event.key);
      keys.set(event.item, seen);
      if (opts.json) io.out(`${safeJson({ type: 'match', file, item: event.item, line: event.line, key: event.key, captures: event.captures })}\n`);
    } else if (opts.json) {
      io.out(`${safeJson({ type: 'fire', file, item: event.item, kind: event.kind, line: event.line, key: event.key, time: iso(event.time), argv: event.argv, env: event.env })}\n`);
    } else {
      io.out(fireText(event));
    }
  };
  const run = new DryRun(module, { replay: opts.replay, startMs: log.writtenAt, onEvent: emit });
  const missed: number[] = [];
  const { lines, raws, ends } = log;
  raws.forEach((raw, i) => {
    if (!run.feed(raw, ends[i]) && opts.missed) missed.push(i);
  });
  const result = run.finish();
  if (opts.json) {
    for (const line of missed) io.out(`${safeJson({ type: 'missed', file, line: line + 1, text: lines[line] })}\n`);
    for (const [i, stats] of result.items.entries()) {
      // An item without a regex is not counted as matching (see the text summary); `counted` says how many lines it counted.
      const everyLine = module.items[i]?.everyLine === true;
      const counts = everyLine ? { matched: null, counted: stats.matched } : { matched: stats.matched };
      io.out(`${safeJson({ type: 'item', file, item: stats.name, ...counts, keys: keys.get(stats.name)?.size ?? 0, upbound: stats.upboundFires, heldOff: stats.heldOff, downbound: stats.downboundFires, size: stats.sizeFires })}\n`);
    }
    return 0;
  }
  io.out(`${escapeControl(file)} over ${escapeControl(opts.logName)}: ${result.lines} line(s), ${result.lines - result.missed} matched by some item\n`);
  result.items.forEach((stats, i) => io.out(itemText(stats, keys.get(stats.name)?.size ?? 0, module.items[i]?.everyLine === true)));
  if (opts.missed) {
    io.out(`${missed.length} line(s) no item matched:\n`);
    for (const line of missed) io.out(`  ${line + 1}: ${escapeControl(lines[line]!)}\n`);
  }
  return 0;
}

/** `rulec test`: every rule file over the same log lines. */
export const testCommand: Command = {
  name: 'test',
  summary: 'show what each item matches and would fire on a log (nothing runs)',
  usage: 'rulec test FILE... [--log LOG | < LOG] [--alerts UNIFIED2|DATAGRAMS] [--replay] [--format text|json] [--missed]',
  async run(args, io) {
    endWhenStdoutCloses();
    const { values, positionals } = parseCommandArgs(args, {
      log: { type: 'string', short: 'l' },
      replay: { type: 'boolean', default: false },
      format: { type: 'string', short: 'f', default: 'text' },
      missed: { type: 'boolean', default: false },
      alerts: { type: 'string' },
    });
    const format = values.format as string;
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format \`${format}\` (text or json)`);
    if (positionals.length === 0) throw new UsageError('no rule file given');
    const logPath = values.log as string | undefined;
    const alertsPath = values.alerts as string | undefined;
    const opts = { replay: values.replay === true, json: format === 'json', missed: values.missed === true, logName: logPath ?? 'standard input' };
    let status = 0;
    if (alertsPath !== undefined) {
      const alerts = readAlertsFile(alertsPath);
      for (const file of positionals) {
        const loaded = await loadRuleFile(file);
        if (loaded.report !== '') io.err(loaded.report);
        status = Math.max(status, loaded.module === null ? 1 : await testAlerts(file, loaded.module, alertsPath, alerts, opts, io));
      }
      if (logPath === undefined) return status;
    }
    const log = readLog(logPath);
    for (const file of positionals) status = Math.max(status, await testFile(file, log, opts, io));
    return status;
  },
};
