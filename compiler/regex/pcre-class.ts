import { posixClass, type SetRef } from './char-sets.js';
import type { Cursor } from './cursor.js';
import type { CharClass, ClassItem } from './pcre-ast.js';
import { readEscape, type GroupInfo } from './pcre-escape.js';

/** Reads a bracketed class at `c.pos` (on its `[`): ranges, escapes, POSIX classes and `\Q...\E`. */
export function readCharClass(c: Cursor, known: GroupInfo): CharClass {
  const start = c.pos;
  c.pos++;
  const negated = c.peek() === '^';
  if (negated) c.pos++;
  const items: ClassItem[] = [];
  let first = true;
  for (;;) {
    if (c.done) {
      c.invalid(start, c.pos, 'missing ] at the end of a character class');
      break;
    }
    if (c.peek() === ']' && !first && !c.quoting) {
      c.pos++;
      break;
    }
    first = false;
    const item = classAtom(c, known);
    if (!item) continue;
    if (item.kind === 'char' && c.peek() === '-' && c.peek(1) !== ']' && c.peek(1) !== '' && !c.quoting) {
      const dash = c.pos;
      c.pos++;
      const to = classAtom(c, known);
      if (to?.kind === 'char') {
        if (to.cp < item.cp) c.invalid(item.start, to.end, 'range out of order in character class');
        else items.push({ kind: 'range', from: item.cp, to: to.cp, start: item.start, end: to.end });
        continue;
      }
      if (to) c.invalid(item.start, to.end, 'invalid range in character class');
      items.push(item, { kind: 'char', cp: 0x2d, start: dash, end: dash + 1 });
      continue;
    }
    if (item.kind === 'set' && c.peek() === '-' && c.peek(1) !== ']' && c.peek(1) !== '' && !c.quoting) {
      // Perl reads `[\d-z]` as a literal hyphen with a warning; PCRE refuses it.
      c.invalid(item.start, c.pos + 2, 'invalid range in character class');
    }
    items.push(item);
  }
  return { kind: 'class', negated, items, start, end: c.pos };
}

function classAtom(c: Cursor, known: GroupInfo): ClassItem | null {
  const start = c.pos;
  if (c.quoting) {
    if (c.startsWith('\\E')) {
      c.pos += 2;
      c.quoting = false;
      return null;
    }
    return { kind: 'char', cp: c.nextCodePoint(), start, end: c.pos };
  }
  const posix = /^\[:(\^?)([a-z]+):\]/.exec(c.source.slice(start));
  if (posix) {
    c.pos += posix[0].length;
    const ranges = posixClass(posix[2]!);
    if (!ranges) {
      c.invalid(start, c.pos, `unknown POSIX class name \`${posix[2]}\``);
      return null;
    }
    const set: SetRef = { kind: 'ranges', ranges, negated: posix[1] === '^' };
    return { kind: 'set', set, start, end: c.pos };
  }
  if (/^\[[.=]/.test(c.source.slice(start))) {
    const close = c.source.indexOf(']', start + 2);
    c.pos = close < 0 ? c.source.length : close + 1;
    c.invalid(start, c.pos, 'POSIX collating elements are not supported');
    return null;
  }
  if (c.peek() !== '\\') return { kind: 'char', cp: c.nextCodePoint(), start, end: c.pos };
  const e = readEscape(c, true, known);
  if (e.kind === 'char') return { kind: 'char', cp: e.cp, start, end: c.pos };
  if (e.kind === 'set') return { kind: 'set', set: e.set, start, end: c.pos };
  if (e.kind === 'quote') c.quoting = true;
  else if (e.kind !== 'end-quote' && e.kind !== 'error') c.invalid(start, c.pos, 'this escape is not allowed inside a character class');
  return null;
}
