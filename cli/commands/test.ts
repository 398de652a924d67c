/**
 * `rulec test FILE... [--log LOG | < LOG] [--alerts ALERTS] [--replay] [--format text|json]
 * [--missed]`: what each item would match and fire on LOG, executing nothing. Every item reads
 * LOG instead of its own path. The log is streamed through the daemon's batch path, so any size
 * runs in memory that does not grow with it. With `--alerts` the snort blocks get the alerts of
 * ALERTS (test-alerts.ts), and LOG is read only when `--log` names it.
 */
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { DryRun, escapeControl, LineStream, placeBeforeWrite, REGEX_WINDOW_MS, safeJson, type DryRunEvent, type DryRunItem, type DryRunSummary, type RuleModule } from '../../runtime/index.js';
import { parseCommandArgs } from '../args.js';
import { endWhenStdoutCloses, readsProcessStdin, UsageError, writesToProcess, type Command, type Io } from '../command.js';
import { loadRuleFile } from '../load-rules.js';
import { readAlertsFile, readSidMessages, testAlerts } from './test-alerts.js';

interface Options {
  readonly replay: boolean;
  readonly json: boolean;
  readonly missed: boolean;
  readonly logName: string;
}

/** A rule file that compiled, and its run over the log. */
interface Tested {
  readonly file: string;
  readonly module: RuleModule;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** One event as output: a JSON object, or a text line (matches are summed up per item instead). */
function eventText(event: DryRunEvent, file: string, opts: Options, prefix: string): string {
  if (opts.json) {
    switch (event.type) {
      case 'match':
        return `${safeJson({ type: 'match', file, item: event.item, line: event.line, key: event.key, captures: event.captures })}\n`;
      case 'fire':
        return `${safeJson({ type: 'fire', file, item: event.item, kind: event.kind, line: event.line, key: event.key, time: iso(event.time), argv: event.argv, env: event.env })}\n`;
      case 'missed':
        return `${safeJson({ type: 'missed', file, line: event.line, text: event.text })}\n`;
    }
  }
  switch (event.type) {
    case 'match':
      return '';
    case 'missed':
      return `${prefix}missed line ${event.line}: ${escapeControl(event.text)}\n`;
    case 'fire': {
      const key = event.key === null ? '' : ` key ${escapeControl(event.key)}`;
      const time = event.time === null ? '' : ` at ${iso(event.time)}`;
      // A shell action's captures reach it only through its environment: show that too.
      const env = event.shell ? ` env ${safeJson(event.env)}` : '';
      return `${prefix}fire ${escapeControl(event.item)} ${event.kind} line ${event.line}${key}${time}: ${safeJson(event.argv)}${env}\n`;
    }
  }
}

const FORMAT_NAMES = { syslog: 'syslog', iso8601: 'ISO 8601', epoch: 'epoch', none: 'none' } as const;

/** The summary of one rule file over the log, fail2ban-regex's figures in rulec's words. */
function summaryText(file: string, summary: DryRunSummary, opts: Options): string {
  const read = summary.lines - summary.comments;
  const head = [
    `${summary.lines} line(s)`,
    summary.comments > 0 ? `${summary.comments} comment line(s) skipped` : null,
    `${summary.matched} matched by some item`,
    `${summary.missed} missed`,
    summary.cutLines > 0 ? `${summary.cutLines} cut at line_max` : null,
  ].filter((part) => part !== null);
  const times = summary.timeFormats;
  const formats = times === null ? [] : (Object.keys(FORMAT_NAMES) as (keyof typeof FORMAT_NAMES)[]).filter((f) => times[f] > 0).map((f) => `${FORMAT_NAMES[f]} ${times[f]}`);
  const lines = [
    `${escapeControl(file)} over ${escapeControl(opts.logName)}: ${head.join(', ')}\n`,
    // Without --replay no line's time is read (but for items with clock = log).
    read === 0 ? '' : times === null ? 'time formats: read with --replay\n' : `time formats: ${formats.join(', ')}\n`,
    ...summary.items.map((item) => itemText(item, read)),
  ];
  return lines.join('');
}

function itemText(item: DryRunItem, read: number): string {
  const fires = item.upboundFires + item.downboundFires + item.sizeFires;
  const kinds = [
    item.upboundFires > 0 ? `upbound ${item.upboundFires}` : null,
    item.downboundFires > 0 ? `downbound ${item.downboundFires}` : null,
    item.sizeFires > 0 ? `size ${item.sizeFires}` : null,
  ].filter((k) => k !== null);
  const keys = `${item.keysExact ? '' : 'at least '}${item.distinctKeys} distinct key(s)`;
  const matched = item.everyLine ? `no regex (counts every line: ${item.matched})` : `${item.matched} line(s) matched, ${read - item.matched} missed, ${keys}`;
  // Under --replay these change what fired: a match without a readable time counts at the last one.
  const timing = [
    // Not matched, so among the missed: a line the daemon would skip the same way (and log).
    item.abandoned > 0 ? `${item.abandoned} line(s) abandoned: the regex ran past its ${REGEX_WINDOW_MS} ms deadline (counted as missed)` : null,
    item.heldOff > 0 ? `${item.heldOff} match(es) held off after a fire (upbound_holdoff)` : null,
    item.untimedLines > 0 ? `${item.untimedLines} matched line(s) without a readable time` : null,
    item.downboundSkipped > 0 ? `${item.downboundSkipped} down-bound check(s) skipped over a gap in the log` : null,
  ].filter((t) => t !== null);
  return `${escapeControl(item.name)}: ${matched}, ${fires} fire(s)${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}${timing.map((t) => `; ${t}`).join('')}\n`;
}

function summaryJson(file: string, summary: DryRunSummary): string {
  const read = summary.lines - summary.comments;
  const items = summary.items.map((item) => {
    // An item without a regex is not counted as matching (see the text summary); `counted` says how many lines it counted.
    const counts = item.everyLine ? { matched: null, counted: item.matched } : { matched: item.matched, missed: read - item.matched };
    return `${safeJson({ type: 'item', file, item: item.name, ...counts, keys: item.distinctKeys, keysExact: item.keysExact, upbound: item.upboundFires, heldOff: item.heldOff, downbound: item.downboundFires, size: item.sizeFires, untimed: item.untimedLines, abandoned: item.abandoned })}\n`;
  });
  const { lines, comments, matched, missed, cutLines: cut, timeFormats: times } = summary;
  return `${items.join('')}${safeJson({ type: 'summary', file, lines, comments, matched, missed, cut, times })}\n`;
}

/**
 * A file's year-less stamps are placed so that the log ends at or before its last write
 * (docs/cli.md): the year they begin in is found by reading it once before (a pipe cannot be).
 */
function placed(tested: Tested, path: string | undefined, writtenAt: number, replay: boolean): Tested {
  if (!replay && !tested.module.items.some((item) => item.clock === 'log')) return tested;
  const fd = path === undefined ? 0 : openSync(path, 'r');
  try {
    return { ...tested, module: placeBeforeWrite(tested.module, fd, writtenAt, replay) };
  } finally {
    if (path !== undefined) closeSync(fd);
  }
}

/** Opens the log (`io`'s standard input when `path` is undefined), its problems worded for the user. */
function openLog(path: string | undefined, lineMax: number, io: Io): LineStream {
  const options = { lineMax, unterminated: 'deliver' } as const;
  try {
    if (path === undefined && !readsProcessStdin(io)) return LineStream.fromStream(io.stdin as AsyncIterable<Buffer | string>, options);
    return LineStream.open(path === undefined ? null : resolve(io.cwd, path), options);
  } catch (error) {
    throw new UsageError(`cannot read ${path ?? 'standard input'}: ${(error as Error).message}`);
  }
}

/** Waits while standard output holds more than it can pass on, so a slow reader does not grow our memory. */
async function drained(io: Io): Promise<void> {
  if (writesToProcess(io) && process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
}

/**
 * Runs the rule files of `group` together over one reading of the log: their events go out as
 * they happen (prefixed with the file in text when several share the reading), then each
 * file's summary.
 */
async function testGroup(group: readonly Tested[], stream: LineStream, startMs: number, opts: Options, io: Io): Promise<void> {
  let out: string[] = [];
  const prefix = (file: string): string => (group.length > 1 && !opts.json ? `${escapeControl(file)}: ` : '');
  const runs = group.map(({ file, module }) => new DryRun(module, {
    replay: opts.replay,
    startMs,
    matches: opts.json,
    missed: opts.missed,
    captures: opts.json,
    onEvent: (event) => {
      const text = eventText(event, file, opts, prefix(file));
      if (text !== '') out.push(text);
    },
  }));
  for await (const batch of stream) {
    for (const run of runs) run.feed(batch);
    if (out.length > 0) {
      io.out(out.join(''));
      out = [];
      await drained(io);
    }
  }
  runs.forEach((run, i) => {
    const summary = run.finish();
    const file = group[i]!.file;
    out.push(opts.json ? summaryJson(file, summary) : summaryText(file, summary, opts));
  });
  io.out(out.join(''));
}

/** `rulec test`: every rule file over the same log lines. */
export const testCommand: Command = {
  name: 'test',
  summary: 'show what each item matches and would fire on a log (nothing runs)',
  usage: 'rulec test FILE... [--log LOG | < LOG] [--alerts UNIFIED2|DATAGRAMS [--sid-msg MAP]...] [--replay] [--format text|json] [--missed]',
  async run(args, io) {
    endWhenStdoutCloses(io);
    const { values, positionals } = parseCommandArgs(args, {
      log: { type: 'string', short: 'l' },
      replay: { type: 'boolean', default: false },
      format: { type: 'string', short: 'f', default: 'text' },
      missed: { type: 'boolean', default: false },
      alerts: { type: 'string' },
      'sid-msg': { type: 'string', multiple: true },
    });
    const format = values.format as string;
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format \`${format}\` (text or json)`);
    if (positionals.length === 0) throw new UsageError('no rule file given');
    // `--log -` is standard input, as no --log is (and beside --alerts, where that reads none).
    const logPath = values.log === '-' ? undefined : (values.log as string | undefined);
    const alertsPath = values.alerts as string | undefined;
    const opts: Options = { replay: values.replay === true, json: format === 'json', missed: values.missed === true, logName: logPath ?? 'standard input' };
    let status = 0;
    const maps = (values['sid-msg'] as string[] | undefined) ?? [];
    if (maps.length > 0 && alertsPath === undefined) throw new UsageError('--sid-msg gives unified2 alerts their messages: it goes with --alerts');
    if (alertsPath !== undefined) {
      const alerts = readAlertsFile(resolve(io.cwd, alertsPath));
      const messages = readSidMessages(maps, io);
      for (const file of positionals) {
        const loaded = await loadRuleFile(file, io);
        if (loaded.report !== '') io.err(loaded.report);
        status = Math.max(status, loaded.module === null ? 1 : await testAlerts(file, loaded.module, alertsPath, alerts, { ...opts, messages }, io));
      }
      if (values.log === undefined) return status;
    }
    const tested: Tested[] = [];
    for (const file of positionals) {
      const loaded = await loadRuleFile(file, io);
      if (loaded.report !== '') io.err(loaded.report);
      if (loaded.module === null) {
        status = 1;
        continue;
      }
      // Otherwise a file of MailLog or Snort blocks alone would report nothing, as if nothing matched.
      if (loaded.module.items.length === 0) io.err(`${escapeControl(file)}: no items to test (rulec report runs MailLog blocks; --alerts FILE replays alerts to snort blocks)\n`);
      tested.push({ file, module: loaded.module });
    }
    if (tested.length === 0) return status;
    const lineMax = Math.max(...tested.map(({ module }) => DryRun.readLineMax(module)));
    let stream = openLog(logPath, lineMax, io);
    // No line was logged after its last write: under --replay a year-less stamp is placed at
    // or before it, not before the day it is read. A pipe was written just now.
    const stat = stream.stat;
    const seekable = stat?.isFile() === true;
    const startMs = seekable ? stat!.mtimeMs : Date.now();
    const logFile = logPath === undefined ? undefined : resolve(io.cwd, logPath);
    // A file is read once per rule file, so each one's output stays together; a pipe, once for all.
    const groups = seekable ? tested.map((t) => [placed(t, logFile, startMs, opts.replay)]) : [tested];
    for (const [g, group] of groups.entries()) {
      if (g > 0) stream = openLog(logPath, lineMax, io);
      await testGroup(group, stream, startMs, opts, io);
    }
    return status;
  },
};
