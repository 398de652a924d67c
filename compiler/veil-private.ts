/**
 * A rule file may `source` any path, and a diagnostic quotes the line it points at (and often
 * the word at fault): `source "/etc/shadow"` in a rule file checked or run by root printed the
 * password hashes. So the problems of a sourced file that not every user may read are never
 * shown: they become one diagnostic at the `source` line that names the file and counts them,
 * and the file's text is not handed to whoever renders diagnostics. Its lines are shown only
 * when the user names it as the entry file (`rulec check FILE`), as `cat` would show it.
 */
import type { Diagnostic, Span } from '../grammar/diagnostic.js';
import { worstSeverity } from '../grammar/diagnostic.js';
import type { Program } from './program.js';
import { resolveInclude } from './load.js';

/**
 * `diagnostics` with those in a sourced file of `program` that `isPrivate` says not every user
 * may read replaced by one R382 per file at its first `source` line (its level the worst of
 * theirs), and labels pointing into such a file dropped; `veiled` names the files whose text
 * must not be shown. `display` names a file as the user wrote it.
 */
export function veilPrivate(
  program: Program,
  diagnostics: readonly Diagnostic[],
  isPrivate: (name: string) => boolean,
  display: (name: string) => string,
): { diagnostics: Diagnostic[]; veiled: Set<string> } {
  const veiled = new Set<string>();
  for (const name of program.files.keys()) if (name !== program.entry && isPrivate(name)) veiled.add(name);
  if (veiled.size === 0) return { diagnostics: [...diagnostics], veiled };
  const hidden = new Map<string, Diagnostic[]>();
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (veiled.has(d.span.file)) hidden.set(d.span.file, [...(hidden.get(d.span.file) ?? []), d]);
    else kept.push(d.labels?.some((label) => veiled.has(label.span.file)) === true ? { ...d, labels: d.labels.filter((label) => !veiled.has(label.span.file)) } : d);
  }
  for (const [name, list] of hidden) {
    const at = sourceLine(program, name, veiled);
    kept.push({
      code: 'R382',
      severity: worstSeverity(list),
      message: `source file ${display(name)} has ${list.length} problem(s), not shown: not every user may read it, so its lines may be secret`,
      span: at ?? { file: program.entry, start: 0, end: 0 },
      notes: [`if it is a rule file, run \`rulec check ${display(name)}\` to see them; if not, remove the \`source\` line`],
    });
  }
  return { diagnostics: kept, veiled };
}

/** The first `source` line (in a file whose text may be shown) that includes `name`. */
function sourceLine(program: Program, name: string, veiled: ReadonlySet<string>): Span | null {
  for (const [from, file] of program.files) {
    if (veiled.has(from)) continue;
    for (const statement of file.statements) {
      if (statement.kind !== 'command' || statement.name.value !== 'source' || statement.args.length !== 1) continue;
      if (resolveInclude(from, statement.args[0]!.value) === name) return statement.span;
    }
  }
  return null;
}
