/**
 * `rulec run FILE|BUNDLE [-d] [-p PID] [-u UID] [-g GID] [-l LOG] [-s] [-w DIR] [-v] [-t FILE]`:
 * a `.rules` file is compiled in memory and run by the daemon (SIGUSR1 recompiles it); a
 * `.mjs` bundle is run with node. `-t FILE` checks FILE as `rulec check` does; `-T REGEX` is
 * `rulec regex REGEX`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUNDLE_HEAD, BUNDLE_TAIL, hasErrors, loadCompiler, UserError } from '../../compiler/api.js';
import { DAEMON_USAGE, parseDaemonArgs, runMain } from '../../runtime/index.js';
import { UsageError, writesToProcess, type Command, type Io } from '../command.js';
import { compileRuleFile } from '../load-rules.js';
import { regexCommand } from './regex.js';
import { orderDiagnostics, renderReport } from '../render.js';

async function checkOnly(file: string, io: Io): Promise<number> {
  const { checkFiles } = await loadCompiler();
  const [result] = checkFiles([file], { cwd: io.cwd });
  const sources = result?.sources ?? new Map<string, string>();
  const diagnostics = orderDiagnostics(result?.diagnostics ?? [], sources);
  io.err(renderReport(diagnostics, sources));
  if (hasErrors(diagnostics)) return 1;
  io.out(`${file}: ok\n`);
  return 0;
}

/** `file` when it is a readable regular file (relative to `cwd`); otherwise one line saying why (not node's stack trace). */
function readableFile(file: string, cwd: string): string {
  let st;
  try {
    st = statSync(resolve(cwd, file));
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (!st.isFile()) throw new UserError(`cannot read ${file}: not a file`);
  return file;
}

/** `file` when it is a whole bundle.mjs made by `rulec build`; otherwise one line saying what it is. */
function bundleFile(file: string, cwd: string): string {
  const text = readFileSync(resolve(cwd, readableFile(file, cwd)), 'utf8');
  if (!text.startsWith(BUNDLE_HEAD)) throw new UserError(`${file} is not a bundle made by rulec build (build one with rulec build FILE.rules)`);
  if (!text.trimEnd().endsWith(BUNDLE_TAIL)) throw new UserError(`${file} is cut short (it lacks the bundle's last line): copy or build it again`);
  return file;
}

/**
 * Runs a bundle as its own node process in `io`'s directory and environment, passing signals on
 * so it can stop and reload; its output goes straight to ours, or through `io` when that is not
 * the process's (a command run in process).
 */
function runBundle(bundle: string, args: readonly string[], io: Io): Promise<number> {
  const direct = writesToProcess(io);
  const child = spawn(process.execPath, [bundle, ...args], { cwd: io.cwd, env: io.env, stdio: direct ? 'inherit' : ['inherit', 'pipe', 'pipe'] });
  child.stdout?.setEncoding('utf8').on('data', (text: string) => io.out(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => io.err(text));
  const signals: NodeJS.Signals[] = ['SIGHUP', 'SIGUSR1', 'SIGTERM', 'SIGINT'];
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  return new Promise((done) => {
    const finish = (code: number): void => {
      for (const signal of signals) process.off(signal, forward);
      done(code);
    };
    child.on('error', () => finish(2));
    child.on('close', (code, signal) => finish(code ?? (signal === null ? 2 : 1)));
  });
}

/** `rulec run`: a bundle runs in its own node process, a rule file in this one. */
export const runCommand: Command = {
  name: 'run',
  summary: 'run a rule file or a built bundle.mjs as the watching daemon (logNOT flags)',
  usage: DAEMON_USAGE.replace(/^usage: /, ''),
  async run(args, io) {
    const parsed = parseDaemonArgs(args);
    if (parsed.errors.length > 0) throw new UsageError(parsed.errors.join('; '));
    if (parsed.value.version || parsed.value.help) return runMain(args, { rules: { modules: [] }, io });
    // logNOT's `-T REGEX`: what `rulec regex` does.
    if (parsed.value.retest !== null) return regexCommand.run([parsed.value.retest], io);
    const file = parsed.value.config;
    const test = parsed.value.test;
    const isBundle = (name: string): boolean => /\.m?js$/.test(name);
    // `-t FILE.rules` checks that file whatever else is given; a bundle verifies itself with `-t`.
    if (test !== null && !isBundle(test)) return checkOnly(test, io);
    const bundle = file !== null && isBundle(file) ? file : test;
    if (bundle !== null) return runBundle(bundleFile(bundle, io.cwd), args, io);
    if (file === null) throw new UsageError('no rule file or bundle given');
    // `-w` changes the directory before reloads, so reloads must not depend on the current one.
    const path = resolve(io.cwd, file);
    // Compiled in a child process on a cache miss (at the start, and each reload: SIGUSR1, --watch): the daemon never holds the compiler.
    return runMain(args, { rules: { compile: () => compileRuleFile(path, io, 'child') }, ruleSource: path, io });
  },
};
