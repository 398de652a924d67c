/**
 * Regex checks: translation from Perl/PCRE to JavaScript and the ReDoS lint, with every
 * problem mapped to its exact place inside the pattern.
 */
import type { Span } from '../../grammar/diagnostic.js';
import type { RegexModel } from '../model.js';
import { runTimeBound } from '../regex/linear-blocker.js';
import type { Problem } from '../problem.js';
import { runTimeForm, runTimeVerdict, type RunTimeForm } from '../regex/run-time.js';
import { lintRedos } from '../regex/redos.js';
import { translateRegex } from '../regex/translate.js';
import type { CheckContext } from './context.js';
import type { Located } from './locate.js';

// The model lists group names only; the numbers `key = $name` and `${name}` in actions need stay here.
const namedGroupsOf = new WeakMap<RegexModel, Readonly<Record<string, number>>>();

/** What translating and linting one pattern found: a pure function of the pattern and its flags. */
interface Analysis {
  /** A translator bug's message: the pattern is reported as untranslatable. */
  readonly crashed?: string;
  readonly result?: ReturnType<typeof translateRegex>;
  readonly lintCrashed?: string;
  readonly warnings: ReturnType<typeof lintRedos>;
  readonly runs?: RunTimeForm;
  readonly verdict: Problem | null;
}

/**
 * Analyses by pattern and flags. A rule file repeats patterns, and the language server checks
 * the same file again at every pause in typing: the lints cost most of a check, and only the
 * patterns that changed need them again. Bounded; the oldest entry goes first.
 */
const analyses = new Map<string, Analysis>();
const MAX_ANALYSES = 4096;

/** Forgets every remembered analysis (benchmarks of a first check). */
export function forgetRegexAnalyses(): void {
  analyses.clear();
}

function analyse(source: string, flags: string): Analysis {
  const key = `${flags}\u0000${source}`;
  const known = analyses.get(key);
  if (known !== undefined) return known;
  const found = analyseNow(source, flags);
  if (analyses.size >= MAX_ANALYSES) analyses.delete(analyses.keys().next().value!);
  analyses.set(key, found);
  return found;
}

function analyseNow(source: string, flags: string): Analysis {
  let result: ReturnType<typeof translateRegex>;
  try {
    result = translateRegex(source, flags);
  } catch (error) {
    return { crashed: messageOf(error), warnings: [], verdict: null };
  }
  const translated = result.value;
  if (translated === null || result.problems.length > 0) return { result, warnings: [], verdict: null };
  let warnings: ReturnType<typeof lintRedos> = [];
  let lintCrashed: string | undefined;
  try {
    warnings = lintRedos(translated, source);
  } catch (error) {
    lintCrashed = messageOf(error);
  }
  const runs = runTimeForm(translated);
  const verdict = warnings.length === 0 ? runTimeVerdict(translated, source, runs) : null;
  return { result, warnings, runs, verdict, ...(lintCrashed === undefined ? {} : { lintCrashed }) };
}

/**
 * Translates `pattern` (flags as written after the closing slash, if any) into a RegexModel,
 * reporting R307/R308 errors and R309 warnings. Null when the pattern cannot be used.
 */
export function checkRegex(
  ctx: CheckContext,
  pattern: Located,
  flags?: Located,
  modelSpan: Span = pattern.span,
): RegexModel | null {
  const source = pattern.text;
  const analysis = analyse(source, flags?.text ?? '');
  if (analysis.crashed !== undefined) {
    // A translator bug must not take the whole check down: report it where it happened.
    ctx.error('R307', `regex could not be translated: ${analysis.crashed}`, ctx.at(pattern));
    return null;
  }
  const result = analysis.result!;
  for (const problem of result.problems) {
    ctx.report(problem.code, problem.severity, problem.message, problemSpan(ctx, pattern, flags, problem.start, problem.end));
  }
  const translated = result.value;
  if (translated === null || result.problems.length > 0) return null;
  const { warnings, verdict } = analysis;
  const runs = analysis.runs!;
  if (analysis.lintCrashed !== undefined) {
    ctx.warning('R309', `regex could not be linted for backtracking: ${analysis.lintCrashed}`, ctx.at(pattern));
  }
  const atRunTime = warnings.length > 0 ? runTimeBound(runs.blocker) : '';
  for (const warning of warnings) {
    ctx.warning(
      'R309',
      `\`${oneLine(warning.subpattern)}\` may backtrack catastrophically: ${oneLine(warning.message)}; ${atRunTime}`,
      ctx.at(pattern, warning.start, warning.end),
    );
  }
  if (verdict !== null) ctx.report(verdict.code, verdict.severity, verdict.message, ctx.at(pattern, verdict.start, verdict.end));
  const model: RegexModel = {
    source,
    js: runs.js,
    flags: runs.flags,
    ...(runs.lookGroup !== null ? { lookGroup: runs.lookGroup } : {}),
    ...(runs.blocker !== null ? { deadline: true } : {}),
    groupCount: translated.groupCount,
    groupNames: [...translated.groupNames],
    requiredLiterals: [...translated.requiredLiterals],
    caseInsensitive: translated.caseInsensitive,
    span: modelSpan,
  };
  namedGroupsOf.set(model, translated.namedGroups);
  return model;
}

/**
 * A model standing for fixed named captures `$1..$n` (a Snort alert's fields) rather than a
 * pattern: `key = $src` and `$src` in actions resolve against it as against a regex's groups.
 */
export function fieldsModel(names: readonly string[], span: Span): RegexModel {
  const model: RegexModel = {
    source: '',
    js: names.map((name) => `(?<${name}>)`).join(''),
    flags: '',
    groupCount: names.length,
    groupNames: [...names],
    requiredLiterals: [],
    caseInsensitive: false,
    span,
  };
  namedGroupsOf.set(model, Object.fromEntries(names.map((name, i) => [name, i + 1])));
  return model;
}

/** The number of the group called `name`, if the regex has one. */
export function groupNumber(regex: RegexModel, name: string): number | undefined {
  const named = namedGroups(regex);
  return Object.hasOwn(named, name) ? named[name] : undefined;
}

/** The regex's named groups and their numbers. */
export function namedGroups(regex: RegexModel): Readonly<Record<string, number>> {
  return namedGroupsOf.get(regex) ?? {};
}

// The translator counts a flag's offset as if written `/pattern/flags` from after the first slash.
function problemSpan(ctx: CheckContext, pattern: Located, flags: Located | undefined, start: number, end: number): Span {
  const flagsFrom = pattern.text.length + 1;
  if (flags !== undefined && start >= flagsFrom) return ctx.at(flags, start - flagsFrom, end - flagsFrom);
  return ctx.at(pattern, start, end);
}

function messageOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
