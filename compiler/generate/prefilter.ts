/**
 * The shared prefilter: which literal each item contributes, and the helper every generated
 * module carries to scan a line for all of them in one pass.
 *
 * Why an Aho–Corasick automaton (see bench/compiler-prefilter.ts for the figures): with many
 * rules on one file, `line.includes(lit)` per item costs one scan per rule, and one combined
 * alternation regex only answers "some literal is here" (it cannot report overlapping hits,
 * so the per-item checks come back on every line that has any hit). The automaton reads each
 * code unit once and reports every item whose literal occurs, whatever the number of rules.
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
    const fold = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c === 0x17f ? 115 : c === 0x212a ? 107 : c);
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
    const width = classByUnit.size + 1;
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
    const withLiteral = count - always.length;
    const seen = new Uint32Array(count);
    let generation = 0;
    return (line: string): readonly number[] => {
        generation = generation === 0xffffffff ? 1 : generation + 1;
        if (generation === 1) seen.fill(0);
        let state = 0;
        let hits = 0;
        for (let i = 0; i < line.length && hits < withLiteral; i++) {
            state = delta[state * width + classOf[line.charCodeAt(i)]!]!;
            for (let k = outStart[state]!, end = outStart[state + 1]!; k < end; k++) {
                const j = outItems[k]!;
                if (seen[j] !== generation) {
                    seen[j] = generation;
                    hits++;
                }
            }
        }
        if (hits === 0) return always;
        const result: number[] = [];
        for (let j = 0; j < count; j++) {
            if (seen[j] === generation || literals[j] === null) result.push(items[j]!);
        }
        return result;
    };
}`;
