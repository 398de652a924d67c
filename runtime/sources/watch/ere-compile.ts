/**
 * A parsed POSIX ERE (ere-parse.ts) as a JavaScript RegExp, and the literals every match
 * contains, for the prefilter. The RegExp takes no flags: then V8 may finish a match that
 * backtracks too long on its linear-time engine (runtime/engine/linear-regex-fallback.ts).
 *
 * Matching is only ever "does the line match", so POSIX's leftmost-longest rule and
 * JavaScript's leftmost-first one give the same answer. A back reference is kept when its group
 * takes part in every match that reaches it; otherwise grep fails where JavaScript would match
 * the empty string, so such a pattern is refused rather than matched differently.
 */
import { EreError, parseEre, type EreNode } from './ere-parse.js';

/**
 * A pattern ready to run: its RegExp, the literals one of which every match contains (the
 * prefilter's key; null: none known), and strings every match contains, all of them (a cheap
 * check before the regex runs).
 */
export interface CompiledEre {
  readonly regex: RegExp;
  readonly literals: readonly string[] | null;
  readonly required: readonly string[];
}

/** Parses and compiles one pattern; throws EreError. */
export function compileEre(pattern: string): CompiledEre {
  const { node } = parseEre(pattern);
  checkBackrefs(node, pattern);
  const source = emit(node);
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    throw new EreError(`cannot be matched here: ${(error as Error).message}`, 0);
  }
  const required = new Set<string>();
  allRequired(node, required);
  return { regex, literals: bestLiterals(node), required: [...required] };
}

/** Groups that take part in every match of the whole pattern. */
function certainGroups(node: EreNode, into: Set<number>): void {
  switch (node.t) {
    case 'seq':
      for (const item of node.items) certainGroups(item, into);
      return;
    case 'group':
      into.add(node.index);
      certainGroups(node.body, into);
      return;
    case 'repeat':
      if (node.min >= 1) certainGroups(node.body, into);
      return;
    default:
      return;
  }
}

function checkBackrefs(root: EreNode, pattern: string): void {
  const certain = new Set<number>();
  certainGroups(root, certain);
  const visit = (node: EreNode): void => {
    if (node.t === 'backref' && !certain.has(node.index)) {
      const at = pattern.indexOf(`\\${node.index}`);
      throw new EreError(`back reference \\${node.index} to a group that may not take part in the match (grep fails there, JavaScript would not)`, Math.max(0, at));
    }
    if (node.t === 'seq') node.items.forEach(visit);
    else if (node.t === 'alt') node.alts.forEach(visit);
    else if (node.t === 'group' || node.t === 'repeat') visit(node.body);
  };
  visit(root);
}

const hex = (c: number, width: number): string => c.toString(16).padStart(width, '0');

/** One code unit as it stands in a RegExp source (outside or inside a class). */
function unit(c: number): string {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x20 || c === 0x5f) return String.fromCharCode(c);
  return c <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
}

const ASSERTS: Readonly<Record<string, string>> = {
  bol: '^',
  eol: '$',
  word: '\\b',
  notword: '\\B',
  wordstart: '\\b(?=\\w)',
  wordend: '\\b(?<=\\w)',
};

/** A node that a quantifier can follow without a group around it. */
function single(node: EreNode): boolean {
  return node.t === 'char' || node.t === 'any' || node.t === 'set' || node.t === 'group';
}

function emit(node: EreNode): string {
  switch (node.t) {
    case 'char':
      return unit(node.c);
    case 'any':
      return '[^]';
    case 'set': {
      const body = node.ranges.map(([lo, hi]) => (lo === hi ? unit(lo) : `${unit(lo)}-${unit(hi)}`)).join('');
      return `[${node.negated ? '^' : ''}${body}]`;
    }
    case 'seq':
      return node.items.map((item) => (item.t === 'alt' ? `(?:${emit(item)})` : emit(item))).join('');
    case 'alt':
      return node.alts.map(emit).join('|');
    case 'group':
      return `(${emit(node.body)})`;
    case 'repeat': {
      const body = single(node.body) ? emit(node.body) : `(?:${emit(node.body)})`;
      const { min, max } = node;
      const q = max === null ? (min === 0 ? '*' : min === 1 ? '+' : `{${min},}`) : min === 0 && max === 1 ? '?' : min === max ? `{${min}}` : `{${min},${max}}`;
      return body + q;
    }
    case 'assert':
      return ASSERTS[node.kind]!;
    case 'backref':
      // A group, so that a digit after it is not read as part of the number.
      return `(?:\\${node.index})`;
  }
}

/** Most strings a node's exact set may hold, and the most characters each. */
const MAX_EXACT = 16;
const MAX_EXACT_LENGTH = 64;

/** Every string `node` can match when there are few (null: too many, or unbounded). */
function exact(node: EreNode): string[] | null {
  switch (node.t) {
    case 'char':
      return [String.fromCharCode(node.c)];
    case 'assert':
      return [''];
    case 'set': {
      if (node.negated) return null;
      const chars: string[] = [];
      for (const [lo, hi] of node.ranges) {
        if (hi - lo + chars.length >= MAX_EXACT) return null;
        for (let c = lo; c <= hi; c++) chars.push(String.fromCharCode(c));
      }
      return [...new Set(chars)];
    }
    case 'group':
      return exact(node.body);
    case 'seq': {
      let out: string[] = [''];
      for (const item of node.items) {
        const next = exact(item);
        if (next === null) return null;
        out = product(out, next);
        if (out.length === 0) return null;
      }
      return out;
    }
    case 'alt': {
      const all: string[] = [];
      for (const alt of node.alts) {
        const one = exact(alt);
        if (one === null) return null;
        all.push(...one);
      }
      const unique = [...new Set(all)];
      return unique.length <= MAX_EXACT ? unique : null;
    }
    case 'repeat': {
      if (node.max !== node.min || node.min > 8) return null;
      let out: string[] = [''];
      const body = exact(node.body);
      if (body === null) return null;
      for (let k = 0; k < node.min; k++) out = product(out, body);
      return out.length === 0 ? null : out;
    }
    default:
      return null;
  }
}

/** All concatenations, or [] when there would be too many or too long ones. */
function product(a: readonly string[], b: readonly string[]): string[] {
  if (a.length * b.length > MAX_EXACT) return [];
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return out.some((s) => s.length > MAX_EXACT_LENGTH) ? [] : [...new Set(out)];
}

/** Higher is better: the shortest literal's length, then fewer alternatives. */
function score(set: readonly string[]): number {
  return Math.min(...set.map((s) => s.length)) * 64 - set.length;
}

function better(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null || a.some((s) => s === '')) return b;
  if (b === null || b.some((s) => s === '')) return a;
  return score(b) > score(a) ? b : a;
}

/** Literals one of which every match contains, the most selective found; null when none is known. */
function bestLiterals(node: EreNode): string[] | null {
  switch (node.t) {
    case 'group':
      return bestLiterals(node.body);
    case 'repeat':
      return node.min >= 1 ? better(bestLiterals(node.body), exact(node)) : null;
    case 'alt': {
      const all: string[] = [];
      for (const alt of node.alts) {
        const one = bestLiterals(alt);
        if (one === null) return null;
        all.push(...one);
      }
      return [...new Set(all)];
    }
    case 'seq': {
      let best: string[] | null = null;
      // Runs of items whose exact strings are known, concatenated.
      let run: string[] = [''];
      for (const item of node.items) {
        const fixed = exact(item);
        const joined = fixed === null ? [] : product(run, fixed);
        if (joined.length > 0) {
          run = joined;
          continue;
        }
        best = better(best, run);
        best = better(best, bestLiterals(item));
        // An item too wide to join still starts the next run with its own strings.
        run = fixed ?? [''];
      }
      return better(best, run);
    }
    default: {
      const fixed = exact(node);
      return fixed !== null && fixed.every((s) => s !== '') ? fixed : null;
    }
  }
}

/** Shortest string worth an `includes` before the regex. */
const MIN_REQUIRED = 3;

/** Adds the strings every match of `node` contains (runs of single characters, not inside alternatives or optional parts). */
function allRequired(node: EreNode, into: Set<string>): void {
  switch (node.t) {
    case 'group':
      return allRequired(node.body, into);
    case 'repeat':
      if (node.min >= 1) allRequired(node.body, into);
      return;
    case 'seq': {
      let run = '';
      const close = (): void => {
        if (run.length >= MIN_REQUIRED) into.add(run);
        run = '';
      };
      for (const item of node.items) {
        const fixed = exact(item);
        if (fixed !== null && fixed.length === 1) {
          run += fixed[0];
          continue;
        }
        close();
        allRequired(item, into);
      }
      close();
      return;
    }
    default: {
      const fixed = exact(node);
      if (fixed !== null && fixed.length === 1 && fixed[0]!.length >= MIN_REQUIRED) into.add(fixed[0]!);
    }
  }
}
