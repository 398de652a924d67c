import type { Problem } from '../problem.js';

/** The read position in a PCRE pattern and the problems found so far; shared by the parser's parts. */
export class Cursor {
  pos = 0;
  readonly problems: Problem[] = [];
  /** Set when the output needs the JS `u` flag (astral characters, `\p{..}`). */
  needsUnicode = false;
  /** Inside `\Q...\E`, where every character is literal. */
  quoting = false;

  constructor(readonly source: string) {}

  get done(): boolean {
    return this.pos >= this.source.length;
  }

  peek(offset = 0): string {
    return this.source[this.pos + offset] ?? '';
  }

  startsWith(text: string): boolean {
    return this.source.startsWith(text, this.pos);
  }

  /** Consumes and returns one code point (a surrogate pair counts as one). */
  nextCodePoint(): number {
    const cp = this.source.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    if (cp > 0xffff) this.needsUnicode = true;
    return cp;
  }

  invalid(start: number, end: number, message: string): void {
    this.problems.push({ start, end, message, code: 'R307', severity: 'error' });
  }

  untranslatable(start: number, end: number, feature: string): void {
    this.problems.push({ start, end, message: `cannot be translated to JavaScript: ${feature}`, code: 'R308', severity: 'error' });
  }
}
