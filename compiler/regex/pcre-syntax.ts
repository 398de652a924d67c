/** A quantifier `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` or `{,m}` at `pos`, or undefined (then `{` is literal). */
export function quantifierAt(source: string, pos: number): { min: number; max: number; length: number; text: string } | undefined {
  const ch = source[pos];
  if (ch === '*') return { min: 0, max: Infinity, length: 1, text: ch };
  if (ch === '+') return { min: 1, max: Infinity, length: 1, text: ch };
  if (ch === '?') return { min: 0, max: 1, length: 1, text: ch };
  if (ch !== '{') return undefined;
  const m = /^\{(\d*)(,?)(\d*)\}/.exec(source.slice(pos, pos + 24));
  if (!m || (m[1] === '' && m[3] === '') || (m[1] === '' && m[2] === '')) return undefined;
  const min = m[1] === '' ? 0 : Number(m[1]);
  const max = m[2] === '' ? min : m[3] === '' ? Infinity : Number(m[3]);
  return { min, max, length: m[0].length, text: m[0] };
}

/** The index just after the `)` closing the parenthesis at `open`, skipping escapes and classes. */
export function matchingParen(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return source.length;
}
