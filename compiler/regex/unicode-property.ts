import type { SetRef } from './char-sets.js';
import type { Cursor } from './cursor.js';

const CATEGORIES = [
  'C', 'Cc', 'Cf', 'Cn', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So',
  'Z', 'Zl', 'Zp', 'Zs',
];

/**
 * Reads `{Name}`, `{^Name}` or a one-letter name after `\p`/`\P` and returns the JS property it
 * means: a general category, `LC` for PCRE's `L&`, `Any`, or a script (`Script=Greek`). PCRE's
 * special `Xan`/`Xps`/`Xsp`/`Xwd`/`Xuc` properties have no JS spelling.
 */
export function readProperty(c: Cursor, start: number, negatedEscape: boolean): SetRef | null {
  let raw: string;
  if (c.peek() === '{') {
    const close = c.source.indexOf('}', c.pos);
    if (close < 0) {
      c.pos = c.source.length;
      c.invalid(start, c.pos, 'missing } after \\p{');
      return null;
    }
    raw = c.source.slice(c.pos + 1, close);
    c.pos = close + 1;
  } else if (/[A-Za-z]/.test(c.peek())) {
    raw = c.peek();
    c.pos++;
  } else {
    c.invalid(start, c.pos, '\\p must be followed by a property name');
    return null;
  }
  let negated = negatedEscape;
  if (raw.startsWith('^')) {
    negated = !negated;
    raw = raw.slice(1);
  }
  const name = raw.replace(/[\s_-]/g, '');
  const lower = name.toLowerCase();
  c.needsUnicode = true;
  if (lower === 'l&' || lower === 'lc') return { kind: 'property', negated, name: 'LC' };
  if (lower === 'any') return { kind: 'property', negated, name: 'Any' };
  const category = CATEGORIES.find((k) => k.toLowerCase() === lower);
  if (category) return { kind: 'property', negated, name: category };
  if (/^x(an|ps|sp|wd|uc)$/.test(lower)) {
    c.untranslatable(start, c.pos, `PCRE special property \\p{${raw}}`);
    return null;
  }
  const script = scriptName(name);
  if (script) return { kind: 'property', negated, name: `Script=${script}` };
  c.invalid(start, c.pos, `unknown Unicode property \\p{${raw}}`);
  return null;
}

/** The spelling of a script name that V8 accepts (PCRE matches names loosely). */
function scriptName(name: string): string | undefined {
  const title = name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
  for (const candidate of [name, title]) {
    if (!/^[A-Za-z]+$/.test(candidate)) continue;
    try {
      new RegExp(`\\p{Script=${candidate}}`, 'u');
      return candidate;
    } catch {
      // Not a script V8 knows under this spelling; try the next.
    }
  }
  return undefined;
}
