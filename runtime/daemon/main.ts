import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineSettings, RuleModule } from '../contract.js';
import { actionHelperIfNeeded } from '../actions/action-helper.js';
import { ActionRunner, droppedSummary } from '../actions/action-runner.js';
import { LiveClock } from '../clock/clock.js';
import { escapeControl } from '../log/escape.js';
import { Logger } from '../log/logger.js';
import { DAEMON_USAGE, parseDaemonArgs, type DaemonArgs } from './args.js';
import { isDetachedChild, reportReady, spawnDetached, watchParent } from './detach.js';
import { checkModule } from './loader.js';
import { claimPidFile, removePidFile } from './pid-file.js';
import { dropPrivileges } from './privileges.js';
import { installSignals } from './signals.js';
import { Supervisor } from './supervisor.js';
import { RUNTIME_VERSION } from './version.js';

// An entry point that runs `runMain` checks this first: the same program serves as the action helper.
export { isActionHelper, serveActions } from '../actions/action-helper.js';

/** Options of `runMain` beyond the command line. */
export interface RunMainOptions {
  /** Produces a fresh rule set on SIGUSR1; a rejection (e.g. check errors) keeps the running set. */
  readonly reload?: () => Promise<RuleModule[]>;
  /**
   * The program's own script (bin/rulec.js, bundle.mjs), started again as the process actions
   * are started from (action-helper.ts); without it, actions start from this process.
   */
  readonly actionHelper?: string;
  /**
   * The file the modules were made from (the rule file, the bundle itself). A rule file named on
   * the command line (`-c`, the positional) must be this one: a bundle cannot run another.
   */
  readonly ruleSource?: string;
  /**
   * The rules as compiled here (a generated module as a script): the background copy of `-d`
   * gets them from this process rather than compiling them again.
   */
  readonly moduleScript?: string;
}

/** How long `-d` waits for its background copy to be running. */
const DETACH_READY_MS = 10_000;

/**
 * SIGTERM must end the process within 5 s: stopping the readers takes some, draining most of the
 * rest, and actions still running get SIGTERM and, STOP_GRACE_MS later, SIGKILL.
 */
const DRAIN_MS = 3_500;
const STOP_GRACE_MS = 1_000;

/**
 * The daemon: runs `modules` with logNOT's command line (see `DAEMON_USAGE`) until SIGTERM or
 * SIGINT, then drains the action queue and resolves 0. Resolves 2 on usage errors or a module of
 * another contract version, 1 when it cannot start. This is also what `bundle.mjs` calls.
 */
export async function runMain(
  modules: readonly RuleModule[],
  argv: readonly string[],
  options: RunMainOptions = {},
): Promise<number> {
  const parsed = parseDaemonArgs(argv);
  if (parsed.value.help) {
    process.stdout.write(`${DAEMON_USAGE}\n`);
    return 0;
  }
  if (parsed.errors.length > 0) {
    for (const error of parsed.errors) process.stderr.write(`rulec: ${error}\n`);
    process.stderr.write(`${DAEMON_USAGE}\n`);
    return 2;
  }
  if (parsed.value.version) {
    process.stdout.write(`rulec ${RUNTIME_VERSION}\n`);
    return 0;
  }
  const checked: RuleModule[] = [];
  for (const [i, candidate] of modules.entries()) {
    const result = checkModule(candidate, `rule module ${i + 1}`);
    if (result.error !== null) {
      process.stderr.write(`rulec: ${escapeControl(result.error)}\n`);
      return 2;
    }
    checked.push(result.value);
  }
  if (parsed.value.test !== null) {
    // A bundle can only vouch for itself (it loads); a rule file is checked by `rulec check`.
    const self = process.argv[1];
    if (self === undefined || !sameFile(parsed.value.test, self)) {
      process.stderr.write(`rulec: -t ${escapeControl(parsed.value.test)}: this bundle checks only itself; check a rule file with rulec check\n`);
      return 2;
    }
    const items = checked.reduce((n, m) => n + m.items.length, 0);
    process.stdout.write(`${parsed.value.test}: loads: ${checked.length} module(s), ${items} item(s)\n`);
    return 0;
  }
  const config = parsed.value.config;
  if (config !== null && options.ruleSource !== undefined && !sameFile(config, options.ruleSource)) {
    process.stderr.write(`rulec: ${escapeControl(config)}: this bundle runs only the rules it was built from; run a rule file with rulec run FILE.rules, or build it\n`);
    return 2;
  }
  const args = absolutePaths(parsed.value);
  // A background copy whose parent went before it could say "started" stops (SIGTERM: the same
  // orderly stop, which also removes a pid file already written).
  watchParent(() => {
    process.stderr.write('rulec: the process that started this background copy is gone before it reported ready; stopping\n');
    process.kill(process.pid, 'SIGTERM');
  });
  if (args.daemon && !isDetachedChild()) {
    const started = await spawnDetached(args.logFile!, DETACH_READY_MS, options.moduleScript ?? null);
    if ('error' in started) {
      process.stderr.write(`rulec: ${started.error}\n`);
      return 1;
    }
    return 0;
  }
  return serve(checked, args, options);
}

/** True when both names reach the same file (through symlinks too), or are the same name. */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * [general] settings a reload cannot apply: the action workers, the user and group were set up
 * at the start (and privileges cannot come back), the checkpoint store too.
 */
function startOnlyChanges(running: EngineSettings | undefined, next: EngineSettings | undefined): string[] {
  if (running === undefined || next === undefined) return [];
  const settings = [
    ['athread_count', running.actionThreads, next.actionThreads],
    ['uid', running.uid, next.uid],
    ['gid', running.gid, next.gid],
    ['state', running.stateDir, next.stateDir],
  ] as const;
  return settings
    .filter(([, was, now]) => was !== now)
    .map(([key, was, now]) => `reload: ${key} changed from ${String(was)} to ${String(now)}, which takes effect only when rulec starts again`);
}

/** Makes file arguments independent of `-w`, so parent and background copy agree on them. */
function absolutePaths(args: DaemonArgs): DaemonArgs {
  const abs = (p: string | null): string | null => (p === null ? null : resolve(p));
  return { ...args, logFile: abs(args.logFile), pidFile: abs(args.pidFile) };
}

async function serve(modules: readonly RuleModule[], args: DaemonArgs, options: RunMainOptions): Promise<number> {
  const log = new Logger({
    level: args.verbose ? 'debug' : 'info',
    file: args.logFile,
    // A background copy's stdout already is the log file; do not write each line twice (-s too).
    stdout: isDetachedChild() ? false : args.stdout ? true : args.logFile === null ? process.stderr : false,
  });
  // Running on with nowhere to log would hide every match, action and error: refuse to start
  // (the logger said why on stderr).
  if (log.fileLost) return 1;
  if (args.chdir !== null) {
    try {
      process.chdir(args.chdir);
    } catch (error) {
      log.error(null, `cannot change directory to ${args.chdir}: ${(error as Error).message}`);
      return 1;
    }
  }
  if (args.pidFile !== null) {
    // Taking over its pid file would let the other daemon's stop remove ours, or ours its.
    let owner: number | null;
    try {
      owner = claimPidFile(args.pidFile);
    } catch (error) {
      log.error(null, `cannot write pid file ${args.pidFile}: ${(error as Error).message}`);
      return 1;
    }
    if (owner !== null) {
      log.error(null, `pid file ${args.pidFile} names process ${owner}, still running: is rulec already running? (remove the file if that process is something else)`);
      return 1;
    }
  }
  const general = modules[0]?.engine;
  const uid = args.uid ?? general?.uid ?? null;
  const gid = args.gid ?? general?.gid ?? null;
  const dropped = dropPrivileges(uid, gid);
  if (dropped !== null) {
    log.error(null, dropped);
    if (args.pidFile !== null) removePidFile(args.pidFile);
    return 1;
  }
  if (uid !== null && gid === null && process.getgid?.() === 0) log.warn(null, `running as user ${uid} but still in group 0 (root): give -g too`);

  const helper = options.actionHelper === undefined
    ? undefined
    : actionHelperIfNeeded(options.actionHelper, (reason) => log.warn(null, `${reason}: actions start from the daemon itself`));
  const actions = new ActionRunner(log, { threads: general?.actionThreads ?? 2, helper });
  const supervisor = new Supervisor({ clock: new LiveClock(), actions, log, verbose: args.verbose });
  const items = modules.reduce((n, m) => n + m.items.length, 0);

  return new Promise<number>((done) => {
    let stopping = false;
    // Signals are handled from here on; reloads and the stop queue up behind the start.
    let reloading: Promise<void> = supervisor.start(modules).then(
      () => {
        log.info(null, `rulec ${RUNTIME_VERSION} running ${items} item(s) from ${modules.map((m) => m.name).join(', ')} (pid ${process.pid})`);
        if (items === 0) log.warn(null, 'no items to watch: MailLog and Snort blocks are checked, but this release does not run them');
        reportReady();
      },
      (error: unknown) => {
        // A module from elsewhere can hold what the checker refuses; one line, not a stack trace.
        stopping = true;
        log.error(null, `cannot start: ${error instanceof Error ? error.message : String(error)}`);
        void shutDown(1);
      },
    );
    const reload = (): void => {
      reloading = reloading.then(async () => {
        if (stopping) return;
        if (options.reload === undefined) {
          log.warn(null, 'SIGUSR1: this build cannot reload its rules; restart it with a new bundle');
          return;
        }
        const fresh = await loadFresh(options.reload);
        if ('error' in fresh) {
          const [first, ...rest] = fresh.error.split('\n').filter((l) => l.trim() !== '');
          log.error(null, `reload failed, keeping the running rules: ${first ?? 'no reason given'}`);
          for (const line of rest) log.error(null, line);
          return;
        }
        if (stopping) return;
        await supervisor.replace(fresh.modules);
        log.info(null, `reloaded: ${fresh.modules.reduce((n, m) => n + m.items.length, 0)} item(s)`);
        for (const change of startOnlyChanges(general, fresh.modules[0]?.engine)) log.warn(null, change);
      }).catch((error: unknown) => log.error(null, `reload failed: ${String(error)}`));
    };
    const uninstall = installSignals({
      hangup: () => {
        // A failed reopen has said why, and where the log still goes.
        if (log.reopen()) log.info(null, 'SIGHUP: reopened the log file');
        else if (args.logFile === null) log.info(null, 'SIGHUP: no log file to reopen (no -l)');
      },
      reload,
      terminate: (signal) => {
        if (stopping) return;
        stopping = true;
        log.info(null, `${signal}: stopping`);
        void reloading.then(() => shutDown(0));
      },
    });

    async function shutDown(code: number): Promise<void> {
      // After a failed start the supervisor may be half built; stopping it must not end the shutdown.
      await supervisor.stop().catch((error: unknown) => log.error(null, `stopping: ${String(error)}`));
      const drained = await actions.drain(DRAIN_MS);
      // What started from this process (no helper) must not outlive it: SIGKILL before the exit.
      await actions.close(STOP_GRACE_MS);
      const stats = actions.stats();
      if (!drained) log.warn(null, `${stats.running + stats.queued} action(s) still running at exit`);
      const dropped = droppedSummary(stats);
      log.info(null, `stopped: ${supervisor.stats().linesRead} line(s) read, ${stats.submitted} action(s) submitted${dropped === '' ? '' : `, ${dropped}`}`);
      const pidProblem = args.pidFile === null ? null : removePidFile(args.pidFile);
      if (pidProblem !== null) log.warn(null, pidProblem);
      uninstall();
      log.close();
      // Actions still running would keep the process alive past the promised 5 s.
      if (!drained) setTimeout(() => process.exit(code), 100).unref();
      done(code);
    }
  });
}

async function loadFresh(reload: () => Promise<RuleModule[]>): Promise<{ modules: RuleModule[] } | { error: string }> {
  let candidates: RuleModule[];
  try {
    candidates = await reload();
  } catch (error) {
    return { error: (error as Error).message };
  }
  const modules: RuleModule[] = [];
  for (const [i, candidate] of candidates.entries()) {
    const result = checkModule(candidate, `rule module ${i + 1}`);
    if (result.error !== null) return { error: result.error };
    modules.push(result.value);
  }
  return { modules };
}
