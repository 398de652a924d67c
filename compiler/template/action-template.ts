import type { ActionSpec, TemplatePart } from '../../runtime/contract.js';
import type { Code } from '../../grammar/codes.js';
import type { Problem } from '../problem.js';
import { codeWords, type ActionWord } from './code-words.js';

/** The R312 message the checker gives every `shell = true` action (this module returns no R312 itself). */
export const SHELL_ACTION_WARNING =
  'this action runs under /bin/sh: captures are passed only as environment variables RULEC_0..RULEC_n and RULEC_LINE, and `$N` in the command is NOT substituted; write "$RULEC_1" instead of $1';

const TYPOGRAPHIC: Readonly<Record<string, '"' | "'">> = { '\u201c': '"', '\u201d': '"', '\u2018': "'", '\u2019': "'" };
// Operators /bin/sh would have acted on in logNOT; without a shell they would silently become arguments.
const SHELL_OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`']);
/** What would be a capture outside single quotes: `$@`, `$N`, `${N}`, and a named group's `${name}` or `$name`. */
const QUOTED_REFERENCE = /\$(?:@|\d+|\{(\w+)\}|([A-Za-z_]\w*))/y;

/**
 * Compiles an action value into an `ActionSpec`. Without a shell the value is split into argv
 * words by shell quoting rules and `$0..$N`, `${N}`, a named group's `$name` or `${name}` (from
 * `groupNames`) and `$@` become parts that fill a single word
 * at run time (never re-split, never substituted again). `groupCount` below 0 means the action
 * fires without a match (a down-bound action): then every `$N` and `$@` is refused.
 */
export function compileActionTemplate(
  raw: string,
  opts: { shell: boolean; groupCount: number; groupNames?: Readonly<Record<string, number>> | null },
): { value: ActionSpec | null; problems: Problem[] } {
  if (raw.trim() === '') {
    return { value: null, problems: [{ start: 0, end: raw.length, message: 'the action is empty', code: 'R311', severity: 'error' }] };
  }
  if (opts.shell) return { value: { shell: true, command: raw, source: raw }, problems: [] };
  const names = opts.groupCount < 0 ? {} : opts.groupNames === undefined ? {} : opts.groupNames;
  const { words, refs, problems } = splitWords(raw, { count: opts.groupCount, names });
  checkProgram(raw, words, problems);
  checkCode(words, refs, problems);
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

/** A `$N`, `${N}` or `$@` in the value: substituted, or (inside single quotes) kept as text. */
interface Ref {
  start: number;
  end: number;
  word: Word;
  substituted: boolean;
}

function error(start: number, end: number, message: string, code: Code = 'R311'): Problem {
  return { start, end, message, code, severity: 'error' };
}

/** The program word: not from the log, not empty, not a shell's `NAME=value` prefix. */
function checkProgram(raw: string, words: readonly Word[], problems: Problem[]): void {
  const first = words[0];
  if (first === undefined) return;
  const at = (message: string): number => problems.push(error(first.start, first.end, message));
  if (first.parts.some((p) => p.kind !== 'text')) return void at('the program to run cannot come from the log line; put the capture in an argument');
  const program = textOf(first) ?? '';
  if (program === '') return void at('the program name is empty');
  const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(program);
  if (assignment !== null && raw.slice(first.start).startsWith(assignment[0])) {
    at(`\`${program}\` sets a variable only in a shell, and actions run without one; write /usr/bin/env ${raw.slice(first.start).trim()}`);
  }
}

/** A capture in code an interpreter runs is refused; `$N` kept as text in single quotes is pointed out elsewhere. */
function checkCode(words: readonly Word[], refs: readonly Ref[], problems: Problem[]): void {
  const code = codeWords(words.map(literalStart));
  for (const ref of refs) {
    const inCode = code.has(words.indexOf(ref.word));
    if (ref.substituted && inCode) {
      problems.push(error(ref.start, ref.end, 'this capture would be part of the code the interpreter runs, so the log line could run commands; pass it as an argument of its own (sh -c \'... "$1"\' sh "$2"), or set shell = true and read "$RULEC_2"', 'R327'));
    } else if (!ref.substituted && !inCode) {
      problems.push({ start: ref.start, end: ref.end, message: 'inside single quotes this is the text itself, not the capture (as in sh); use double quotes to pass the capture', code: 'R328', severity: 'warning' });
    }
  }
}

/** A word's text up to its first capture, for telling interpreters and options apart. */
function literalStart(word: Word): ActionWord {
  const first = word.parts.findIndex((p) => p.kind !== 'text');
  const literal = first === -1 ? word.parts : word.parts.slice(0, first);
  return { text: literal.map((p) => (p.kind === 'text' ? p.text : '')).join(''), captured: first !== -1 };
}

function textOf(word: Word): string | null {
  return word.parts.every((p) => p.kind === 'text') ? word.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('') : null;
}

const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';

function splitWords(raw: string, groups: Groups): { words: Word[]; refs: Ref[]; problems: Problem[] } {
  const words: Word[] = [];
  const refs: Ref[] = [];
  const problems: Problem[] = [];
  let word: Word | null = null;
  // A typographic quote opens only at the start of a word and closes only at its end, so the
  // apostrophe in `Bob’s` stays text.
  let quote: { kind: '"' | "'"; start: number; typographic: boolean } | null = null;
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
    refs.push({ start: at, end, word: w, substituted: true });
  };

  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (quote === null) {
      const typographic = TYPOGRAPHIC[ch];
      if (isBlank(ch)) {
        word = null;
        i++;
      } else if (ch === '"' || ch === "'" || (typographic !== undefined && word === null)) {
        if (typographic !== undefined) problems.push(typographicNote(i, ch, typographic));
        quote = { kind: typographic ?? (ch as '"' | "'"), start: i, typographic: typographic !== undefined };
        wordAt(i).end = i + 1;
        i++;
      } else if (ch === '\\') {
        if (i + 1 >= raw.length) {
          problems.push(error(i, i + 1, 'a backslash cannot end the action; write \\\\ for a literal backslash'));
          i++;
        } else {
          const len = raw.codePointAt(i + 1)! > 0xffff ? 2 : 1;
          text(i, i + 1 + len, raw.slice(i + 1, i + 1 + len));
          i += 1 + len;
        }
      } else if (ch === '$') {
        i = dollar(raw, i, groups, text, part, problems);
      } else if (SHELL_OPERATORS.has(ch) || (ch === '#' && word === null)) {
        // A run such as `&&` or `2>&1`'s `>&` is one mistake.
        let end = i + 1;
        while (end < raw.length && SHELL_OPERATORS.has(raw[end]!) && raw[end] !== '`') end++;
        problems.push(error(i, end, `${codeSpan(raw.slice(i, end))} is shell syntax, but actions run without a shell; quote it to pass it as text, or set shell = true`));
        i = end;
      } else {
        text(i, i + 1, ch);
        i++;
      }
      continue;
    }
    const closes = quote.typographic ? TYPOGRAPHIC[ch] === quote.kind && (i + 1 === raw.length || isBlank(raw[i + 1])) : ch === quote.kind;
    if (closes) {
      if (quote.typographic) problems.push(typographicNote(i, ch, quote.kind));
      wordAt(i).end = i + 1;
      quote = null;
      i++;
    } else if (quote.kind === "'") {
      // As in sh, nothing is special inside single quotes; a `$N` there is noted once the words are known.
      QUOTED_REFERENCE.lastIndex = i;
      const m = QUOTED_REFERENCE.exec(raw);
      const name = m?.[1] ?? m?.[2];
      const ref = m !== null && (name === undefined || /^\d+$/.test(name) || groups.names === null || Object.hasOwn(groups.names, name)) ? m[0] : undefined;
      if (ref !== undefined) refs.push({ start: i, end: i + ref.length, word: wordAt(i), substituted: false });
      const t = ref ?? ch;
      text(i, i + t.length, t);
      i += t.length;
    } else if (ch === '\\' && i + 1 < raw.length && '$"\\`\u201c\u201d'.includes(raw[i + 1]!)) {
      text(i, i + 2, raw[i + 1]!);
      i += 2;
    } else if (ch === '`' || raw.startsWith('$(', i)) {
      const end = i + (ch === '`' ? 1 : 2);
      problems.push(error(i, end, `\`${raw.slice(i, end)}\` is command substitution, which needs a shell, and actions run without one; write \\${raw.slice(i, end)} to pass it as text, or set shell = true`));
      text(i, end, raw.slice(i, end));
      i = end;
    } else if (ch === '$') {
      i = dollar(raw, i, groups, text, part, problems);
    } else {
      text(i, i + 1, ch);
      i++;
    }
  }
  if (quote !== null) problems.push(error(quote.start, raw.length, 'unterminated quote'));
  return { words, refs, problems };
}

function typographicNote(at: number, ch: string, as: string): Problem {
  return { start: at, end: at + 1, message: `typographic quote ${ch} read as ${as}`, code: 'R323', severity: 'info' };
}

/** The regex's capture groups as an action can name them. */
interface Groups {
  /** Below 0: the action fires without a match (down-bound, size), so it has none. */
  readonly count: number;
  /** Null when the regex is broken: its errors are reported, so names are not questioned. */
  readonly names: Readonly<Record<string, number>> | null;
}

/**
 * Reads `$N`, `${N}`, `$name`, `${name}` (a named group) or `$@` at `i` and returns the index
 * after it. A shell variable (`$HOME`, `$$`: a name no group has) stays text, with a warning,
 * since nothing expands it; a lone `$` is text.
 */
function dollar(
  raw: string,
  i: number,
  groups: Groups,
  text: (at: number, end: number, t: string) => void,
  part: (at: number, end: number, p: TemplatePart) => void,
  problems: Problem[],
): number {
  const noMatch = 'this action fires when lines are missing, so there is no match to take groups from';
  const next = raw[i + 1];
  if (next === '@') {
    if (groups.count < 0) problems.push(error(i, i + 2, '`$@` has no line to substitute: this action fires when lines are missing', 'R310'));
    part(i, i + 2, { kind: 'line' });
    return i + 2;
  }
  const braced = next === '{';
  let reference: string | undefined;
  let end: number;
  if (braced) {
    const close = raw.indexOf('}', i + 2);
    if (close < 0) {
      problems.push(error(i, raw.length, 'unterminated ${'));
      return raw.length;
    }
    reference = raw.slice(i + 2, close);
    end = close + 1;
    if (!/^(?:\d+|[A-Za-z_][A-Za-z0-9_]*)$/.test(reference)) {
      problems.push(error(i, end, '`${...}` takes a capture group number or name, e.g. ${1} or ${host}'));
      return end;
    }
  } else {
    reference = /^(?:\d+|[A-Za-z_][A-Za-z0-9_]*|[*#?$!-])/.exec(raw.slice(i + 1))?.[0];
    if (reference === undefined) {
      text(i, i + 1, '$');
      return i + 1;
    }
    end = i + 1 + reference.length;
  }
  const written = raw.slice(i, end);
  let index: number;
  if (/^\d+$/.test(reference)) {
    index = Number(reference);
  } else if (groups.names === null) {
    index = 0;
  } else if (Object.hasOwn(groups.names, reference)) {
    index = groups.names[reference]!;
  } else if (braced) {
    const why = groups.count < 0 ? noMatch : 'the regex has no group of that name';
    problems.push(error(i, end, `\`${written}\` names capture group \`${reference}\`, but ${why}`, 'R310'));
    return end;
  } else {
    problems.push({ start: i, end, message: `\`${written}\` is passed as the text ${written}: actions run without a shell, so nothing expands it; write \\${written} to mean the text, or set shell = true`, code: 'R328', severity: 'warning' });
    text(i, end, written);
    return end;
  }
  if (index > groups.count) {
    const why = groups.count < 0 ? noMatch : `the regex has ${groups.count === 0 ? 'no capture groups' : groups.count === 1 ? 'only 1 capture group' : `only ${groups.count} capture groups`}`;
    problems.push(error(i, end, `\`${written}\` refers to capture group ${index}, but ${why}`, 'R310'));
  }
  part(i, end, { kind: 'capture', index });
  return end;
}

/** `text` as a Markdown code span; one holding a backtick is fenced with two and padded, as CommonMark reads it. */
function codeSpan(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}
