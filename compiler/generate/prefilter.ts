/**
 * The shared prefilter: which literal each item contributes, and the helper every generated
 * module carries to scan a line for all of them in one pass.
 *
 * Why an Aho–Corasick automaton: with many rules on one file, `line.includes(lit)` per item
 * costs one scan per rule, and one combined alternation regex only answers "some literal is
 * here" (it cannot report overlapping hits, so the per-item checks come back on every line
 * that has any hit). The automaton reads each code unit once and reports every item whose
 * literal occurs, whatever the number of rules. Measured by bench/compiler-prefilter.ts (200
 * rules from loghub templates, 56k corpus lines, prefilter + candidate regexes): automaton
 * 1.3M lines/s, alternation + includes 0.23M, includes per rule 0.14M, no prefilter 0.03M.
 *
 * Exactness: a line is compared after a per-code-unit fold (ASCII upper → lower, U+017F → `s`,
 * U+212A → `k`, the only non-ASCII code units a case-insensitive JS regex equates with ASCII
 * letters). Literals are folded the same way, so a raw occurrence is always a folded
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

/** Name of the helper in generated modules. */
export const PREFILTER_FUNCTION = 'createCandidates';

/**
 * Fixed TypeScript source of the helper placed in every generated module that has items. It
 * holds no value from a rule file: literals reach it as string-literal arguments.
 */
export const PREFILTER_SOURCE = `/**
 * Builds a source's candidates(line): one Aho–Corasick pass over the folded line finds every
 * item whose required literal occurs; items without a literal are always candidates.
 */
function ${PREFILTER_FUNCTION}(items: readonly number[], literals: readonly (string | null)[]): (line: string) => readonly number[] {
    const folded = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c === 0x17f ? 115 : c === 0x212a ? 107 : c);
    // Many distinct non-ASCII characters would make the table huge: then they all share one
    // class, which only adds candidates (the regexes decide), never loses one.
    const distinct = new Set<number>();
    for (const text of literals) for (let i = 0; text !== null && i < text.length; i++) distinct.add(folded(text.charCodeAt(i)));
    const coarse = distinct.size > 127;
    const fold = (c: number): number => {
        const unit = folded(c);
        return coarse && unit > 127 ? 128 : unit;
    };
    const count = items.length;
    const always = items.filter((_, j) => literals[j] === null);
    if (always.length === count) return () => always;
    // Trie over character classes (class 0: a code unit in no literal).
    const classByUnit = new Map<number, number>();
    const edges: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    literals.forEach((text, j) => {
        if (text === null) return;
        let state = 0;
        for (let i = 0; i < text.length; i++) {
            const unit = fold(text.charCodeAt(i));
            let cls = classByUnit.get(unit);
            if (cls === undefined) {
                cls = classByUnit.size + 1;
                classByUnit.set(unit, cls);
            }
            let next = edges[state]!.get(cls);
            if (next === undefined) {
                next = edges.length;
                edges.push(new Map());
                ends.push([]);
                edges[state]!.set(cls, next);
            }
            state = next;
        }
        ends[state]!.push(j);
    });
    // Rows are a power of two wide, so a transition holds the next row's offset (no multiply
    // per character) and a state is recovered with a shift.
    const shift = Math.max(1, Math.ceil(Math.log2(classByUnit.size + 1)));
    const width = 1 << shift;
    const classOf = new Uint16Array(65536);
    for (let unit = 0; unit < 65536; unit++) classOf[unit] = classByUnit.get(fold(unit)) ?? 0;
    // Breadth-first: failure links, full transition table, outputs merged along failure links.
    const delta = new Int32Array(edges.length * width);
    const fail = new Int32Array(edges.length);
    const queue: number[] = [];
    for (const [cls, next] of edges[0]!) {
        delta[cls] = next;
        queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
        const state = queue[head]!;
        ends[state]!.push(...ends[fail[state]!]!);
        for (let cls = 0; cls < width; cls++) {
            const next = edges[state]!.get(cls);
            if (next === undefined) {
                delta[state * width + cls] = delta[fail[state]! * width + cls]!;
            } else {
                fail[next] = delta[fail[state]! * width + cls]!;
                delta[state * width + cls] = next;
                queue.push(next);
            }
        }
    }
    const outStart = new Int32Array(edges.length + 1);
    const outItems: number[] = [];
    ends.forEach((list, state) => {
        outStart[state] = outItems.length;
        outItems.push(...new Set(list));
    });
    outStart[edges.length] = outItems.length;
    // Transitions into a state with outputs are stored complemented (negative): one sign test per character.
    for (let k = 0; k < delta.length; k++) {
        const next = delta[k]!;
        delta[k] = ends[next]!.length > 0 ? ~(next << shift) : next << shift;
    }
    const withLiteral = count - always.length;
    const alwaysLocal = items.map((_, j) => j).filter((j) => literals[j] === null);
    const seen = new Uint32Array(count);
    // Hits in the order found; sorted at the end so candidates keep item order.
    const found = new Int32Array(count);
    let generation = 0;
    return (line: string): readonly number[] => {
        generation = generation === 0xffffffff ? 1 : generation + 1;
        if (generation === 1) seen.fill(0);
        let row = 0;
        let hits = 0;
        for (let i = 0; i < line.length; i++) {
            const next = delta[row + classOf[line.charCodeAt(i)]!]!;
            if (next >= 0) {
                row = next;
                continue;
            }
            row = ~next;
            const state = row >> shift;
            for (let k = outStart[state]!, end = outStart[state + 1]!; k < end; k++) {
                const j = outItems[k]!;
                if (seen[j] !== generation) {
                    seen[j] = generation;
                    found[hits++] = j;
                }
            }
            if (hits === withLiteral) break;
        }
        if (hits === 0) return always;
        for (const j of alwaysLocal) found[hits++] = j;
        for (let a = 1; a < hits; a++) {
            const j = found[a]!;
            let b = a - 1;
            for (; b >= 0 && found[b]! > j; b--) found[b + 1] = found[b]!;
            found[b + 1] = j;
        }
        const result = new Array<number>(hits);
        for (let k = 0; k < hits; k++) result[k] = items[found[k]!]!;
        return result;
    };
}`;
