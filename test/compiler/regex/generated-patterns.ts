const escapeChar = (c: string): string => (/[\\^$.*+?()[\]{}|/#\s]/.test(c) ? (c === ' ' ? '\\x20' : c === '\t' ? '\\t' : `\\${c}`) : c);

/** Builds a pattern from a slice of a real line, generalising pieces the way rule writers do. */
export function patternFrom(line: string, random: () => number): [string, string] {
  const start = Math.floor(random() * Math.max(1, line.length - 12));
  const slice = line.slice(start, start + 12 + Math.floor(random() * 40));
  const tokens = slice.match(/\d+|[A-Za-z_]+|\s+|./gu) ?? [];
  let out = '';
  const caseless = random() < 0.3;
  for (const tok of tokens) {
    const r = random();
    if (/^\d+$/.test(tok)) out += r < 0.5 ? '\\d+' : r < 0.7 ? `(\\d{1,${tok.length}})` : r < 0.8 ? `${tok}?` : tok;
    else if (/^[A-Za-z_]+$/.test(tok)) {
      const word = caseless && random() < 0.5 ? tok.toUpperCase() : tok;
      out += r < 0.2 ? '(\\w+)' : r < 0.3 ? `(?:${word}|xyz)` : r < 0.4 ? `(?:${word})?` : r < 0.45 ? '.*' : r < 0.5 ? `${word}+` : r < 0.55 ? `[${tok[0]}]${word.slice(1)}` : word;
    } else if (/^\s+$/.test(tok)) out += r < 0.3 ? '\\s+' : r < 0.4 ? ' *' : [...tok].map(escapeChar).join('');
    else out += r < 0.15 ? '.' : r < 0.2 ? `${escapeChar(tok)}{1}` : [...tok].map(escapeChar).join('');
  }
  return [out, caseless ? 'i' : ''];
}
