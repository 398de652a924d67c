/**
 * What a bundle.mjs runs (compiler/bundle.ts writes the call): the guards every rulec process
 * sets first, then either the action helper's life (the bundle started again by its own daemon,
 * action-helper.ts) or the daemon with the bundle's module. The module is loaded only after the
 * guards, so its regexes are made with the linear-time fallback on.
 */
import { isActionHelper, serveActions } from '../actions/action-helper.js';
import { runMain } from './main.js';
import { guardProcess, guardTermination } from './process-guards.js';

/**
 * Runs a bundle: `load` imports its rule module, `self` is the bundle's own file (its rule source,
 * and its helper program), `argv` its command line. Resolves the exit code.
 */
export async function bundleMain(load: () => Promise<{ readonly default: unknown }>, self: string, argv: readonly string[]): Promise<number> {
  guardProcess();
  if (isActionHelper()) return serveActions();
  // The helper ignores these signals (it ends with its daemon); the daemon stops in order on them.
  guardTermination();
  const module = await load();
  return runMain(argv, { rules: { modules: [module.default] }, ruleSource: self, helperProgram: self });
}
