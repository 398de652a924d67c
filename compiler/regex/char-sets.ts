/** Inclusive code point ranges, sorted and merged. */
export type Ranges = readonly (readonly [number, number])[];

/** What a PCRE escape, POSIX class or `.` stands for, in a form the emitter can write inside or outside a class. */
export type SetRef =
  | { readonly kind: 'escape'; readonly letter: 'd' | 'D' | 'w' | 'W' }
  | { readonly kind: 'ranges'; readonly ranges: Ranges; readonly negated: boolean }
  | { readonly kind: 'property'; readonly negated: boolean; readonly name: string };

// PCRE's own definitions (no UCP): \s is ASCII white space including VT; \h and \v are Unicode.
export const SPACE: Ranges = [[9, 13], [32, 32]];
export const HORIZONTAL: Ranges = [[9, 9], [32, 32], [0xa0, 0xa0], [0x1680, 0x1680], [0x180e, 0x180e], [0x2000, 0x200a], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]];
export const VERTICAL: Ranges = [[10, 13], [0x85, 0x85], [0x2028, 0x2029]];
export const NEWLINE: Ranges = [[10, 10]];

const POSIX: Readonly<Record<string, Ranges>> = {
  alpha: [[65, 90], [97, 122]],
  digit: [[48, 57]],
  alnum: [[48, 57], [65, 90], [97, 122]],
  upper: [[65, 90]],
  lower: [[97, 122]],
  space: SPACE,
  blank: [[9, 9], [32, 32]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]],
  print: [[32, 126]],
  graph: [[33, 126]],
  cntrl: [[0, 31], [127, 127]],
  xdigit: [[48, 57], [65, 70], [97, 102]],
  word: [[48, 57], [65, 90], [95, 95], [97, 122]],
  ascii: [[0, 127]],
};

/** The ranges of a POSIX class name such as `alpha`, or undefined if PCRE does not know it. */
export function posixClass(name: string): Ranges | undefined {
  return Object.hasOwn(POSIX, name) ? POSIX[name] : undefined;
}

/** The union of the sets, sorted and merged. */
export function union(...sets: Ranges[]): Ranges {
  const all = sets.flat().map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of all) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The complement of sorted, merged ranges within `[0, max]`. */
export function complement(ranges: Ranges, max: number): Ranges {
  const out: [number, number][] = [];
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= max) out.push([next, max]);
  return out;
}

/** A code point written for a JS pattern; `inClass` escapes the class metacharacters instead. */
export function jsChar(cp: number, inClass: boolean): string {
  if (cp >= 0x20 && cp <= 0x7e) {
    const c = String.fromCharCode(cp);
    const special = inClass ? '\\]^-[' : '^$\\.*+?()[]{}|/';
    return special.includes(c) ? `\\${c}` : c;
  }
  if (cp <= 0xff) return `\\x${hex(cp, 2)}`;
  if (cp <= 0xffff) return `\\u${hex(cp, 4)}`;
  return `\\u{${cp.toString(16).toUpperCase()}}`;
}

/** Ranges as class contents, e.g. `\t-\r ` for `\s`. */
export function rangesBody(ranges: Ranges): string {
  return ranges
    .map(([from, to]) => (from === to ? jsChar(from, true) : `${jsChar(from, true)}${to === from + 1 ? '' : '-'}${jsChar(to, true)}`))
    .join('');
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}
