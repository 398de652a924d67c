/**
 * A parsed POSIX ERE (ere-parse.ts) as a JavaScript RegExp, and the literals every match
 * contains, for the prefilter. The RegExp takes no flags: then V8 may finish a match that
 * backtracks too long on its linear-time engine (runtime/engine/linear-regex-fallback.ts). A
 * pattern with a back reference cannot go there, so it is marked to run under the per-line
 * deadline (runtime/engine/regex-deadline.ts).
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
  /** Outside V8's linear-time engine (a back reference): run under the per-line deadline. */
  readonly deadline: boolean;
  /**
   * For a `deadline` pattern: a regex V8's linear-time engine can take that matches every line
   * the pattern matches (each back reference stands for its group's pattern), tried first so
   * that only the lines it matches run under the deadline. Null when there is none.
   */
  readonly screen: RegExp | null;
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
  const deadline = hasBackref(node);
  return { regex, literals: bestLiterals(node), required: [...required], deadline, screen: deadline ? screenOf(node) : null };
}

/** See `CompiledEre.screen`; null when the pattern has a lookaround (`\<`, `\>`), which keeps any regex off the linear engine. */
function screenOf(root: EreNode): RegExp | null {
  const groups = new Map<number, EreNode>();
  let lookaround = false;
  const visit = (node: EreNode): void => {
    if (node.t === 'group') groups.set(node.index, node.body);
    if (node.t === 'assert' && (node.kind === 'wordstart' || node.kind === 'wordend')) lookaround = true;
    if (node.t === 'seq') node.items.forEach(visit);
    else if (node.t === 'alt') node.alts.forEach(visit);
    else if (node.t === 'group' || node.t === 'repeat') visit(node.body);
  };
  visit(root);
  return lookaround ? null : new RegExp(emit(root, groups));
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

function hasBackref(node: EreNode): boolean {
  switch (node.t) {
    case 'backref':
      return true;
    case 'seq':
      return node.items.some(hasBackref);
    case 'alt':
      return node.alts.some(hasBackref);
    case 'group':
    case 'repeat':
      return hasBackref(node.body);
    default:
      return false;
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

/**
 * The RegExp source of `node`. With `groups`, a back reference is written as its group's
 * pattern rather than its text: a regex that matches every line the pattern matches, and more,
 * but that V8's linear-time engine can take (`screen`).
 */
function emit(node: EreNode, groups?: ReadonlyMap<number, EreNode>): string {
  const emit1 = (child: EreNode): string => emit(child, groups);
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
      return node.items.map((item) => (item.t === 'alt' ? `(?:${emit1(item)})` : emit1(item))).join('');
    case 'alt':
      return node.alts.map(emit1).join('|');
    case 'group':
      return `(${emit1(node.body)})`;
    case 'repeat': {
      const body = single(node.body) ? emit1(node.body) : `(?:${emit1(node.body)})`;
      const { min, max } = node;
      const q = max === null ? (min === 0 ? '*' : min === 1 ? '+' : `{${min},}`) : min === 0 && max === 1 ? '?' : min === max ? `{${min}}` : `{${min},${max}}`;
      return body + q;
    }
    case 'assert':
      return ASSERTS[node.kind]!;
    case 'backref': {
      const group = groups?.get(node.index);
      // A group, so that a digit after it is not read as part of the number.
      return group === undefined ? `(?:\\${node.index})` : `(?:${emit1(group)})`;
    }
  }
}

/** Most strings a node's exact set may hold, and the most characters each. */
const MAX_EXACT = 16;
const MAX_EXACT_LENGTH = 64;

/** Every string `node` can match when there are few (null: too many, or unbounded). */
function exact(node: EreNode): string[] | null {
  // The literal analyses ask about the same nodes over and over: each is worked out once.
  let known = exactOf.get(node);
  if (known === undefined) exactOf.set(node, (known = exactNow(node)));
  return known;
}

const exactOf = new WeakMap<EreNode, string[] | null>();

function exactNow(node: EreNode): string[] | null {
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
      // Most sequences hold an item that is not exact: find out before building any string.
      if (node.items.some((item) => exact(item) === null)) return null;
      let out: string[] = [''];
      for (const item of node.items) {
        out = product(out, exact(item)!);
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
      const body = exact(node.body);
      if (body === null) return null;
      // `x?`: x or nothing.
      if (node.min === 0 && node.max === 1) return body.includes('') ? body : [...body, ''];
      if (node.max !== node.min || node.min > 8) return null;
      let out: string[] = [''];
      for (let k = 0; k < node.min; k++) out = product(out, body);
      return out.length === 0 ? null : out;
    }
    default:
      return null;
  }
}

/** All concatenations, or [] when there would be too many or too long ones. */
function product(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 1 && b.length === 1) {
    const joined = a[0]! + b[0]!;
    return joined.length > MAX_EXACT_LENGTH ? [] : [joined];
  }
  if (a.length * b.length > MAX_EXACT) return [];
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return out.some((s) => s.length > MAX_EXACT_LENGTH) ? [] : [...new Set(out)];
}

/**
 * A key's shortest string at which it is selective enough that fewer strings count for more
 * than more length: each string of a key is an entry of the prefilter's index, and a shorter
 * key slows its scan for every line (runtime/prefilter/gram-index.ts).
 */
const LONG_ENOUGH = 10;

/** Higher is better: the shortest literal's length up to LONG_ENOUGH, then fewer alternatives, then length. */
function score(set: readonly string[]): number {
  const shortest = Math.min(...set.map((s) => s.length));
  return Math.min(shortest, LONG_ENOUGH) * 64 * 256 - set.length * 256 + Math.min(shortest, 255);
}

function better(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null || a.length === 0 || a.some((s) => s === '')) return b;
  if (b === null || b.length === 0 || b.some((s) => s === '')) return a;
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
      // Runs of items whose exact strings are known, concatenated. A run shorter than
      // LONG_ENOUGH also tries the strings the item before it ends with and those the item
      // after it starts with (` ovpn-` rather than `ovpn-` in ` (openvpn|ovpn-[a-z]+)`).
      let run: string[] = [''];
      let lead: string[] | null = null;
      const close = (next: EreNode | null): void => {
        best = better(best, run);
        if (run.every((text) => text.length >= LONG_ENOUGH)) return;
        const starts = next === null ? null : ends(next, 'start');
        const led = lead === null ? null : product(lead, run);
        best = better(best, led);
        if (starts !== null) {
          best = better(best, product(run, starts));
          if (led !== null && led.length > 0) best = better(best, product(led, starts));
        }
      };
      for (const item of node.items) {
        const fixed = exact(item);
        const joined = fixed === null ? [] : product(run, fixed);
        if (joined.length > 0) {
          run = joined;
          continue;
        }
        close(item);
        best = better(best, bestLiterals(item));
        // An item too wide to join still starts the next run with its own strings.
        run = fixed ?? [''];
        lead = fixed === null ? ends(item, 'end') : null;
      }
      close(null);
      return best;
    }
    default: {
      const fixed = exact(node);
      return fixed !== null && fixed.every((s) => s !== '') ? fixed : null;
    }
  }
}

/**
 * Strings one of which every match of `node` starts with (`side` 'start') or ends with ('end'),
 * at most `room` of them; null when none is known. Extends a literal run across an item that
 * is not exact, so the run's key gets longer.
 */
function ends(node: EreNode, side: 'start' | 'end', room = MAX_EXACT): string[] | null {
  const fixed = exact(node);
  if (fixed !== null && fixed.length <= room) return fixed;
  switch (node.t) {
    case 'group':
      return ends(node.body, side, room);
    case 'repeat':
      return node.min >= 1 ? ends(node.body, side, room) : null;
    case 'alt': {
      // Each alternative gets its share, so that the union stays within `room`.
      const share = Math.floor(room / node.alts.length);
      if (share === 0) return null;
      const all: string[] = [];
      for (const alt of node.alts) {
        const one = ends(alt, side, share);
        if (one === null || one.includes('')) return null;
        all.push(...one);
      }
      return [...new Set(all)];
    }
    case 'seq': {
      const items = side === 'start' ? node.items : [...node.items].reverse();
      const join = (a: readonly string[], b: readonly string[]): string[] => (side === 'start' ? product(a, b) : product(b, a));
      let out: string[] = [''];
      for (const item of items) {
        const whole = exact(item);
        const joined = whole === null ? [] : join(out, whole);
        if (joined.length > 0 && joined.length <= room) {
          out = joined;
          continue;
        }
        // The item is where the known part ends: what it starts (or ends) with, if that fits.
        const part = ends(item, side, Math.max(1, Math.floor(room / out.length)));
        const extended = part === null ? [] : join(out, part);
        if (extended.length > 0 && extended.length <= room) out = extended;
        break;
      }
      return out.includes('') ? null : out;
    }
    default:
      return null;
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
