/**
 * The daemon's command line, as logNOT had it: `-c FILE` (or a positional FILE), `-d`, `-p PID`,
 * `-u UID`, `-g GID`, `-l LOG`, `-s`, `-w DIR`, `-t FILE`, `-T REGEX`, `-v`, `-V`, `-h`, with their long
 * forms (`--config`, `--daemon`, `--pid`, `--uid`, `--gid`, `--logfile`, `--stdout`, `--chdir`,
 * `--test`, `--retest`, `--verbose`, `--version`, `--help`) and `--name=value`; and rulec's own
 * `--watch`.
 */
import { resolve } from 'node:path';

/** What the daemon was asked to do. */
export interface DaemonArgs {
  /** `-c FILE` or the positional FILE; null when neither was given. */
  readonly config: string | null;
  readonly daemon: boolean;
  readonly pidFile: string | null;
  readonly uid: string | null;
  readonly gid: string | null;
  readonly logFile: string | null;
  readonly stdout: boolean;
  readonly chdir: string | null;
  readonly test: string | null;
  /** `-T REGEX`: show its captures on each line of standard input and exit, as `rulec regex` does. */
  readonly retest: string | null;
  readonly verbose: boolean;
  readonly version: boolean;
  readonly help: boolean;
  /** `--watch`: reload when the rule file or a file it sources changes. */
  readonly watch: boolean;
}

type ValueKey = 'config' | 'pidFile' | 'uid' | 'gid' | 'logFile' | 'chdir' | 'test' | 'retest';
type FlagKey = 'daemon' | 'stdout' | 'verbose' | 'version' | 'help' | 'watch';

const VALUE_OPTIONS: Readonly<Record<string, ValueKey>> = {
  '-c': 'config', '--config': 'config',
  '-p': 'pidFile', '--pid': 'pidFile',
  '-u': 'uid', '--uid': 'uid',
  '-g': 'gid', '--gid': 'gid',
  '-l': 'logFile', '--logfile': 'logFile',
  '-w': 'chdir', '--chdir': 'chdir',
  '-t': 'test', '--test': 'test',
  '-T': 'retest', '--retest': 'retest',
};

const FLAG_OPTIONS: Readonly<Record<string, FlagKey>> = {
  '-d': 'daemon', '--daemon': 'daemon',
  '-s': 'stdout', '--stdout': 'stdout',
  '-v': 'verbose', '--verbose': 'verbose',
  '-V': 'version', '--version': 'version',
  '-h': 'help', '--help': 'help',
  '--watch': 'watch',
};

/** The usage text printed for `-h` and after a usage error. */
export const DAEMON_USAGE = `usage: rulec run FILE|BUNDLE [options]
  -c, --config FILE    rule file (same as the positional FILE)
  -d, --daemon         run in the background (needs -l)
  -p, --pid FILE       write the process id to FILE
  -u, --uid USER       run as this user (name or number)
  -g, --gid GROUP      run as this group (name or number)
  -l, --logfile FILE   write the own log to FILE (SIGHUP reopens it)
  -s, --stdout         write the own log to standard output
  -w, --chdir DIR      change the working directory first
  -t, --test FILE      check FILE and exit
  -T, --retest REGEX   show the captures of REGEX on each line of standard input and exit
  -v, --verbose        log every match (careful: frequent logs)
      --watch          reload when the rule file or a file it sources changes
  -V, --version        print the version and exit
signals: SIGHUP reopens the own log, SIGUSR1 reloads the rules, SIGTERM ends running actions and exits`;

/** Parses daemon options; unknown options and missing values are errors, never throws. */
export function parseDaemonArgs(argv: readonly string[]): { value: DaemonArgs; errors: string[] } {
  const values: Record<ValueKey, string | null> = {
    config: null, pidFile: null, uid: null, gid: null, logFile: null, chdir: null, test: null, retest: null,
  };
  const flags: Record<FlagKey, boolean> = { daemon: false, stdout: false, verbose: false, version: false, help: false, watch: false };
  const positionals: string[] = [];
  const errors: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const valueKey = VALUE_OPTIONS[name];
    const flagKey = FLAG_OPTIONS[name];
    if (valueKey !== undefined) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') errors.push(`option ${name} needs a value`);
      else values[valueKey] = value;
    } else if (flagKey !== undefined && eq < 0) {
      flags[flagKey] = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      errors.push(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
    }
  }

  if (positionals.length > 1) errors.push(`expected one rule file, got ${positionals.length}`);
  const positional = positionals[0] ?? null;
  if (positional !== null && values.config !== null && resolve(positional) !== resolve(values.config)) {
    errors.push(`-c ${values.config} and ${positional} name different rule files`);
  }
  if (flags.daemon && values.logFile === null) {
    errors.push('-d needs -l FILE: a background daemon has no terminal and syslog is not supported');
  }
  return { value: { ...values, ...flags, config: values.config ?? positional }, errors };
}
