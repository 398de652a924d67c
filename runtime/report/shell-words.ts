/**
 * Splits a setting's value into words as a shell would, without expanding anything: blanks
 * separate words, `'...'` keeps its text, `"..."` keeps its text with `\"`, `\\`, `\$` and
 * `` \` `` unescaped, and a backslash outside quotes keeps the next character. The seed's
 * `set pgp "gpg -a -e -r 'you@example.com' --no-tty --batch"` is such a value.
 * Throws on an unterminated quote.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (word !== null) words.push(word);
      word = null;
      i += 1;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) throw new Error(`unterminated ' in ${JSON.stringify(text)}`);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      let piece = '';
      i += 1;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) i += 1;
        piece += text[i]!;
        i += 1;
      }
      if (i >= text.length) throw new Error(`unterminated " in ${JSON.stringify(text)}`);
      word = (word ?? '') + piece;
      i += 1;
    } else if (ch === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[i + 1]!;
      i += 2;
    } else {
      word = (word ?? '') + ch;
      i += 1;
    }
  }
  if (word !== null) words.push(word);
  return words;
}
