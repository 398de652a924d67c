/** Action templates (`upbound_action`, `downbound_action`, `size_action`) compiled once at check time. */
import type { Entry } from '../../grammar/ast.js';
import type { DiagnosticLabel } from '../../grammar/diagnostic.js';
import type { ActionModel } from '../model.js';
import { compileActionTemplate } from '../template/action-template.js';
import { entryValue } from './context.js';
import type { CheckContext } from './context.js';

/** Which event runs the action: only the up-bound one runs on a matched line. */
export type ActionRole = 'upbound' | 'downbound' | 'size';

export interface ActionOptions {
  readonly role: ActionRole;
  readonly shell: boolean;
  /** Capture groups of the item's regex. */
  readonly groupCount: number;
  /** Set when the entry is a `[general]` default, to say which item read it. */
  readonly inheritedBy?: DiagnosticLabel;
}

/** Compiles one action entry; null when it has errors. */
export function checkAction(ctx: CheckContext, entry: Entry, options: ActionOptions): ActionModel | null {
  const value = entryValue(entry);
  const onLine = options.role === 'upbound';
  const labels = options.inheritedBy ? [options.inheritedBy] : [];
  let compiled: ReturnType<typeof compileActionTemplate>;
  try {
    compiled = compileActionTemplate(entry.value, {
      shell: options.shell,
      // Down-bound and size actions run when no line matched, so no capture exists.
      groupCount: onLine ? options.groupCount : 0,
    });
  } catch (error) {
    ctx.error('R311', `action could not be compiled: ${error instanceof Error ? error.message : String(error)}`, ctx.at(value));
    return null;
  }
  let failed = false;
  for (const problem of compiled.problems) {
    if (problem.severity === 'error') failed = true;
    const message =
      problem.code === 'R310' && !onLine
        ? `\`${entry.key}\` runs when no line matched: captures are not available`
        : problem.message;
    ctx.report(problem.code, problem.severity, message, ctx.at(value, problem.start, problem.end), { labels });
  }
  const spec = compiled.value;
  if (spec === null || failed) return null;
  if (!onLine && !spec.shell) {
    const usesLine = spec.argv.some((word) => word.some((part) => part.kind !== 'text'));
    if (usesLine) {
      const at = findLineReference(entry.value);
      ctx.error('R310', `\`${entry.key}\` runs when no line matched: \`$0\` and \`$@\` are empty`, ctx.at(value, at.start, at.end), {
        labels,
      });
      return null;
    }
  }
  return { spec, span: entry.valueSpan };
}

/** Where `$0`, `${0}` or `$@` is written (unescaped) in an action, or the whole value. */
function findLineReference(raw: string): { start: number; end: number } {
  const found = /(?<!\\)\$(?:@|0(?!\d)|\{0\})/.exec(raw);
  return found ? { start: found.index, end: found.index + found[0].length } : { start: 0, end: raw.length };
}
