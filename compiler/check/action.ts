/** Action templates (`upbound_action`, `downbound_action`, `size_action`) compiled once at check time. */
import type { Entry } from '../../grammar/ast.js';
import type { DiagnosticLabel } from '../../grammar/diagnostic.js';
import type { ActionModel } from '../model.js';
import { compileActionTemplate } from '../template/action-template.js';
import { entryValue } from './context.js';
import type { CheckContext } from './context.js';

/** Which event runs the action: only the up-bound one runs on a matched line. */
export type ActionRole = 'upbound' | 'downbound' | 'size';

/** What an action needs to know about its item. */
export interface ActionOptions {
  readonly role: ActionRole;
  readonly shell: boolean;
  /** Capture groups of the item's regex. */
  readonly groupCount: number;
  /** Its named groups and their numbers; null when the regex is broken (then any name is taken on trust). */
  readonly groupNames: Readonly<Record<string, number>> | null;
  /** Set when the entry is a `[general]` default, to say which item read it. */
  readonly inheritedBy?: DiagnosticLabel;
}

/** Compiles one action entry; null when it has errors. */
export function checkAction(ctx: CheckContext, entry: Entry, options: ActionOptions): ActionModel | null {
  const value = entryValue(entry);
  let compiled: ReturnType<typeof compileActionTemplate>;
  try {
    compiled = compileActionTemplate(entry.value, {
      shell: options.shell,
      // Down-bound and size actions fire with no matched line: a negative count refuses `$N` and `$@`.
      groupCount: options.role === 'upbound' ? options.groupCount : -1,
      groupNames: options.groupNames,
    });
  } catch (error) {
    ctx.error('R311', `action could not be compiled: ${error instanceof Error ? error.message : String(error)}`, ctx.at(value));
    return null;
  }
  const labels = options.inheritedBy ? [options.inheritedBy] : [];
  for (const problem of compiled.problems) {
    ctx.report(problem.code, problem.severity, problem.message, ctx.at(value, problem.start, problem.end), { labels });
  }
  const spec = compiled.value;
  return spec === null ? null : { spec, span: entry.valueSpan };
}
