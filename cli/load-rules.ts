/**
 * A rule file compiled for running (`rulec run`, `test`, `report`, `monitor`, `snort`, `demo`):
 * from the compile cache when nothing it was made from changed (compiler/compile-cache.ts),
 * else compiled, here or in a child process, and kept there.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { cacheDirectory, hasErrors, loadCompiler, lookupCompiled, packageRoot, storeCompiled, UserError, type Diagnostic } from '../compiler/api.js';
import { evaluateModuleScript, type CompiledRules, type RuleModule } from '../runtime/index.js';
import { withDefaults, type Io } from './command.js';
import { orderDiagnostics, renderReport } from './render.js';

/** A rule file compiled to a module script, with what the compiler found. */
export interface CompiledRuleFile extends CompiledRules {
  readonly diagnostics: readonly Diagnostic[];
}

/** A rule file compiled and evaluated, or the diagnostics that stopped it. */
export interface LoadedRules {
  readonly module: RuleModule | null;
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostics as text (source lines and carets), empty when there are none. */
  readonly report: string;
  /** The script the module was evaluated from; null when there is no module. */
  readonly script: string | null;
}

/** Where a rule file is compiled when the cache does not have it. */
export type CompileWhere = 'here' | 'child';

/**
 * The script the daemon evaluates (`compileToJs(..., 'script')`: evaluated rather than
 * imported, a reload's old copy can be freed) for the rule file `path` (relative to `io.cwd`),
 * and the compiler's report. From the cache when it has it; otherwise compiled `here` (a command
 * that ends soon) or in a `child` process, so a daemon never holds the compiler (memory, and a
 * reload's work off its event loop). Says on `io.err` when the cache cannot be used.
 */
export async function compileRuleFile(path: string, io: Pick<Io, 'cwd' | 'env' | 'err'>, where: CompileWhere = 'here'): Promise<CompiledRuleFile> {
  const dir = cacheDirectory(io.env);
  const key = { path, cwd: io.cwd };
  const found = lookupCompiled(dir, key);
  if ('hit' in found) return found.hit;
  if ('refused' in found) io.err(`rulec: not using the compile cache: ${found.refused}\n`);
  const keep = 'refused' in found ? null : dir;
  const compiled = where === 'here' ? await compileHere(path, io.cwd, keep) : await compileInChild(path, io, keep);
  if (compiled.warning !== null) io.err(`rulec: ${compiled.warning}\n`);
  return compiled;
}

/** A compile's result and why it was not kept in the cache (null: kept, or nothing to keep). */
export interface Compile extends CompiledRuleFile {
  readonly warning: string | null;
}

/** Compiles `path` in this process; a clean result goes into the cache at `keep` (unless null). */
export async function compileHere(path: string, cwd: string, keep: string | null): Promise<Compile> {
  const { compileToJs } = await loadCompiler();
  const compiled = compileToJs(path, { cwd }, 'script');
  const diagnostics = orderDiagnostics(compiled.diagnostics, compiled.sources);
  const report = renderReport(diagnostics, compiled.sources);
  // Every file read, also when it had errors: `run --watch` reloads when one of them is fixed.
  const inputs = new Map([...compiled.sources].map(([name, text]) => [resolve(cwd, name), text]));
  const files = [...inputs.keys()];
  if (compiled.js === null || hasErrors(diagnostics)) return { script: null, report, diagnostics, files, warning: null };
  const result = { script: compiled.js, report, diagnostics };
  const problem = keep === null ? null : storeCompiled(keep, { path, cwd }, inputs, result);
  return { ...result, files, warning: problem === null ? null : `compiled without keeping it in the compile cache: ${problem}` };
}

/** What the compile child prints on stdout: its compile, or the user error that stopped it. */
export type ChildAnswer = Compile | { readonly userError: string };

/** Runs `out/cli/compile-child.js` for `path`; its answer, or an Error carrying what it printed when it failed. */
function compileInChild(path: string, io: Pick<Io, 'cwd' | 'env'>, keep: string | null): Promise<Compile> {
  const program = join(packageRoot(), 'out', 'cli', 'compile-child.js');
  const child = spawn(process.execPath, [program, path, io.cwd, keep ?? ''], { cwd: io.cwd, env: io.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  // A process ended meanwhile (a signal, process.exit) takes its compile with it.
  const orphaned = (): void => void child.kill();
  process.once('exit', orphaned);
  return new Promise((done, fail) => {
    child.on('error', (error) => fail(new Error(`cannot start the compiler: ${error.message}`)));
    child.on('close', (code, signal) => {
      process.off('exit', orphaned);
      let answer: ChildAnswer;
      try {
        answer = JSON.parse(Buffer.concat(out).toString('utf8')) as ChildAnswer;
      } catch {
        fail(new Error(`compiling ${path} failed (${signal ?? `exit ${code}`})${err === '' ? '' : `: ${err.trim()}`}`));
        return;
      }
      if ('userError' in answer) fail(new UserError(answer.userError));
      else done(answer);
    });
  });
}

/** Compiles a `.rules` file (relative to `io.cwd`; default the process's) and evaluates its module in memory. */
export async function loadRuleFile(path: string, io: Pick<Io, 'cwd' | 'env' | 'err'> = withDefaults(), where: CompileWhere = 'here'): Promise<LoadedRules> {
  const { script, report, diagnostics } = await compileRuleFile(path, io, where);
  if (script === null) return { module: null, diagnostics, report, script: null };
  const loaded = evaluateModuleScript(script, resolve(io.cwd, path));
  if (loaded.error !== null) return { module: null, diagnostics, report: `${report}rulec: ${loaded.error}\n`, script: null };
  return { module: loaded.value, diagnostics, report, script };
}
