import type { Problem } from '../problem.js';
import { Cursor } from './cursor.js';
import type { Alternation, Group, Node } from './pcre-ast.js';
import { readCharClass } from './pcre-class.js';
import { matchingParen, quantifierAt } from './pcre-syntax.js';
import { readEscape, type GroupInfo } from './pcre-escape.js';

/** Options that PCRE scopes to the rest of the enclosing group. */
export interface ScopedOptions {
  dotAll: boolean;
  extended: boolean;
  caseless: boolean;
}

/** The parse of one pattern: its tree, groups in PCRE numbering, and what went wrong. */
export interface ParsedPattern {
  readonly ast: Alternation;
  readonly groupCount: number;
  /** Names by group number (index 0 unused). */
  readonly names: readonly (string | null)[];
  readonly needsUnicode: boolean;
  /** Where an inline option inside the pattern turns `i` on or off (translate.ts may refuse them). */
  readonly caseSwitches: readonly { readonly start: number; readonly end: number }[];
  readonly problems: readonly Problem[];
}

const MAX_DEPTH = 200;

const UNTRANSLATABLE_OPTIONS: Readonly<Record<string, string>> = {
  J: 'inline option (?J) (duplicate group names)',
  U: 'inline option (?U) (ungreedy)',
  X: 'inline option (?X)',
  n: 'inline option (?n) (no auto capture)',
};

/**
 * Parses PCRE syntax from `start` on. Two passes: the first numbers and names the groups, so the
 * second can resolve forward and relative references and tell `\10` from an octal escape.
 */
export function parsePcre(source: string, start: number, options: ScopedOptions): ParsedPattern {
  const first = new PcreParser(source, start, options, { total: 0, names: new Map() });
  first.run();
  const second = new PcreParser(source, start, options, { total: first.groupCount, names: first.nameMap });
  const ast = second.run();
  return {
    ast,
    groupCount: second.groupCount,
    names: second.names,
    needsUnicode: second.c.needsUnicode,
    caseSwitches: second.caseSwitches,
    problems: second.c.problems,
  };
}

interface KnownGroups extends GroupInfo {
  readonly names: ReadonlyMap<string, number>;
}

class PcreParser {
  readonly c: Cursor;
  groupCount = 0;
  readonly names: (string | null)[] = [null];
  readonly nameMap = new Map<string, number>();
  readonly caseSwitches: { start: number; end: number }[] = [];
  private opts: ScopedOptions;
  private depth = 0;
  /** Set once nesting went too deep; the enclosing groups then stay quiet about their `)`. */
  private aborted = false;

  constructor(source: string, start: number, options: ScopedOptions, private readonly known: KnownGroups) {
    this.c = new Cursor(source);
    this.c.pos = start;
    this.opts = { ...options };
  }

  run(): Alternation {
    const ast = this.alternation(this.c.pos);
    while (!this.c.done) {
      // Only an unmatched `)` stops the top level early.
      this.c.invalid(this.c.pos, this.c.pos + 1, 'unmatched closing parenthesis');
      this.c.pos++;
      const more = this.alternation(this.c.pos);
      (ast.branches as Node[][]).push(...(more.branches as Node[][]));
    }
    return { ...ast, end: this.c.source.length };
  }

  private alternation(start: number): Alternation {
    const branches: Node[][] = [this.sequence()];
    while (this.c.peek() === '|' && !this.c.quoting) {
      this.c.pos++;
      branches.push(this.sequence());
    }
    return { kind: 'alt', branches, start, end: this.c.pos };
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    for (;;) {
      this.skipExtended();
      if (this.c.done) return items;
      const ch = this.c.peek();
      if (!this.c.quoting && (ch === '|' || ch === ')')) return items;
      const atom = this.atom();
      if (atom) items.push(this.quantified(this.opts.caseless ? withCaseless(atom) : atom));
    }
  }

  /** Skips white space and `#` comments under the `x` option. */
  private skipExtended(): void {
    if (!this.opts.extended || this.c.quoting) return;
    for (;;) {
      const ch = this.c.peek();
      if (ch !== '' && ' \t\n\r\f\v'.includes(ch)) this.c.pos++;
      else if (ch === '#') {
        const nl = this.c.source.indexOf('\n', this.c.pos);
        this.c.pos = nl < 0 ? this.c.source.length : nl + 1;
      } else return;
    }
  }

  /** One atom, or null for something that produces nothing (a comment, an option setting, an error). */
  private atom(): Node | null {
    const c = this.c;
    const start = c.pos;
    if (this.c.quoting) {
      if (c.startsWith('\\E')) {
        c.pos += 2;
        this.c.quoting = false;
        return null;
      }
      return { kind: 'char', cp: c.nextCodePoint(), start, end: c.pos };
    }
    const ch = c.peek();
    switch (ch) {
      case '(':
        return this.group();
      case '[':
        return readCharClass(this.c, this.known);
      case '.':
        c.pos++;
        return this.opts.dotAll
          ? { kind: 'set', set: { kind: 'ranges', ranges: [], negated: true }, dotAll: true, start, end: c.pos }
          : { kind: 'set', set: { kind: 'ranges', ranges: [[10, 10]], negated: true }, start, end: c.pos };
      case '^':
      case '$':
        c.pos++;
        return { kind: 'assert', which: ch === '^' ? 'start' : 'end', start, end: c.pos };
      case '*':
      case '+':
      case '?':
        c.pos++;
        c.invalid(start, c.pos, `quantifier \`${ch}\` does not follow a repeatable item`);
        return null;
      case '{':
        const q = quantifierAt(c.source, c.pos);
        if (q) {
          c.pos += q.length;
          c.invalid(start, c.pos, `quantifier \`${q.text}\` does not follow a repeatable item`);
          return null;
        }
        c.pos++;
        return { kind: 'char', cp: 0x7b, start, end: c.pos };
      case '\\':
        return this.escape();
      default:
        return { kind: 'char', cp: c.nextCodePoint(), start, end: c.pos };
    }
  }

  private escape(): Node | null {
    const start = this.c.pos;
    const e = readEscape(this.c, false, this.known);
    const end = this.c.pos;
    switch (e.kind) {
      case 'char':
        return { kind: 'char', cp: e.cp, start, end };
      case 'set':
        return { kind: 'set', set: e.set, start, end };
      case 'assert':
        return { kind: 'assert', which: e.which, start, end };
      case 'newline-sequence':
        return { kind: 'raw', js: '(?:\\r\\n|[\\n-\\r\\x85\\u2028\\u2029])', start, end };
      case 'quote':
        this.c.quoting = true;
        return null;
      case 'end-quote':
      case 'error':
        return null;
      case 'backref':
        return this.backref(e.ref, e.relative, start, end);
    }
  }

  private backref(ref: number | string, relative: boolean, start: number, end: number): Node | null {
    let index: number | undefined;
    let name: string | null = null;
    if (typeof ref === 'string') {
      index = this.known.names.get(ref);
      name = ref;
      if (index === undefined) {
        this.c.invalid(start, end, `reference to a group named \`${ref}\` that does not exist`);
        return null;
      }
    } else if (relative) {
      index = ref < 0 ? this.groupCount + 1 + ref : this.groupCount + ref;
    } else {
      index = ref;
    }
    if (index < 1 || index > this.known.total) {
      if (this.known.total > 0 || index < 1) this.c.invalid(start, end, `reference to group ${index} that does not exist`);
      else this.c.invalid(start, end, `reference to group ${index}, but the pattern has no groups`);
      return null;
    }
    return { kind: 'backref', index, name, start, end };
  }

  private quantified(atom: Node): Node {
    const c = this.c;
    if (this.c.quoting) {
      // PCRE applies a quantifier after `\E` to the last quoted character.
      if (!c.startsWith('\\E')) return atom;
      c.pos += 2;
      this.c.quoting = false;
    }
    const save = c.pos;
    this.skipExtended();
    const quantStart = c.pos;
    const q = quantifierAt(c.source, c.pos);
    if (!q) {
      c.pos = save;
      return atom;
    }
    c.pos += q.length;
    let lazy = false;
    if (c.peek() === '?') {
      lazy = true;
      c.pos++;
    } else if (c.peek() === '+') {
      c.pos++;
      c.untranslatable(quantStart, c.pos, `possessive quantifier \`${c.source.slice(quantStart, c.pos)}\``);
    }
    if (q.min > q.max) c.invalid(quantStart, c.pos, `numbers out of order in \`${q.text}\``);
    if (q.max !== Infinity && q.max > 65535) c.invalid(quantStart, c.pos, `number too big in \`${q.text}\``);
    if (atom.kind === 'assert' || (atom.kind === 'group' && atom.look !== null)) {
      c.untranslatable(quantStart, c.pos, 'a quantifier on an assertion');
      return atom;
    }
    const next = this.c.peek();
    if (next === '*' || next === '+' || next === '?' || (next === '{' && quantifierAt(c.source, c.pos))) {
      c.invalid(c.pos, c.pos + 1, 'a quantifier cannot follow another quantifier');
    }
    return { kind: 'quant', min: q.min, max: q.max, lazy, body: atom, quantStart, start: atom.start, end: c.pos };
  }

  private group(): Node | null {
    const c = this.c;
    const start = c.pos;
    const rest = c.source.slice(start);
    const enclose = (index: number | null, name: string | null, look: Group['look'], headLength: number): Group => {
      c.pos = start + headLength;
      if (this.depth >= MAX_DEPTH) {
        // Every later stage recurses over the tree; a bound keeps hostile input from overflowing the stack.
        c.invalid(start, c.source.length, `groups nested more than ${MAX_DEPTH} deep`);
        c.pos = c.source.length;
        this.aborted = true;
        return { kind: 'group', index, name, look, body: { kind: 'alt', branches: [[]], start: c.pos, end: c.pos }, bodyStart: c.pos, start, end: c.pos };
      }
      const saved = { ...this.opts };
      this.depth++;
      const body = this.alternation(c.pos);
      this.depth--;
      this.opts = saved;
      if (c.peek() === ')') c.pos++;
      else if (!this.aborted) c.invalid(start, c.pos, 'missing closing parenthesis');
      return { kind: 'group', index, name, look, body, bodyStart: start + headLength, start, end: c.pos };
    };
    const skipTo = (close: number, feature: string): null => {
      c.pos = close < 0 ? c.source.length : close + 1;
      c.untranslatable(start, c.pos, feature);
      return null;
    };

    if (rest.startsWith('(*')) return skipTo(c.source.indexOf(')', start), 'backtracking control verb or option (*...)');
    if (!rest.startsWith('(?')) {
      const index = ++this.groupCount;
      this.names.push(null);
      return enclose(index, null, null, 1);
    }
    const named = /^\(\?(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest);
    if (named) {
      const name = (named[1] ?? named[2])!;
      const index = ++this.groupCount;
      this.names.push(name);
      if (this.nameMap.has(name)) c.invalid(start, start + named[0].length, `two groups are named \`${name}\``);
      else this.nameMap.set(name, index);
      return enclose(index, name, null, named[0].length);
    }
    const head = rest.slice(2, 4);
    if (rest.startsWith('(?#')) {
      const close = c.source.indexOf(')', start);
      if (close < 0) {
        c.pos = c.source.length;
        c.invalid(start, c.pos, 'missing ) after a (?# comment');
      } else c.pos = close + 1;
      return null;
    }
    if (head.startsWith(':')) return enclose(null, null, null, 3);
    if (head.startsWith('=')) return enclose(null, null, 'ahead', 3);
    if (head.startsWith('!')) return enclose(null, null, 'not-ahead', 3);
    if (head === '<=') return enclose(null, null, 'behind', 4);
    if (head === '<!') return enclose(null, null, 'not-behind', 4);
    if (head.startsWith('>') || head.startsWith('|')) {
      c.untranslatable(start, start + 3, head.startsWith('>') ? 'atomic group (?>...)' : 'branch reset group (?|...)');
      return enclose(null, null, null, 3);
    }
    if (head.startsWith('(')) {
      const condEnd = matchingParen(c.source, start + 2);
      c.untranslatable(start, condEnd, 'conditional group (?(...)...)');
      // Parsed only to report what else is wrong inside.
      enclose(null, null, null, condEnd - start);
      return null;
    }
    const recursion = /^\(\?(?:R|[+-]?\d+|&[A-Za-z_]\w*|P>[A-Za-z_]\w*)\)/.exec(rest);
    if (recursion) return skipTo(start + recursion[0].length - 1, `recursion or subroutine call ${recursion[0]}`);
    const namedRef = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
    if (namedRef) {
      c.pos = start + namedRef[0].length;
      return this.backref(namedRef[1]!, false, start, c.pos);
    }
    if (head.startsWith('C')) return skipTo(c.source.indexOf(')', start), 'callout (?C...)');
    const option = /^\(\?([A-Za-z^]*)(?:-([A-Za-z]*))?([:)])/.exec(rest);
    if (option) return this.optionGroup(start, option[1]!, option[2] ?? '', option[3] === ':', option[0].length, enclose);
    c.pos = start + 2;
    c.invalid(start, c.pos, 'unrecognized character after (?');
    return null;
  }

  /** `(?s)`, `(?x-s:...)` and the like inside the pattern: `s`, `x` and `i` apply to the atoms they cover, `m` changes nothing. */
  private optionGroup(start: number, on: string, off: string, scoped: boolean, length: number, enclose: (i: null, n: null, l: null, h: number) => Group): Node | null {
    const c = this.c;
    const spanEnd = start + length;
    const next = { ...this.opts };
    let ok = true;
    for (const [letters, value] of [[on, true], [off, false]] as const) {
      for (const letter of letters) {
        if (letter === 's') next.dotAll = value;
        // A line holds no newline: `^` and `$` mean the same with or without `m`.
        else if (letter === 'm') continue;
        else if (letter === 'x') next.extended = value;
        else if (letter === 'i') {
          next.caseless = value;
          this.caseSwitches.push({ start, end: spanEnd });
        } else if (UNTRANSLATABLE_OPTIONS[letter] !== undefined || letter === '^') {
          ok = false;
          c.untranslatable(start, spanEnd, UNTRANSLATABLE_OPTIONS[letter] ?? 'inline option (?^)');
        } else {
          ok = false;
          c.invalid(start, spanEnd, `unknown inline option \`${letter}\``);
        }
      }
    }
    if (!scoped) {
      c.pos = spanEnd;
      if (ok) this.opts = next;
      return null;
    }
    const saved = this.opts;
    this.opts = next;
    const group = enclose(null, null, null, length);
    this.opts = saved;
    return group;
  }
}

/** Marks an atom that matches characters as matching them regardless of case. */
function withCaseless(atom: Node): Node {
  return atom.kind === 'char' || atom.kind === 'class' || atom.kind === 'set' ? { ...atom, caseless: true } : atom;
}
