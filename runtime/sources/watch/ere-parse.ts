/**
 * POSIX extended regular expressions as GNU `grep -E` reads them (logcheck's lists are written
 * for it), parsed into a small tree. The dialect, checked against grep 3.8 (the cases are in
 * test/runtime/sources/watch/ere.test.ts, each compared with grep itself):
 *
 * - `*`, `+`, `?` and an interval with nothing before them to repeat (at the start of the
 *   pattern, of a group or of an alternative) repeat the empty string: grep's matcher drops them
 *   (`*a` is `a`), though glibc's regcomp would read them as characters. After an anchor they
 *   repeat the anchor (`a$*` is `a`).
 * - An interval is `{n}`, `{n,}`, `{,m}` (= `{0,m}`) or `{n,m}`, n ≤ m ≤ 32767. A `{` that does
 *   not begin one (`{x}`, `{1`, `{ 1}`) is literal; `{}` and `{2,1}` are errors.
 * - A `)` with no open group is literal; a `(` never closed is an error.
 * - Quantifiers stack (`a**`, `a+?` is `(a+)?`, never lazy).
 * - `\w \W \s \S` (word and space classes), `\b \B \< \>` (word boundaries), `` \` `` and `\'`
 *   (start and end, here of the line), `\1`..`\9` back references to a group already closed;
 *   a backslash before any other character makes it literal. A trailing backslash is an error.
 * - Bracket expressions: `]` first is literal, `-` first or last is literal, ranges by code
 *   point (an inverted one is an error), `[:class:]`, `[=c=]` and `[.c.]` for one character;
 *   a backslash is literal inside brackets.
 * - `^` and `$` are anchors wherever they stand.
 *
 * Character classes are those of the C locale (ASCII), which is what logcheck's rules are
 * written for; log lines are matched as decoded text (see docs/watch.md).
 */

/** A node of the tree; code units are UTF-16 (patterns are decoded text). */
export type EreNode =
  | { readonly t: 'char'; readonly c: number }
  | { readonly t: 'any' }
  | { readonly t: 'set'; readonly negated: boolean; readonly ranges: readonly (readonly [number, number])[] }
  | { readonly t: 'seq'; readonly items: readonly EreNode[] }
  | { readonly t: 'alt'; readonly alts: readonly EreNode[] }
  | { readonly t: 'group'; readonly index: number; readonly body: EreNode }
  | { readonly t: 'repeat'; readonly body: EreNode; readonly min: number; readonly max: number | null }
  | { readonly t: 'assert'; readonly kind: 'bol' | 'eol' | 'word' | 'notword' | 'wordstart' | 'wordend' }
  | { readonly t: 'backref'; readonly index: number };

/** A pattern grep -E would refuse (or that rulec cannot match exactly); `at` is a 0-based index. */
export class EreError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const EMPTY: EreNode = { t: 'seq', items: [] };
const isEmpty = (node: EreNode): boolean => node === EMPTY || (node.t === 'repeat' && isEmpty(node.body));

/** RE_DUP_MAX of glibc. */
const DUP_MAX = 0x7fff;

type Ranges = [number, number][];
const range = (from: string, to: string): [number, number] => [from.charCodeAt(0), to.charCodeAt(0)];

/** The C locale's classes. */
export const CLASSES: Readonly<Record<string, Ranges>> = {
  alpha: [range('A', 'Z'), range('a', 'z')],
  digit: [range('0', '9')],
  alnum: [range('0', '9'), range('A', 'Z'), range('a', 'z')],
  upper: [range('A', 'Z')],
  lower: [range('a', 'z')],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  print: [[0x20, 0x7e]],
  graph: [[0x21, 0x7e]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  xdigit: [range('0', '9'), range('A', 'F'), range('a', 'f')],
};
const WORD: Ranges = [...CLASSES.alnum!, range('_', '_')];

/** Parses `pattern`; throws EreError at the character grep would complain about. */
export function parseEre(pattern: string): { node: EreNode; groups: number } {
  return new Parser(pattern).parse();
}

class Parser {
  private i = 0;
  private groups = 0;
  private readonly closed = new Set<number>();

  constructor(private readonly p: string) {}

  parse(): { node: EreNode; groups: number } {
    const node = this.alternation(0);
    return { node, groups: this.groups };
  }

  private alternation(depth: number): EreNode {
    const alts = [this.sequence(depth)];
    while (this.p[this.i] === '|') {
      this.i += 1;
      alts.push(this.sequence(depth));
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private sequence(depth: number): EreNode {
    const items: EreNode[] = [];
    for (;;) {
      const c = this.p[this.i];
      if (c === undefined || c === '|' || (c === ')' && depth > 0)) break;
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.intervalAhead())) {
        // With nothing before it, grep repeats the empty string: the quantifier is dropped.
        const repeated = this.quantified(items.pop() ?? EMPTY);
        if (repeated !== EMPTY && !(repeated.t === 'repeat' && isEmpty(repeated))) items.push(repeated);
        continue;
      }
      items.push(this.atom(depth));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  /** Applies every quantifier that follows to `body`. */
  private quantified(body: EreNode): EreNode {
    let node = body;
    for (;;) {
      const c = this.p[this.i];
      if (c === '*') node = { t: 'repeat', body: node, min: 0, max: null };
      else if (c === '+') node = { t: 'repeat', body: node, min: 1, max: null };
      else if (c === '?') node = { t: 'repeat', body: node, min: 0, max: 1 };
      else if (c === '{' && this.intervalAhead()) {
        const { min, max, end } = this.interval();
        node = { t: 'repeat', body: node, min, max };
        this.i = end;
        continue;
      } else return node;
      this.i += 1;
    }
  }

  /** Whether the `{` at the cursor begins an interval (or an invalid one grep reports), not a literal. */
  private intervalAhead(): boolean {
    return this.readInterval(this.i) !== null;
  }

  private interval(): { min: number; max: number | null; end: number } {
    return this.readInterval(this.i)!;
  }

  /**
   * glibc's parse_dup_op: digits, an optional comma and digits, `}`. Anything else in it makes
   * the `{` literal (null); `{}`, `{2,1}` and counts over 32767 are errors.
   */
  private readInterval(open: number): { min: number; max: number | null; end: number } | null {
    const p = this.p;
    const number = (from: number): { value: number; end: number; stop: string | undefined } => {
      let k = from;
      let value = -1;
      for (; k < p.length && p[k] !== '}' && p[k] !== ','; k++) {
        const d = p.charCodeAt(k) - 48;
        value = d < 0 || d > 9 || value === -2 ? -2 : value === -1 ? d : Math.min(DUP_MAX + 1, value * 10 + d);
      }
      return { value: k >= p.length ? -2 : value, end: k, stop: p[k] };
    };
    const first = number(open + 1);
    let min = first.value;
    if (min === -1) {
      if (first.stop === ',') min = 0;
      else throw new EreError('invalid content of \\{\\}', open);
    }
    let max: number;
    let end: number;
    if (min === -2) return null;
    if (first.stop === '}') {
      max = min;
      end = first.end + 1;
    } else {
      const second = number(first.end + 1);
      if (second.value === -2) return null;
      if (second.stop !== '}') return null;
      max = second.value;
      end = second.end + 1;
    }
    if (max !== -1 && min > max) throw new EreError('invalid content of \\{\\}', open);
    if ((max === -1 ? min : max) > DUP_MAX) throw new EreError('regular expression too big (a count over 32767)', open);
    return { min, max: max === -1 ? null : max, end };
  }

  private atom(depth: number): EreNode {
    const p = this.p;
    const at = this.i;
    const c = p[at]!;
    this.i += 1;
    switch (c) {
      case '(': {
        const index = ++this.groups;
        const body = this.alternation(depth + 1);
        if (p[this.i] !== ')') throw new EreError('unmatched ( or \\(', at);
        this.i += 1;
        this.closed.add(index);
        return { t: 'group', index, body };
      }
      case '[':
        return this.bracket(at);
      case '.':
        return { t: 'any' };
      case '^':
        return { t: 'assert', kind: 'bol' };
      case '$':
        return { t: 'assert', kind: 'eol' };
      case '\\':
        return this.escape(at);
      default:
        return { t: 'char', c: c.charCodeAt(0) };
    }
  }

  private escape(at: number): EreNode {
    const c = this.p[this.i];
    if (c === undefined) throw new EreError('trailing backslash', at);
    this.i += 1;
    switch (c) {
      case 'w':
        return { t: 'set', negated: false, ranges: WORD };
      case 'W':
        return { t: 'set', negated: true, ranges: WORD };
      case 's':
        return { t: 'set', negated: false, ranges: CLASSES.space! };
      case 'S':
        return { t: 'set', negated: true, ranges: CLASSES.space! };
      case 'b':
        return { t: 'assert', kind: 'word' };
      case 'B':
        return { t: 'assert', kind: 'notword' };
      case '<':
        return { t: 'assert', kind: 'wordstart' };
      case '>':
        return { t: 'assert', kind: 'wordend' };
      case '`':
        return { t: 'assert', kind: 'bol' };
      case "'":
        return { t: 'assert', kind: 'eol' };
    }
    if (c >= '1' && c <= '9') {
      const index = c.charCodeAt(0) - 48;
      if (!this.closed.has(index)) throw new EreError(`invalid back reference \\${c}: no group ${index} before it`, at);
      return { t: 'backref', index };
    }
    return { t: 'char', c: c.charCodeAt(0) };
  }

  private bracket(open: number): EreNode {
    const p = this.p;
    const unmatched = (): EreError => new EreError('unmatched [, [^, [:, [., or [=', open);
    let negated = false;
    if (p[this.i] === '^') {
      negated = true;
      this.i += 1;
    }
    const ranges: [number, number][] = [];
    let first = true;
    for (;;) {
      if (this.i >= p.length) throw unmatched();
      if (p[this.i] === ']' && !first) {
        this.i += 1;
        break;
      }
      first = false;
      const start = this.bracketElement(unmatched);
      if (start.kind === 'class') {
        if (p[this.i] === '-' && p[this.i + 1] !== ']' && this.i + 1 < p.length) throw new EreError('invalid range end', this.i);
        ranges.push(...start.ranges);
        continue;
      }
      // A range `a-z`; a `-` before the closing `]` is literal.
      if (p[this.i] === '-' && this.i + 1 < p.length && p[this.i + 1] !== ']') {
        const dash = this.i;
        this.i += 1;
        const end = this.bracketElement(unmatched);
        if (end.kind === 'class' || end.c < start.c) throw new EreError('invalid range end', dash);
        ranges.push([start.c, end.c]);
        continue;
      }
      ranges.push([start.c, start.c]);
    }
    return { t: 'set', negated, ranges };
  }

  /** One element of a bracket expression: a character (`[.c.]`, `[=c=]` included) or a class. */
  private bracketElement(unmatched: () => EreError): { kind: 'char'; c: number } | { kind: 'class'; ranges: Ranges } {
    const p = this.p;
    const at = this.i;
    if (p[at] === '[' && (p[at + 1] === ':' || p[at + 1] === '.' || p[at + 1] === '=')) {
      const kind = p[at + 1]!;
      const close = p.indexOf(`${kind}]`, at + 2);
      if (close < 0) throw unmatched();
      const name = p.slice(at + 2, close);
      this.i = close + 2;
      if (kind === ':') {
        const ranges = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
        if (ranges === undefined) throw new EreError(`invalid character class name [:${name}:]`, at);
        return { kind: 'class', ranges };
      }
      if (name.length !== 1) throw new EreError(`invalid collation character [${kind}${name}${kind}]`, at);
      return { kind: 'char', c: name.charCodeAt(0) };
    }
    this.i += 1;
    return { kind: 'char', c: p.charCodeAt(at) };
  }
}
