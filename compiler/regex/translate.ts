import type { Problem } from '../problem.js';
import { uncertainBackrefs } from './backref-check.js';
import { emitJs, type Segment } from './js-emitter.js';
import type { Alternation, Node } from './pcre-ast.js';
import { parsePcre } from './pcre-parser.js';
import { requiredLiterals } from './required-literals.js';

/** A PCRE pattern translated to a JS `RegExp` that behaves the same on one line of text. */
export interface TranslatedRegex {
  /**
   * Source and flags for `new RegExp(js, flags)`; flags are a subset of `isu`. A caseless
   * pattern is written with its cases spelled out and has `i` only under `u` or with a back
   * reference (see `caseInsensitive`).
   */
  js: string;
  flags: string;
  /** Capturing groups, numbered as PCRE numbers them (named groups count too). */
  groupCount: number;
  /** Names of the named groups, in group-number order. */
  groupNames: string[];
  /** Group number of each named group (added next to `groupNames`, which lacks the numbers). */
  namedGroups: Readonly<Record<string, number>>;
  /** The pattern matches regardless of case, whether through `i` or spelled out. */
  caseInsensitive: boolean;
  /** Substrings every match contains, longest first (lower-cased when case-insensitive); [] if none is provable. */
  requiredLiterals: string[];
  /** Maps an index in `js` back to an index in the source pattern. */
  sourceOffset(jsIndex: number): number;
}

/** Longest pattern accepted, in UTF-16 code units: far above any log pattern, low enough to check in milliseconds. */
export const MAX_PATTERN_LENGTH = 8192;
/** Most capturing groups accepted (PCRE allows 65,535; logNOT read at most 85 of them back). */
export const MAX_GROUPS = 1000;

const segmentsOf = new WeakMap<TranslatedRegex, { segments: readonly Segment[]; sourceLength: number }>();

/**
 * Translates a Perl/PCRE pattern (no delimiters) with Perl flags (`i`, `m`, `s`, `x`) into a JS
 * regex. Never throws. Constructs JS cannot express are R308 at their exact span; malformed
 * patterns are R307. A problem with a flag is reported at `source.length + 1 + index`, i.e. where
 * the flag stands when the pattern is written `/source/flags` and offsets count from after the
 * opening slash.
 */
export function translateRegex(source: string, perlFlags: string): { value: TranslatedRegex | null; problems: Problem[] } {
  if (source.length > MAX_PATTERN_LENGTH) {
    const message = `regex too large: ${source.length.toLocaleString('en-US')} characters (at most ${MAX_PATTERN_LENGTH.toLocaleString('en-US')})`;
    return { value: null, problems: [{ start: MAX_PATTERN_LENGTH, end: source.length, message, code: 'R332', severity: 'error' }] };
  }
  const problems: Problem[] = [];
  const options = { caseless: false, dotAll: false, extended: false };
  [...perlFlags].forEach((flag, i) => {
    if (!setOption(options, flag, true)) {
      const at = source.length + 1 + i;
      problems.push({ start: at, end: at + 1, message: `cannot be translated to JavaScript: the \`${flag}\` flag (only i, m, s and x are accepted)`, code: 'R308', severity: 'error' });
    }
  });
  const start = leadingOptions(source, options);
  const parsed = parsePcre(source, start, { dotAll: options.dotAll, extended: options.extended, caseless: options.caseless });
  problems.push(...parsed.problems);
  if (parsed.groupCount > MAX_GROUPS) {
    const message = `regex too large: ${parsed.groupCount.toLocaleString('en-US')} capturing groups (at most ${MAX_GROUPS.toLocaleString('en-US')})`;
    problems.push({ start: 0, end: source.length, message, code: 'R332', severity: 'error' });
  }
  // Only a back reference needs the groups set on each path (the walk copies a set per group).
  if (problems.length === 0 && hasBackref(parsed.ast)) problems.push(...uncertainBackrefs(parsed.ast));
  if (problems.length > 0) return { value: null, problems: sortProblems(problems) };

  // Cases spelled out instead of `i`: how a scoped (?i) is expressed at all (Node 20 has no
  // scoped modifiers), and what lets V8 finish a runaway match in linear time. Not under `u`
  // (its case folding differs) nor with a back reference (under `i` it compares caselessly,
  // spelled out it would not): there only the whole pattern can be caseless, through `i`.
  const caseless = caselessness(parsed.ast);
  const caseFolded = caseless.some && !parsed.needsUnicode && !hasBackref(parsed.ast);
  if (caseless.some && !caseless.all && !caseFolded) {
    const why = parsed.needsUnicode ? '\\p{..} or a character above U+FFFF' : 'a back reference';
    return {
      value: null,
      problems: parsed.caseSwitches.map(({ start: at, end }) => ({
        start: at,
        end,
        message: `cannot be translated to JavaScript: (?i) for part of a pattern with ${why} (Node 20 has no scoped modifiers; put (?i) at the very start or use the i flag)`,
        code: 'R308' as const,
        severity: 'error' as const,
      })),
    };
  }
  const flags = { dotAll: options.dotAll, unicode: parsed.needsUnicode, caseFolded };
  const { js, segments } = emitJs(parsed.ast, flags);
  const jsFlags = `${caseless.some && !caseFolded ? 'i' : ''}${flags.dotAll ? 's' : ''}${flags.unicode ? 'u' : ''}`;
  try {
    new RegExp(js, jsFlags);
  } catch (err) {
    const detail = err instanceof Error ? err.message.replace(/^.*: /, '') : String(err);
    return { value: null, problems: [{ start: 0, end: source.length, message: `invalid regex: ${detail}`, code: 'R307', severity: 'error' }] };
  }
  const named = parsed.names.flatMap((name, index) => (name === null ? [] : [[name, index] as const]));
  const groupNames = named.map(([name]) => name);
  // fromEntries defines own properties: a group named __proto__ stays an entry.
  const namedGroups: Record<string, number> = Object.fromEntries(named);
  const value: TranslatedRegex = {
    js,
    flags: jsFlags,
    groupCount: parsed.groupCount,
    groupNames,
    namedGroups,
    caseInsensitive: caseless.some,
    requiredLiterals: requiredLiterals(parsed.ast, flags.unicode),
    sourceOffset: (jsIndex) => mapStart(segments, jsIndex, source.length),
  };
  segmentsOf.set(value, { segments, sourceLength: source.length });
  return { value, problems: [] };
}

/**
 * The source range of `js.slice(jsStart, jsEnd)`: exact where the JS is a verbatim copy, else
 * widened to whole source constructs (a `\x{263A}` written as `\u263A` maps to all of itself).
 */
export function sourceRange(t: TranslatedRegex, jsStart: number, jsEnd: number): { start: number; end: number } {
  const known = segmentsOf.get(t);
  if (!known) return { start: t.sourceOffset(jsStart), end: t.sourceOffset(Math.max(jsStart, jsEnd - 1)) + 1 };
  const start = mapStart(known.segments, jsStart, known.sourceLength);
  const last = findSegment(known.segments, Math.max(jsStart, jsEnd - 1));
  if (!last) return { start, end: known.sourceLength };
  const verbatim = last.jsEnd - last.jsStart === last.srcEnd - last.srcStart;
  const end = verbatim ? last.srcStart + (jsEnd - last.jsStart) : last.srcEnd;
  return { start, end: Math.max(start, end) };
}

function mapStart(segments: readonly Segment[], jsIndex: number, sourceLength: number): number {
  const seg = findSegment(segments, jsIndex);
  if (!seg) return sourceLength;
  const verbatim = seg.jsEnd - seg.jsStart === seg.srcEnd - seg.srcStart;
  return verbatim ? seg.srcStart + (jsIndex - seg.jsStart) : seg.srcStart;
}

function findSegment(segments: readonly Segment[], jsIndex: number): Segment | undefined {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const seg = segments[mid]!;
    if (jsIndex < seg.jsStart) high = mid - 1;
    else if (jsIndex >= seg.jsEnd) low = mid + 1;
    else return seg;
  }
  return undefined;
}

/** Whether some, and whether all, of the pattern's characters, classes and sets stand under `i`. */
function caselessness(ast: Alternation): { some: boolean; all: boolean } {
  let some = false;
  let all = true;
  const visit = (node: Node): void => {
    switch (node.kind) {
      case 'char':
      case 'class':
      case 'set':
        if (node.caseless === true) some = true;
        else all = false;
        return;
      case 'alt':
        for (const branch of node.branches) branch.forEach(visit);
        return;
      case 'group':
      case 'quant':
        visit(node.body);
        return;
      default:
    }
  };
  visit(ast);
  return { some, all };
}

function hasBackref(node: Node): boolean {
  switch (node.kind) {
    case 'backref':
      return true;
    case 'alt':
      return node.branches.some((branch) => branch.some(hasBackref));
    case 'group':
      return hasBackref(node.body);
    case 'quant':
      return hasBackref(node.body);
    default:
      return false;
  }
}

type Options = { caseless: boolean; dotAll: boolean; extended: boolean };

function setOption(options: Options, letter: string, value: boolean): boolean {
  if (letter === 'i') options.caseless = value;
  // Accepted and without effect: a line holds no newline for `m` to act on.
  else if (letter === 'm') return true;
  else if (letter === 's') options.dotAll = value;
  else if (letter === 'x') options.extended = value;
  else return false;
  return true;
}

/** Applies `(?i)`, `(?sx)`, `(?-i)`... at the very start of the pattern, where they cover all of it, and returns where the pattern proper begins. */
function leadingOptions(source: string, options: Options): number {
  let pos = 0;
  for (;;) {
    if (options.extended) pos = skipExtended(source, pos);
    const m = /^\(\?([imsx]*)(?:-([imsx]*))?\)/.exec(source.slice(pos));
    if (!m) return pos;
    for (const letter of m[1]!) setOption(options, letter, true);
    for (const letter of m[2] ?? '') setOption(options, letter, false);
    pos += m[0].length;
  }
}

function skipExtended(source: string, from: number): number {
  let pos = from;
  for (;;) {
    const ch = source[pos];
    if (ch !== undefined && ' \t\n\r\f\v'.includes(ch)) pos++;
    else if (ch === '#') {
      const nl = source.indexOf('\n', pos);
      pos = nl < 0 ? source.length : nl + 1;
    } else return pos;
  }
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.start - b.start || a.end - b.end);
}
