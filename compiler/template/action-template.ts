import type { ActionSpec, TemplatePart } from '../../runtime/contract.js';

/** A problem in an action template; offsets are relative to the raw value. */
export interface TemplateProblem {
  start: number;
  end: number;
  message: string;
  code: 'R310' | 'R311' | 'R323';
  severity: 'error' | 'warning' | 'info';
}

/** The R312 message the checker gives every `shell = true` action (this module returns no R312 itself). */
export const SHELL_ACTION_WARNING =
  'this action runs under /bin/sh: captures are passed only as environment variables RULEC_0..RULEC_n and RULEC_LINE, and `$N` in the command is NOT substituted; write "$RULEC_1" instead of $1';

const TYPOGRAPHIC: Readonly<Record<string, '"' | "'">> = { '\u201c': '"', '\u201d': '"', '\u2018': "'", '\u2019': "'" };
// Operators /bin/sh would have acted on in logNOT; without a shell they would silently become arguments.
const SHELL_OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`']);

/**
 * Compiles an action value into an `ActionSpec`. Without a shell the value is split into argv
 * words by shell quoting rules and `$0..$N`, `${N}` and `$@` become parts that fill a single word
 * at run time (never re-split, never substituted again). `groupCount` below 0 means the action
 * fires without a match (a down-bound action): then every `$N` and `$@` is refused.
 */
export function compileActionTemplate(raw: string, opts: { shell: boolean; groupCount: number }): { value: ActionSpec | null; problems: TemplateProblem[] } {
  if (raw.trim() === '') {
    return { value: null, problems: [{ start: 0, end: raw.length, message: 'the action is empty', code: 'R311', severity: 'error' }] };
  }
  if (opts.shell) return { value: { shell: true, command: raw, source: raw }, problems: [] };
  const { words, problems } = splitWords(raw, opts.groupCount);
  const first = words[0];
  if (first && first.parts.some((p) => p.kind !== 'text')) {
    problems.push({ start: first.start, end: first.end, message: 'the program to run cannot come from the log line; put the capture in an argument', code: 'R311', severity: 'error' });
  }
  if (words.length === 0 && !problems.some((p) => p.severity === 'error')) {
    problems.push({ start: 0, end: raw.length, message: 'the action is empty', code: 'R311', severity: 'error' });
  }
  problems.sort((a, b) => a.start - b.start || a.end - b.end);
  if (problems.some((p) => p.severity === 'error')) return { value: null, problems };
  // `""` is a real, empty argument.
  const argv = words.map((w): TemplatePart[] => (w.parts.length > 0 ? w.parts : [{ kind: 'text', text: '' }]));
  return { value: { shell: false, argv, source: raw }, problems };
}

interface Word {
  parts: TemplatePart[];
  start: number;
  end: number;
}

function splitWords(raw: string, groupCount: number): { words: Word[]; problems: TemplateProblem[] } {
  const words: Word[] = [];
  const problems: TemplateProblem[] = [];
  let word: Word | null = null;
  let quote: { kind: '"' | "'"; start: number } | null = null;
  const error = (start: number, end: number, message: string, code: 'R310' | 'R311' = 'R311'): void => {
    problems.push({ start, end, message, code, severity: 'error' });
  };
  const wordAt = (at: number): Word => {
    if (!word) {
      word = { parts: [], start: at, end: at };
      words.push(word);
    }
    return word;
  };
  const text = (at: number, end: number, t: string): void => {
    const w = wordAt(at);
    const last = w.parts[w.parts.length - 1];
    if (last?.kind === 'text') w.parts[w.parts.length - 1] = { kind: 'text', text: last.text + t };
    else w.parts.push({ kind: 'text', text: t });
    w.end = end;
  };
  const part = (at: number, end: number, p: TemplatePart): void => {
    const w = wordAt(at);
    w.parts.push(p);
    w.end = end;
  };

  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    const asQuote = ch === '"' || ch === "'" ? ch : TYPOGRAPHIC[ch];
    if (quote === null) {
      if (ch === ' ' || ch === '\t') {
        word = null;
        i++;
      } else if (asQuote) {
        if (asQuote !== ch) problems.push(typographic(i, ch, asQuote));
        quote = { kind: asQuote, start: i };
        wordAt(i).end = i + 1;
        i++;
      } else if (ch === '\\') {
        if (i + 1 >= raw.length) {
          error(i, i + 1, 'a backslash cannot end the action; write \\\\ for a literal backslash');
          i++;
        } else {
          const cp = raw.codePointAt(i + 1)!;
          const len = cp > 0xffff ? 2 : 1;
          text(i, i + 1 + len, raw.slice(i + 1, i + 1 + len));
          i += 1 + len;
        }
      } else if (ch === '$') {
        i = dollar(raw, i, groupCount, text, part, error);
      } else if (SHELL_OPERATORS.has(ch) || (ch === '#' && word === null)) {
        error(i, i + 1, `\`${ch}\` is shell syntax, but actions run without a shell; quote it to pass it as text, or set shell = true`);
        i++;
      } else {
        text(i, i + 1, ch);
        i++;
      }
      continue;
    }
    // Inside quotes: the closing quote, escapes, substitutions; everything else is literal.
    if (asQuote === quote.kind) {
      if (asQuote !== ch) problems.push(typographic(i, ch, asQuote));
      wordAt(i).end = i + 1;
      quote = null;
      i++;
    } else if (ch === '\\' && i + 1 < raw.length && escapable(raw[i + 1]!, quote.kind)) {
      text(i, i + 2, raw[i + 1]!);
      i += 2;
    } else if (ch === '$') {
      i = dollar(raw, i, groupCount, text, part, error);
    } else {
      text(i, i + 1, ch);
      i++;
    }
  }
  if (quote !== null) error(quote.start, raw.length, 'unterminated quote');
  return { words, problems };
}

/** Inside double quotes the shell's escapes; inside single quotes only logNOT's own `\$` and `\\`. */
function escapable(next: string, quote: '"' | "'"): boolean {
  return quote === '"' ? '$"\\`\u201c\u201d'.includes(next) : next === '$' || next === '\\';
}

function typographic(at: number, ch: string, as: string): TemplateProblem {
  return { start: at, end: at + 1, message: `typographic quote ${ch} read as ${as}`, code: 'R323', severity: 'info' };
}

/** Reads `$N`, `${N}` or `$@` at `i` (a lone `$` is literal) and returns the index after it. */
function dollar(
  raw: string,
  i: number,
  groupCount: number,
  text: (at: number, end: number, t: string) => void,
  part: (at: number, end: number, p: TemplatePart) => void,
  error: (start: number, end: number, message: string, code?: 'R310' | 'R311') => void,
): number {
  const next = raw[i + 1];
  if (next === '@') {
    if (groupCount < 0) error(i, i + 2, '`$@` has no line to substitute: this action fires when lines are missing', 'R310');
    part(i, i + 2, { kind: 'line' });
    return i + 2;
  }
  let digits: string | undefined;
  let end: number;
  if (next === '{') {
    const close = raw.indexOf('}', i + 2);
    if (close < 0) {
      error(i, raw.length, 'unterminated ${');
      return raw.length;
    }
    digits = raw.slice(i + 2, close);
    end = close + 1;
    if (!/^\d+$/.test(digits)) {
      error(i, end, '`${...}` takes a capture group number, e.g. ${1}');
      return end;
    }
  } else {
    digits = /^\d+/.exec(raw.slice(i + 1))?.[0];
    if (digits === undefined) {
      text(i, i + 1, '$');
      return i + 1;
    }
    end = i + 1 + digits.length;
  }
  const index = Number(digits);
  if (index > groupCount) {
    const why = groupCount < 0 ? 'this action fires when lines are missing, so there is no match to take groups from' : `the regex has ${groupCount === 0 ? 'no capture groups' : groupCount === 1 ? 'only 1 capture group' : `only ${groupCount} capture groups`}`;
    error(i, end, `\`${raw.slice(i, end)}\` refers to capture group ${index}, but ${why}`, 'R310');
  }
  part(i, end, { kind: 'capture', index });
  return end;
}
