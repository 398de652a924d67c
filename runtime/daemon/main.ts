/**
 * `runMain`: the daemon as a process, with logNOT's command line (`DAEMON_USAGE`), for `rulec
 * run` and every bundle.mjs: own log, working directory, pid file, privileges, `-d`, signals,
 * reloads and exit codes, around the daemon `createDaemon` builds.
 *
 * Exit codes (docs/cli.md): 0 stopped by SIGTERM or SIGINT (and `-h`, `-V`, `-t`, a `-d` parent
 * whose background copy runs); 1 cannot start (rules with errors, nothing to run, an own log,
 * pid file, directory, user or reader it cannot have, a background copy that did not start);
 * 2 usage errors, a module of another contract version, an internal error (an exception nothing
 * caught: the daemon stops as on SIGTERM). Every path says why on stderr or in the own log and
 * removes the pid file it wrote.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { droppedSummary } from '../actions/action-runner.js';
import type { EngineSettings, RuleModule } from '../contract.js';
import { abandonedSummary } from '../engine/item-state.js';
import { escapeControl } from '../log/escape.js';
import { Logger } from '../log/logger.js';
import { DAEMON_USAGE, parseDaemonArgs, type DaemonArgs } from './args.js';
import { describeLeft, describeServed, coverageOf, nothingToRun, type Coverage } from './coverage.js';
import { createDaemon, STOP_GRACE_MS } from './daemon.js';
import { isDetachedChild, reportReady, rulesFromParent, spawnDetached, watchParent } from './detach.js';
import { checkModule, evaluateModuleScript } from './loader.js';
import { claimPidFile, removePidFile } from './pid-file.js';
import { dropPrivileges } from './privileges.js';
import { guardHangup, holdTermination, type TerminationHold } from './process-guards.js';
import { DAEMON_SERVICES, type ServiceKind, type ServiceStats, type ServiceSurroundings } from './services.js';
import { RuleFilesWatcher } from './rule-files-watcher.js';
import { installSignals } from './signals.js';
import { RUNTIME_VERSION } from './version.js';

/** Where `runMain` writes what is not its own log: usage, the version, a compile's report, why it cannot start. */
export interface DaemonIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A rule file compiled for the daemon: the generated module as a script (a CommonJS body, as
 * `compileToJs(..., 'script')` makes it; `evaluateModuleScript` loads it) and the compiler's
 * report as the user should read it: warnings, or the errors when `script` is null.
 */
export interface CompiledRules {
  readonly script: string | null;
  readonly report: string;
  /** The rule file and every file it sources, as read (absolute): what `--watch` watches. */
  readonly files?: readonly string[];
}

/**
 * The rules `runMain` runs: modules loaded already (a bundle's; checked here, and no reload), or
 * how to compile them (a rule file: at the start, unless the parent of a `-d` copy hands them
 * over, and again on each SIGUSR1).
 */
export type DaemonRules =
  | { readonly modules: readonly unknown[] }
  | { readonly compile: () => Promise<CompiledRules> };

/** What `runMain` runs and how, beyond its command line. */
export interface RunMainOptions {
  readonly rules: DaemonRules;
  /**
   * The file the rules came from (the rule file, the bundle itself). A rule file named on the
   * command line (`-c`, the positional) must be this one: a bundle cannot run another.
   */
  readonly ruleSource?: string;
  /** See `DaemonActionOptions.helperProgram`. */
  readonly helperProgram?: string;
  /** Default `DAEMON_SERVICES`. */
  readonly services?: readonly ServiceKind[];
  /** Default the process's stdout and stderr. */
  readonly io?: DaemonIo;
}

/** How long `-d` waits for its background copy to be running. */
const DETACH_READY_MS = 10_000;

const processIo: DaemonIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs the daemon until SIGTERM or SIGINT; resolves the exit code (see the file's comment). */
export async function runMain(argv: readonly string[], options: RunMainOptions): Promise<number> {
  const io = options.io ?? processIo;
  const parsed = parseDaemonArgs(argv);
  if (parsed.value.help) {
    io.out(`${DAEMON_USAGE}\n`);
    return 0;
  }
  if (parsed.errors.length > 0) {
    for (const error of parsed.errors) io.err(`rulec: ${error}\n`);
    io.err(`${DAEMON_USAGE}\n`);
    return 2;
  }
  if (parsed.value.version) {
    io.out(`rulec ${RUNTIME_VERSION}\n`);
    return 0;
  }
  if (parsed.value.retest !== null) {
    // Translating a PCRE pattern takes the compiler, which a bundle does not carry.
    io.err('rulec: -T needs the rulec command (rulec run -T REGEX, or rulec regex REGEX): a bundle cannot translate a regex\n');
    return 2;
  }
  if (parsed.value.watch && 'modules' in options.rules) {
    io.err('rulec: --watch needs a rule file: a bundle cannot reload its rules\n');
    return 2;
  }
  // Compiling takes a while, and no handler of the daemon's exists before it is done: a SIGTERM
  // or SIGINT is held until then (and stops it in order), a SIGHUP ignored.
  guardHangup();
  const hold = holdTermination();
  try {
    return await start(parsed.value, options, io, hold);
  } finally {
    hold.release();
  }
}

/** `runMain` from loading the rules on, with SIGTERM and SIGINT held (`hold`) until the daemon handles them. */
async function start(given: DaemonArgs, options: RunMainOptions, io: DaemonIo, hold: TerminationHold): Promise<number> {
  const loaded = await loadRules(options.rules, options.ruleSource ?? 'rules', io);
  if ('exit' in loaded) return loaded.exit;
  if (hold.signal !== null) {
    io.err(`rulec: ${hold.signal} while loading the rules: stopped before starting\n`);
    return 0;
  }
  const { modules } = loaded;
  if (given.test !== null) {
    // A bundle can only vouch for itself (it loads); a rule file is checked by `rulec check`.
    const self = process.argv[1];
    if (self === undefined || !sameFile(given.test, self)) {
      io.err(`rulec: -t ${escapeControl(given.test)}: this bundle checks only itself; check a rule file with rulec check\n`);
      return 2;
    }
    const items = modules.reduce((n, m) => n + m.items.length, 0);
    io.out(`${given.test}: loads: ${modules.length} module(s), ${items} item(s)\n`);
    return 0;
  }
  const config = given.config;
  if (config !== null && options.ruleSource !== undefined && !sameFile(config, options.ruleSource)) {
    io.err(`rulec: ${escapeControl(config)}: this bundle runs only the rules it was built from; run a rule file with rulec run FILE.rules, or build it\n`);
    return 2;
  }
  const services = options.services ?? DAEMON_SERVICES;
  const coverage = coverageOf(modules, services);
  if (nothingToRun(coverage)) {
    io.err(`rulec: ${escapeControl(nothingMessage(modules, coverage))}\n`);
    return 1;
  }
  const args = absolutePaths(given);
  const surroundings = surroundingsOf(args, io, options.ruleSource);
  // Said here, before -d leaves the terminal: a background copy could only say it in its log.
  const refusals = services.flatMap((kind) => kind.check?.(modules, surroundings) ?? []);
  if (refusals.length > 0) {
    for (const refusal of refusals) io.err(`rulec: ${escapeControl(refusal)}\n`);
    return 1;
  }
  // A background copy whose parent went before it could say "started" stops (SIGTERM: the same
  // orderly stop, which also removes a pid file already written).
  watchParent(() => {
    io.err('rulec: the process that started this background copy is gone before it reported ready; stopping\n');
    process.kill(process.pid, 'SIGTERM');
  });
  if (args.daemon && !isDetachedChild()) {
    // Waiting for the copy, a signal ends this parent (the guard); the copy, its parent gone, stops.
    hold.release();
    // With --watch the copy compiles the rules itself: it must know the files they were read from.
    const started = await spawnDetached(args.logFile!, DETACH_READY_MS, args.watch ? null : loaded.script);
    if ('error' in started) {
      io.err(`rulec: ${started.error}\n`);
      return 1;
    }
    return 0;
  }
  return serve(modules, loaded.files, loaded.readSince, args, { ...options, services }, io, coverage, surroundings, hold);
}

/**
 * What the services get: standard output unless the daemon's own log is there (`-d`, `-s`), a
 * terminal when standard input is one and the daemon stays in the foreground, and the rule
 * file's directory.
 */
function surroundingsOf(args: DaemonArgs, io: DaemonIo, ruleSource: string | undefined): ServiceSurroundings {
  const output = args.daemon
    ? 'under rulec run -d standard output is the log file'
    : args.stdout
      ? "with -s standard output carries rulec's own log"
      : io === processIo ? process.stdout : { write: io.out };
  const terminal = args.daemon
    ? 'rulec run -d has none'
    : process.stdin.isTTY === true ? { stdin: process.stdin, stdout: process.stdout } : 'standard input is not a terminal';
  return { output, terminal, baseDir: ruleSource === undefined ? process.cwd() : dirname(resolve(ruleSource)) };
}

/** `snort listener: 3 datagram(s) received, 3 alert(s), 0 bad`: a service's counters for the stop line. */
function serviceSummary(stats: ServiceStats): string {
  return `${stats.name}: ${Object.entries(stats.counts).map(([what, n]) => `${n} ${what}`).join(', ')}`;
}

/** The modules to run and the script they came from, or the exit code of a failure already reported. */
async function loadRules(rules: DaemonRules, origin: string, io: DaemonIo): Promise<{ modules: RuleModule[]; script: string | null; files: readonly string[]; readSince: number } | { exit: number }> {
  const readSince = Date.now();
  if ('modules' in rules) {
    const modules: RuleModule[] = [];
    for (const [i, candidate] of rules.modules.entries()) {
      const result = checkModule(candidate, `rule module ${i + 1}`);
      if (result.error !== null) {
        io.err(`rulec: ${escapeControl(result.error)}\n`);
        return { exit: 2 };
      }
      modules.push(result.value);
    }
    return { modules, script: null, files: [], readSince };
  }
  // The background copy of `-d` runs what its parent compiled and checked (whose report went to
  // the terminal there, not again to the log here).
  const handed = await rulesFromParent();
  const compiled: CompiledRules = handed === null ? await rules.compile() : { script: handed, report: '' };
  if (compiled.report !== '') io.err(compiled.report);
  if (compiled.script === null) return { exit: 1 };
  const module = evaluateModuleScript(compiled.script, origin);
  if (module.error !== null) {
    io.err(`rulec: ${escapeControl(module.error)}\n`);
    return { exit: 1 };
  }
  return { modules: [module.value], script: compiled.script, files: compiled.files ?? [], readSince };
}

/** A fresh rule set for a reload, or why there is none (the running one stays). */
async function reloadRules(rules: DaemonRules, origin: string): Promise<{ modules: RuleModule[]; files: readonly string[] } | { error: string[] }> {
  if ('modules' in rules) return { error: ['this build cannot reload its rules; restart it with a new bundle'] };
  let compiled: CompiledRules;
  try {
    compiled = await rules.compile();
  } catch (error) {
    return { error: [messageOf(error)] };
  }
  if (compiled.script === null) {
    return { error: [`${origin} has errors`, ...compiled.report.split('\n').filter((line) => line.trim() !== '')] };
  }
  const module = evaluateModuleScript(compiled.script, origin);
  return module.error === null ? { modules: [module.value], files: compiled.files ?? [] } : { error: [module.error] };
}

/** Why a rule set gives the daemon nothing to do, naming what runs its blocks. */
function nothingMessage(modules: readonly RuleModule[], coverage: Coverage): string {
  const names = modules.map((m) => m.name).join(', ');
  const left = describeLeft(coverage);
  return `nothing to run in ${names}: it has no items${left.length === 0 ? ' and no blocks' : `, and ${left.join('; ')}`}`;
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

async function serve(
  modules: readonly RuleModule[],
  files: readonly string[],
  /** When the rules of `files` began to be read. */
  filesReadSince: number,
  args: DaemonArgs,
  options: RunMainOptions,
  io: DaemonIo,
  coverage: Coverage,
  surroundings: ServiceSurroundings,
  hold: TerminationHold,
): Promise<number> {
  const toProcess = io === processIo;
  const log = new Logger({
    level: args.verbose ? 'debug' : 'info',
    file: args.logFile,
    // A background copy's stdout already is the log file; do not write each line twice (-s too).
    stdout: isDetachedChild() ? false : args.stdout ? (toProcess ? true : { write: io.out }) : args.logFile === null ? { write: io.err } : false,
  });
  // Running on with nowhere to log would hide every match, action and error: refuse to start
  // (the logger said why on stderr).
  if (log.fileLost) return 1;
  if (hold.signal !== null) {
    log.info(null, `${hold.signal}: stopped before starting`);
    log.close();
    return 0;
  }
  if (args.chdir !== null) {
    try {
      process.chdir(args.chdir);
    } catch (error) {
      log.error(null, `cannot change directory to ${args.chdir}: ${messageOf(error)}`);
      return 1;
    }
  }
  if (args.pidFile !== null) {
    // Taking over its pid file would let the other daemon's stop remove ours, or ours its.
    let owner: number | null;
    try {
      owner = claimPidFile(args.pidFile);
    } catch (error) {
      log.error(null, `cannot write pid file ${args.pidFile}: ${messageOf(error)}`);
      return 1;
    }
    if (owner !== null) {
      log.error(null, `pid file ${args.pidFile} names process ${owner}, still running: is rulec already running? (remove the file if that process is something else)`);
      return 1;
    }
  }
  const removePid = (): void => {
    process.off('exit', removePidAtExit);
    const problem = args.pidFile === null ? null : removePidFile(args.pidFile);
    if (problem !== null) log.warn(null, problem);
  };
  // Whatever ends the process without the orderly stop (process.exit anywhere), the file goes.
  const removePidAtExit = (): void => void (args.pidFile === null ? null : removePidFile(args.pidFile));
  process.on('exit', removePidAtExit);
  const general = modules[0]?.engine;
  const uid = args.uid ?? general?.uid ?? null;
  const gid = args.gid ?? general?.gid ?? null;
  const dropped = dropPrivileges(uid, gid);
  if (dropped !== null) {
    log.error(null, dropped);
    removePid();
    return 1;
  }
  if (uid !== null && gid === null && process.getgid?.() === 0) log.warn(null, `running as user ${uid} but still in group 0 (root): give -g too`);

  const daemon = createDaemon(modules, { log, verbose: args.verbose, services: options.services, surroundings, actions: { helperProgram: options.helperProgram } });
  const origin = options.ruleSource ?? modules.map((m) => m.name).join(', ');

  return new Promise<number>((done) => {
    let stopping = false;
    let ruleFiles: RuleFilesWatcher | null = null;
    // Signals are handled from here on; reloads and the stop queue up behind the start.
    let reloading: Promise<void> = daemon.start().then(
      async () => {
        log.info(null, `rulec ${RUNTIME_VERSION} running ${describeServed(coverage)} from ${modules.map((m) => m.name).join(', ')} (pid ${process.pid})`);
        for (const line of describeLeft(coverage)) log.info(null, line);
        if (args.watch) {
          ruleFiles = new RuleFilesWatcher(
            files,
            filesReadSince,
            (file) => {
              log.info(null, `${file} changed: reloading (--watch)`);
              reload();
            },
            (message) => log.error(null, `--watch: ${message}`),
          );
          await ruleFiles.ready();
          log.info(null, `--watch: reloading when any of ${files.length} rule file(s) changes`);
        }
        reportReady();
      },
      (error: unknown) => {
        // A module from elsewhere can hold what the checker refuses; one line, not a stack trace.
        stopping = true;
        log.error(null, `cannot start: ${messageOf(error)}`);
        void shutDown(1);
      },
    );
    // Signals that come before a reload begins ask for what it will do anyway: one reload. It
    // begins after the signals already delivered (a burst queued behind a compile comes at once).
    let reloadWaiting = false;
    const reload = (): void => {
      if (reloadWaiting) return;
      reloadWaiting = true;
      setImmediate(() => void (reloading = reloading.then(async () => {
        reloadWaiting = false;
        if (stopping) return;
        const readSince = Date.now();
        const fresh = await reloadRules(options.rules, origin);
        if ('error' in fresh) {
          const [first, ...rest] = fresh.error;
          log.error(null, `reload failed, keeping the running rules: ${first ?? 'no reason given'}`);
          for (const line of rest) log.error(null, line);
          return;
        }
        if (stopping) return;
        await daemon.replace(fresh.modules);
        void ruleFiles?.set(fresh.files, readSince);
        log.info(null, `reloaded: ${fresh.modules.reduce((n, m) => n + m.items.length, 0)} item(s)`);
        for (const change of startOnlyChanges(general, fresh.modules[0]?.engine)) log.warn(null, change);
      }).catch((error: unknown) => log.error(null, `reload failed: ${messageOf(error)}`))));
    };
    function terminate(signal: NodeJS.Signals): void {
      log.info(null, stopping ? `${signal}: already stopping` : `${signal}: stopping`);
      stop(0);
    }
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      void reloading.then(() => shutDown(code));
    };
    const uninstall = installSignals({
      hangup: () => {
        // A failed reopen has said why, and where the log still goes.
        if (log.reopen()) log.info(null, 'SIGHUP: reopened the log file');
        else if (args.logFile === null) log.info(null, 'SIGHUP: no log file to reopen (no -l)');
      },
      reload,
      terminate,
    });
    // The signals held while the daemon started are the daemon's from here on.
    hold.release();
    if (hold.signal !== null) terminate(hold.signal);
    // A bug must not leave the actions running and the pid file behind: the same stop, exit 2.
    const crashed = (error: unknown): void => {
      log.error(null, `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      stop(2);
    };
    process.on('uncaughtException', crashed);
    process.on('unhandledRejection', crashed);

    async function shutDown(code: number): Promise<void> {
      await ruleFiles?.close();
      const running = daemon.stats().actions.running;
      if (running > 0) log.info(null, `ending ${running} running action(s): SIGTERM, and SIGKILL ${STOP_GRACE_MS / 1000} s later`);
      const stats = await daemon.stop();
      if (stats.actions.notStarted > 0) log.warn(null, `${stats.actions.notStarted} queued action(s) not started: rulec was stopping`);
      const dropped = droppedSummary(stats.actions);
      const abandoned = abandonedSummary(stats.items);
      const served = stats.services.map((service) => `; ${serviceSummary(service)}`).join('');
      log.info(null, `stopped: ${stats.linesRead} line(s) read${abandoned === '' ? '' : `, ${abandoned}`}, ${stats.actions.submitted} action(s) submitted${dropped === '' ? '' : `, ${dropped}`}${served}`);
      removePid();
      uninstall();
      process.off('uncaughtException', crashed);
      process.off('unhandledRejection', crashed);
      log.close();
      done(code);
    }
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
