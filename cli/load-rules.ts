/** A rule file compiled in memory, for `rulec run`, `rulec test` and `rulec demo`. */
import { resolve } from 'node:path';
import { hasErrors, loadCompiler, type Diagnostic } from '../compiler/api.js';
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

/**
 * Compiles a `.rules` file (relative to `io.cwd`) to the script the daemon evaluates
 * (`compileToJs(..., 'script')`): evaluated rather than imported, a reload's old copy can be freed.
 */
export async function compileRuleFile(path: string, io: Pick<Io, 'cwd'>): Promise<CompiledRuleFile> {
  const { compileToJs } = await loadCompiler();
  const compiled = compileToJs(path, { cwd: io.cwd }, 'script');
  const diagnostics = orderDiagnostics(compiled.diagnostics, compiled.sources);
  const report = renderReport(diagnostics, compiled.sources);
  const files = [...compiled.sources.keys()].map((file) => resolve(file));
  return { script: compiled.js === null || hasErrors(diagnostics) ? null : compiled.js, report, diagnostics, files };
}

/** Compiles a `.rules` file (relative to `io.cwd`; default the process's) and evaluates its module in memory. */
export async function loadRuleFile(path: string, io: Pick<Io, 'cwd' | 'env' | 'err'> = withDefaults()): Promise<LoadedRules> {
  const { script, report, diagnostics } = await compileRuleFile(path, io);
  if (script === null) return { module: null, diagnostics, report, script: null };
  const loaded = evaluateModuleScript(script, path);
  if (loaded.error !== null) return { module: null, diagnostics, report: `${report}rulec: ${loaded.error}\n`, script: null };
  return { module: loaded.value, diagnostics, report, script };
}
