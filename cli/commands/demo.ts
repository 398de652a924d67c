/**
 * `rulec demo [--seconds N]`: the built-in demo. In a temp dir, a background writer appends a
 * synthetic auth log (a few hundred lines/s: ordinary logins, two brute-force bursts, a
 * heartbeat with a gap) while `rules/demo.rules` watches it live; after about 10 s it stops
 * and prints what was read, matched and fired. Needs no system logs, no root, no network.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { packageRoot, seededRandom } from '../../compiler/api.js';
import { createDaemon, Logger } from '../../runtime/index.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command, type Io } from '../command.js';
import { loadRuleFile } from '../load-rules.js';

const LINES_PER_SECOND = 300;
const TICK_MS = 50;

/**
 * The synthetic log, second by second: the lines written between `fromMs` and `toMs` after
 * the start. Bursts: 203.0.113.7 at 2–3 s, 198.51.100.23 at 6–8 s; the heartbeat (once a
 * second) stops from 4 s to 8 s.
 */
function linesBetween(fromMs: number, toMs: number, next: () => number, counter: { n: number }): string[] {
  const lines: string[] = [];
  const stamp = (): string => {
    const d = new Date();
    const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
    return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} demo-host`;
  };
  const due = Math.floor((toMs * LINES_PER_SECOND) / 1000) - Math.floor((fromMs * LINES_PER_SECOND) / 1000);
  for (let i = 0; i < due; i++) {
    const pid = 1000 + (counter.n++ % 9000);
    const r = next();
    const host = `192.0.2.${1 + Math.floor(next() * 200)}`;
    // Ordinary failures are rare and spread over 200 hosts, so only the bursts trip the rule.
    if (r < 0.6) lines.push(`${stamp()} CRON[${pid}]: pam_unix(cron:session): session opened for user root by (uid=0)`);
    else if (r < 0.97) lines.push(`${stamp()} sshd[${pid}]: Accepted publickey for deploy from ${host} port ${20000 + pid} ssh2`);
    else lines.push(`${stamp()} sshd[${pid}]: Failed password for user${pid % 50} from ${host} port ${20000 + pid} ssh2`);
  }
  const burst = (ip: string, startMs: number, endMs: number, perSecond: number): void => {
    const a = Math.max(fromMs, startMs);
    const b = Math.min(toMs, endMs);
    const count = Math.floor((b * perSecond) / 1000) - Math.floor((a * perSecond) / 1000);
    for (let i = 0; i < count; i++) {
      const pid = 1000 + (counter.n++ % 9000);
      lines.push(`${stamp()} sshd[${pid}]: Failed password for invalid user admin from ${ip} port ${40000 + pid} ssh2`);
    }
  };
  if (toMs > 2000 && fromMs < 3000) burst('203.0.113.7', 2000, 3000, 8);
  if (toMs > 6000 && fromMs < 8000) burst('198.51.100.23', 6000, 8000, 6);
  for (let s = Math.ceil(fromMs / 1000) * 1000; s < toMs; s += 1000) {
    if (s < 4000 || s >= 8000) lines.push(`${stamp()} CRON[99]: heartbeat ok`);
  }
  return lines;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Why the demo ends early: Ctrl-C or SIGTERM (it stops writing and ends as usual, summary
 * included), or the reader of its output went away (`| head`: it ends quietly).
 */
interface Interrupt {
  signal: 'SIGINT' | 'SIGTERM' | null;
  readerGone: boolean;
}

const requested = (interrupt: Interrupt): boolean => interrupt.signal !== null || interrupt.readerGone;

async function runDemo(dir: string, seconds: number, io: Io, interrupt: Interrupt): Promise<number> {
  const rules = join(packageRoot(), 'rules');
  copyFileSync(join(rules, 'demo-notify.mjs'), join(dir, 'demo-notify.mjs'));
  writeFileSync(join(dir, 'auth.log'), '');
  writeFileSync(join(dir, 'notify.log'), '');
  // The shipped file, not a copy in the fresh directory: its compile is cached from one demo to
  // the next (its relative names, auth.log and demo-notify.mjs, are the demo directory's at run time).
  const loaded = await loadRuleFile(join(rules, 'demo.rules'), io);
  if (loaded.report !== '') io.err(loaded.report);
  if (loaded.module === null) return 1;

  io.out(`rulec demo: watching ${dir}/auth.log with rules/demo.rules for ${seconds} s\n`);
  const log = new Logger({ stdout: { write: (text: string) => io.out(text) } });
  // Actions run `/usr/bin/env node ...`: make sure the node running the demo is the one found.
  const baseEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  const daemon = createDaemon([loaded.module], { log, actions: { baseEnv } });
  await daemon.start();

  // Seeded, so every demo run writes the same log.
  const next = seededRandom(20_240_917);
  const counter = { n: 0 };
  let written = 0;
  const started = Date.now();
  let last = 0;
  while (last < seconds * 1000 && !requested(interrupt)) {
    await sleep(TICK_MS);
    const now = Math.min(Date.now() - started, seconds * 1000);
    const lines = linesBetween(last, now, next, counter);
    last = now;
    if (lines.length === 0) continue;
    appendFileSync(join(dir, 'auth.log'), `${lines.join('\n')}\n`);
    written += lines.length;
  }
  await sleep(300);
  // The readers stop first; the actions they fired get up to 4 s to finish.
  const stats = await daemon.stop({ drainMs: 4_000 });
  const runs = readFileSync(join(dir, 'notify.log'), 'utf8').split('\n').filter((l) => l !== '').length;
  const a = stats.actions;

  io.out(`\nsummary\n  lines written ${written}, lines read ${stats.linesRead}\n`);
  // An item without a regex counts lines, not matches.
  const everyLine = new Set(loaded.module.items.flatMap((item, i) => (item.everyLine === true ? [i] : [])));
  stats.items.forEach((item, i) => {
    const counted = everyLine.has(i) ? `counts every line (${item.matched})` : `${item.matched} matched`;
    io.out(`  ${item.name}: ${counted}, fires: upbound ${item.upboundFires}, downbound ${item.downboundFires}, size ${item.sizeFires}\n`);
  });
  io.out(`  actions run ${runs} (submitted ${a.submitted}, exited 0 ${a.succeeded}, failed ${a.exitedBadly + a.spawnFailed + a.timedOut}${a.notStarted === 0 ? '' : `, ${a.notStarted} not started`})\n`);
  if (interrupt.signal === null) return 0;
  io.out('  interrupted\n');
  return exitCodeOf(interrupt.signal);
}

/** The shell's code for a run ended by `signal`. */
const exitCodeOf = (signal: 'SIGINT' | 'SIGTERM'): number => 128 + (signal === 'SIGINT' ? 2 : 15);

/** `rulec demo`: runs in a temp dir it removes again, whatever happens. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'watch a synthetic auth log for ~10 s with rules/demo.rules and print what fired',
  usage: 'rulec demo [--seconds N]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { seconds: { type: 'string', default: '10' } });
    if (positionals.length > 0) throw new UsageError('demo takes no files');
    const seconds = Number(values.seconds);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60) throw new UsageError('--seconds must be a whole number from 1 to 60');
    const dir = mkdtempSync(join(tmpdir(), 'rulec-demo-'));
    const home = process.cwd();
    // Without a handler Ctrl-C would end the process at once and leave the temp dir behind.
    // A second signal is an operator who will not wait: the demo ends at once.
    const interrupt: Interrupt = { signal: null, readerGone: false };
    const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
      if (interrupt.signal !== null) {
        rmSync(dir, { recursive: true, force: true });
        process.exit(exitCodeOf(signal));
      }
      interrupt.signal = signal;
    };
    // An error on stdout comes as an event, past any finally here: the demo then ends quietly.
    const onStdoutError = (error: NodeJS.ErrnoException): void => {
      if (error.code !== 'EPIPE') throw error;
      interrupt.readerGone = true;
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.stdout.on('error', onStdoutError);
    const quietIo: Io = { ...io, out: (text) => (interrupt.readerGone ? undefined : io.out(text)) };
    try {
      // The rules name `auth.log` and `demo-notify.mjs` relative to the demo directory.
      process.chdir(dir);
      return await runDemo(dir, seconds, quietIo, interrupt);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Left on: node reports a failed write on a later tick, after the summary's last one.
      process.chdir(home);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
