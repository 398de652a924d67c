/**
 * The shared prefilter's data: which literal each item contributes. Generated modules carry
 * only this table (`SourceSpec.literals`); the Aho–Corasick automaton that scans a line for all
 * of them in one pass lives in runtime/prefilter. Measured by bench/compiler-prefilter.ts (200
 * rules from loghub templates, 56k corpus lines, prefilter + candidate regexes): automaton
 * 1.3M lines/s, alternation + includes 0.23M, includes per rule 0.14M, no prefilter 0.03M.
 *
 * Exactness (shared with the runtime): a line is compared after a per-code-unit fold (ASCII
 * upper → lower, U+017F → `s`, U+212A → `k`, the only non-ASCII code units a case-insensitive
 * JS regex equates with ASCII letters). Literals are folded the same way, so a raw occurrence is always a folded
 * occurrence (extra candidates are harmless: the item's regex decides). Case-insensitive
 * literals with non-ASCII characters are not used, because lower-casing does not follow the
 * regex engine's case equivalence there (`İ`, final sigma); such an item picks another
 * literal or is always a candidate.
 */
import type { ItemModel } from '../model.js';

/** The literal an item contributes to its source's prefilter, or null when it is always a candidate. */
export function prefilterLiteral(item: ItemModel): string | null {
  const caseInsensitive = item.regex.caseInsensitive || item.regex.flags.includes('i');
  let best: string | null = null;
  for (const candidate of item.regex.requiredLiterals) {
    if (candidate.length === 0) continue;
    if (caseInsensitive && !isAscii(candidate)) continue;
    if (best === null || candidate.length > best.length) best = candidate;
  }
  return best;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
