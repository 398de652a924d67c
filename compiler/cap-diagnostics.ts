import type { Diagnostic, DiagnosticLabel, Severity } from '../grammar/diagnostic.js';
import { worstSeverity } from '../grammar/diagnostic.js';

/** Problems kept per file; the rest are counted in one R215. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

/**
 * Keeps the first `max` diagnostics of each file (by position) and replaces the rest with one
 * R215 that counts them, at the first one left out, with the most severe level among them, so
 * an exit code that depends on errors stays the same. A file that is not a rule file at all
 * used to print tens of thousands of errors; an editor gets the same short list. Long quotes in
 * messages are cut too (shortenQuotes).
 */
export function capPerFile(diagnostics: readonly Diagnostic[], max = MAX_DIAGNOSTICS_PER_FILE): Diagnostic[] {
  const bounded = diagnostics.map(withShortQuotes);
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of bounded) {
    const list = byFile.get(d.span.file);
    if (list === undefined) byFile.set(d.span.file, [d]);
    else list.push(d);
  }
  if ([...byFile.values()].every((list) => list.length <= max)) return bounded;
  return [...byFile].flatMap(([file, list]) => {
    if (list.length <= max) return list;
    const sorted = list.map((d, i) => ({ d, i })).sort((a, b) => a.d.span.start - b.d.span.start || a.i - b.i).map(({ d }) => d);
    const rest = sorted.slice(max);
    const count = (severity: Severity): number => rest.filter((d) => d.severity === severity).length;
    const parts = (['error', 'warning', 'info'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s === 'info' ? 'info' : `${s}${count(s) === 1 ? '' : 's'}`}`);
    const summary: Diagnostic = {
      code: 'R215',
      severity: worstSeverity(rest),
      message: `${rest.length} more problems in ${file} not shown (${parts.join(', ')}); the first ${max} are shown`,
      span: rest[0]!.span,
    };
    return [...sorted.slice(0, max), summary];
  });
}

/** The longest quoted text a message repeats whole. */
export const MAX_QUOTE = 80;

const LONG_QUOTE = new RegExp(`\`([^\`]{${MAX_QUOTE + 1},})\``, 'g');

/**
 * Cuts what messages quote (an unknown key, command or token) to MAX_QUOTE characters: the
 * shown source line is already cut around the span, but a file of one 64 KiB word printed that
 * word whole in each of its messages (2 MB of output for a 2 MiB file).
 */
export function shortenQuotes(text: string): string {
  return text.replace(LONG_QUOTE, (_, quoted: string) => {
    // Never split a surrogate pair: the cut text is printed and sent to editors as UTF-8.
    const cut = /[\uD800-\uDBFF]/.test(quoted.charAt(MAX_QUOTE - 2)) ? MAX_QUOTE - 2 : MAX_QUOTE - 1;
    return `\`${quoted.slice(0, cut)}…\` (${quoted.length} characters)`;
  });
}

function withShortQuotes(d: Diagnostic): Diagnostic {
  const labels = d.labels?.map((label): DiagnosticLabel => ({ ...label, message: shortenQuotes(label.message) }));
  return {
    ...d,
    message: shortenQuotes(d.message),
    ...(labels === undefined ? {} : { labels }),
    ...(d.notes === undefined ? {} : { notes: d.notes.map(shortenQuotes) }),
  };
}
