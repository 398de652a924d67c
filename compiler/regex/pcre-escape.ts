import { HORIZONTAL, NEWLINE, SPACE, VERTICAL, type SetRef } from './char-sets.js';
import type { Cursor } from './cursor.js';
import { readProperty } from './unicode-property.js';

/** What a backslash sequence means, before the caller decides whether it is allowed where it stands. */
export type Escape =
  | { readonly kind: 'char'; readonly cp: number }
  | { readonly kind: 'set'; readonly set: SetRef }
  | { readonly kind: 'assert'; readonly which: 'abs-start' | 'abs-end' | 'end-or-newline' | 'word' | 'not-word' }
  | { readonly kind: 'backref'; readonly ref: number | string; readonly relative: boolean }
  | { readonly kind: 'newline-sequence' }
  | { readonly kind: 'quote' }
  | { readonly kind: 'end-quote' }
  | { readonly kind: 'error' };

/** The groups known after a first pass, so `\10` can be told from octal `\010` the way PCRE does. */
export interface GroupInfo {
  readonly total: number;
}

const SIMPLE: Readonly<Record<string, number>> = { a: 7, e: 27, f: 12, n: 10, r: 13, t: 9 };

const UNTRANSLATABLE: Readonly<Record<string, string>> = {
  G: '\\G (match start anchor)',
  K: '\\K (reset match start)',
  X: '\\X (extended grapheme cluster)',
  C: '\\C (single code unit)',
};

/**
 * Reads the escape whose backslash is at `c.pos` and leaves the cursor after it. Problems are
 * recorded on the cursor; the result is `error` when nothing usable was read.
 */
export function readEscape(c: Cursor, inClass: boolean, groups: GroupInfo): Escape {
  const start = c.pos;
  c.pos++;
  if (c.done) {
    c.invalid(start, c.pos, 'a backslash cannot end the pattern');
    return { kind: 'error' };
  }
  const ch = c.peek();
  if (!/[A-Za-z0-9]/.test(ch)) return { kind: 'char', cp: c.nextCodePoint() };
  c.pos++;
  const simple = SIMPLE[ch];
  if (simple !== undefined) return { kind: 'char', cp: simple };
  const notInClass = (what: string): Escape => {
    c.invalid(start, c.pos, `${what} is not allowed inside a character class`);
    return { kind: 'error' };
  };
  switch (ch) {
    case 'd': case 'D': case 'w': case 'W':
      return { kind: 'set', set: { kind: 'escape', letter: ch } };
    case 's': case 'S':
      return { kind: 'set', set: { kind: 'ranges', ranges: SPACE, negated: ch === 'S' } };
    case 'h': case 'H':
      return { kind: 'set', set: { kind: 'ranges', ranges: HORIZONTAL, negated: ch === 'H' } };
    case 'v': case 'V':
      return { kind: 'set', set: { kind: 'ranges', ranges: VERTICAL, negated: ch === 'V' } };
    case 'N':
      if (inClass) return notInClass('\\N');
      if (c.peek() === '{') {
        const close = c.source.indexOf('}', c.pos);
        c.pos = close < 0 ? c.source.length : close + 1;
        c.untranslatable(start, c.pos, '\\N{...} (named character)');
        return { kind: 'error' };
      }
      return { kind: 'set', set: { kind: 'ranges', ranges: NEWLINE, negated: true } };
    case 'R':
      return inClass ? notInClass('\\R') : { kind: 'newline-sequence' };
    case 'b':
      return inClass ? { kind: 'char', cp: 8 } : { kind: 'assert', which: 'word' };
    case 'B':
      return inClass ? notInClass('\\B') : { kind: 'assert', which: 'not-word' };
    case 'A':
      return inClass ? notInClass('\\A') : { kind: 'assert', which: 'abs-start' };
    case 'z':
      return inClass ? notInClass('\\z') : { kind: 'assert', which: 'abs-end' };
    case 'Z':
      return inClass ? notInClass('\\Z') : { kind: 'assert', which: 'end-or-newline' };
    case 'Q':
      return { kind: 'quote' };
    case 'E':
      return { kind: 'end-quote' };
    case 'x':
      return readHex(c, start);
    case 'o':
      return readBracedOctal(c, start);
    case 'c': {
      const target = c.peek();
      if (target === '' || target.charCodeAt(0) > 126 || target.charCodeAt(0) < 32) {
        c.invalid(start, c.pos, '\\c must be followed by a printable ASCII character');
        return { kind: 'error' };
      }
      c.pos++;
      return { kind: 'char', cp: target.toUpperCase().charCodeAt(0) ^ 0x40 };
    }
    case 'p': case 'P': {
      const set = readProperty(c, start, ch === 'P');
      return set ? { kind: 'set', set } : { kind: 'error' };
    }
    case 'g':
      return inClass ? notInClass('\\g') : readG(c, start);
    case 'k':
      return inClass ? notInClass('\\k') : readK(c, start);
    case '0':
      return { kind: 'char', cp: readOctalDigits(c, 2, 0) };
    default:
      break;
  }
  if (ch >= '1' && ch <= '9') {
    c.pos--;
    return readDigits(c, start, inClass, groups);
  }
  const feature = UNTRANSLATABLE[ch];
  if (feature !== undefined) {
    if (inClass) return notInClass(`\\${ch}`);
    c.untranslatable(start, c.pos, feature);
    return { kind: 'error' };
  }
  c.invalid(start, c.pos, `unrecognized escape \\${ch}`);
  return { kind: 'error' };
}

function readHex(c: Cursor, start: number): Escape {
  if (c.peek() === '{') {
    const m = /^\{\s*([0-9A-Fa-f]+)\s*\}/.exec(c.source.slice(c.pos));
    if (!m) {
      const close = c.source.indexOf('}', c.pos);
      c.pos = close < 0 ? c.source.length : close + 1;
      c.invalid(start, c.pos, '\\x{...} needs hexadecimal digits and a closing brace');
      return { kind: 'error' };
    }
    c.pos += m[0].length;
    const cp = parseInt(m[1]!, 16);
    if (cp > 0x10ffff) {
      c.invalid(start, c.pos, 'character code point is greater than 0x10FFFF');
      return { kind: 'error' };
    }
    if (cp > 0xffff) c.needsUnicode = true;
    return { kind: 'char', cp };
  }
  const m = /^[0-9A-Fa-f]{0,2}/.exec(c.source.slice(c.pos))!;
  c.pos += m[0].length;
  return { kind: 'char', cp: m[0] === '' ? 0 : parseInt(m[0], 16) };
}

function readBracedOctal(c: Cursor, start: number): Escape {
  const m = /^\{([0-7]+)\}/.exec(c.source.slice(c.pos));
  if (!m) {
    c.invalid(start, c.pos, '\\o must be followed by {octal digits}');
    return { kind: 'error' };
  }
  c.pos += m[0].length;
  const cp = parseInt(m[1]!, 8);
  if (cp > 0x10ffff) {
    c.invalid(start, c.pos, 'character code point is greater than 0x10FFFF');
    return { kind: 'error' };
  }
  if (cp > 0xffff) c.needsUnicode = true;
  return { kind: 'char', cp };
}

/** Up to `max` more octal digits after an already-read value. */
function readOctalDigits(c: Cursor, max: number, value: number): number {
  let v = value;
  for (let i = 0; i < max && /[0-7]/.test(c.peek()); i++) v = v * 8 + Number(c.source[c.pos++]);
  return v;
}

/** `\1`..`\9` are back references; `\10` and up are too when that many groups exist, otherwise octal. */
function readDigits(c: Cursor, start: number, inClass: boolean, groups: GroupInfo): Escape {
  const digits = /^\d+/.exec(c.source.slice(c.pos))![0];
  const n = Number(digits);
  const first = digits[0]!;
  if (!inClass && (n < 10 || first === '8' || first === '9' || n <= groups.total)) {
    c.pos += digits.length;
    return { kind: 'backref', ref: n, relative: false };
  }
  if (first === '8' || first === '9') {
    c.pos++;
    c.invalid(start, c.pos, `\\${first} is not an octal escape`);
    return { kind: 'error' };
  }
  return { kind: 'char', cp: readOctalDigits(c, 3, 0) };
}

function readG(c: Cursor, start: number): Escape {
  const rest = c.source.slice(c.pos);
  const braced = /^\{\s*([+-]?\d+|[A-Za-z_]\w*)\s*\}/.exec(rest);
  const bare = /^[+-]?\d+/.exec(rest);
  if (braced || bare) {
    const text = braced ? braced[1]! : bare![0];
    c.pos += (braced ?? bare)![0].length;
    if (/^[+-]?\d+$/.test(text)) return { kind: 'backref', ref: Number(text), relative: /^[+-]/.test(text) };
    return { kind: 'backref', ref: text, relative: false };
  }
  if (rest.startsWith('<') || rest.startsWith("'")) {
    const close = c.source.indexOf(rest.startsWith('<') ? '>' : "'", c.pos + 1);
    c.pos = close < 0 ? c.source.length : close + 1;
    c.untranslatable(start, c.pos, 'subroutine call \\g<...>');
    return { kind: 'error' };
  }
  c.invalid(start, c.pos, '\\g must be followed by a group number or name');
  return { kind: 'error' };
}

function readK(c: Cursor, start: number): Escape {
  const m = /^(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)'|\{([A-Za-z_]\w*)\})/.exec(c.source.slice(c.pos));
  if (!m) {
    c.invalid(start, c.pos, '\\k must be followed by a group name in <>, \'\' or {}');
    return { kind: 'error' };
  }
  c.pos += m[0].length;
  return { kind: 'backref', ref: (m[1] ?? m[2] ?? m[3])!, relative: false };
}
