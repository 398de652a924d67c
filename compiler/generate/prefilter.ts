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

const MIN_OWN_LITERAL = 8;

/**
 * The literal each item of one source contributes to the prefilter (null: always a candidate),
 * in the items' order. An item's literal is its longest usable required literal, unless another
 * item of the source also requires that text: then every line the other item matches makes
 * this one a candidate too, and its regex runs in vain. Families of rules that share a prefix
 * (`session opened for user (\S+) by \(uid=` beside `... by LOGIN\(uid=`, fail2ban filters
 * built on one prefix line) are the common case, so the item takes its longest literal no other
 * item requires, when there is one of at least `MIN_OWN_LITERAL` characters (shorter ones, ` port`
 * or ` from `, are words most lines have) and at least as long as the source's shortest literal
 * already is (a shorter one would make the gram index probe more often on every line). On the
 * 200-rule bench this leaves 0.14 fewer regex runs per line that cannot match (0.85 → 0.71).
 */
export function sourceLiterals(items: readonly ItemModel[]): (string | null)[] {
  const usable = items.map(usableLiterals);
  const longest = usable.map((literals) => literals[0] ?? null);
  const floor = Math.max(MIN_OWN_LITERAL, Math.min(...longest.map((literal) => literal?.length ?? Infinity)));
  const required = new RequiredText(usable);
  return usable.map((literals, self) => {
    const own = literals.find((literal) => literal.length >= floor && !required.byAnotherThan(self, literal));
    return own ?? longest[self] ?? null;
  });
}

/**
 * Every item's literals, case-folded, in one string, so "does another item require this text"
 * is a native substring search rather than one comparison per pair of items (a source may hold
 * thousands of items).
 */
class RequiredText {
  private readonly text: string;
  /** For each position of `text`, the literal it belongs to (-1 between literals). */
  private readonly entryAt: Int32Array;
  /** The item each literal belongs to. */
  private readonly owners: number[] = [];

  constructor(literals: readonly (readonly string[])[]) {
    // Lower case may be longer than the literal (İ is two code units then): lay out what is joined.
    const parts = literals.flatMap((own, item) => own.map((literal) => {
      this.owners.push(item);
      return literal.toLowerCase();
    }));
    // NUL between literals: a hit that runs across one spans two literals, and is not counted.
    this.text = parts.join('\u0000');
    this.entryAt = new Int32Array(this.text.length).fill(-1);
    let at = 0;
    parts.forEach((part, k) => {
      this.entryAt.fill(k, at, at + part.length);
      at += part.length + 1;
    });
  }

  /** Whether `literal` lies inside a literal of an item other than `self`. */
  byAnotherThan(self: number, literal: string): boolean {
    const needle = literal.toLowerCase();
    for (let at = this.text.indexOf(needle); at !== -1; at = this.text.indexOf(needle, at + 1)) {
      const k = this.entryAt[at]!;
      // Literals are contiguous: a hit whose first and last characters lie in one lies inside it.
      if (k !== -1 && this.entryAt[at + needle.length - 1] === k && this.owners[k] !== self) return true;
    }
    return false;
  }
}

/**
 * An item's required literals the prefilter may use, longest first. Case-insensitive literals
 * with non-ASCII characters are left out (see the file comment).
 */
function usableLiterals(item: ItemModel): string[] {
  const caseInsensitive = item.regex.caseInsensitive || item.regex.flags.includes('i');
  return item.regex.requiredLiterals
    .filter((literal) => literal.length > 0 && !(caseInsensitive && !isAscii(literal)))
    .sort((a, b) => b.length - a.length);
}

export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
