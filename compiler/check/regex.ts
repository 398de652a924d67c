/**
 * Regex checks: translation from Perl/PCRE to JavaScript and the ReDoS lint, with every
 * problem mapped to its exact place inside the pattern.
 */
import type { Span } from '../../grammar/diagnostic.js';
import type { RegexModel } from '../model.js';
import { lintRedos } from '../regex/redos.js';
import { translateRegex } from '../regex/translate.js';
import type { CheckContext } from './context.js';
import type { Located } from './locate.js';

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
  let result: ReturnType<typeof translateRegex>;
  try {
    result = translateRegex(source, flags?.text ?? '');
  } catch (error) {
    // A translator bug must not take the whole check down: report it where it happened.
    ctx.error('R307', `regex could not be translated: ${messageOf(error)}`, ctx.at(pattern));
    return null;
  }
  for (const problem of result.problems) {
    ctx.error(problem.code, problem.message, problemSpan(ctx, pattern, flags, problem.start, problem.end));
  }
  const translated = result.value;
  if (translated === null || result.problems.length > 0) return null;
  let warnings: ReturnType<typeof lintRedos> = [];
  try {
    warnings = lintRedos(translated, source);
  } catch (error) {
    ctx.warning('R309', `regex could not be linted for backtracking: ${messageOf(error)}`, ctx.at(pattern));
  }
  for (const warning of warnings) {
    ctx.warning(
      'R309',
      `\`${oneLine(warning.subpattern)}\` may backtrack catastrophically: ${oneLine(warning.message)}`,
      ctx.at(pattern, warning.start, warning.end),
    );
  }
  return {
    source,
    js: translated.js,
    flags: translated.flags,
    groupCount: translated.groupCount,
    groupNames: [...translated.groupNames],
    requiredLiterals: [...translated.requiredLiterals],
    caseInsensitive: translated.caseInsensitive,
    span: modelSpan,
  };
}

/** Offsets past the end of the pattern point at its flags (the translator sees them as one string). */
function problemSpan(ctx: CheckContext, pattern: Located, flags: Located | undefined, start: number, end: number): Span {
  const length = pattern.text.length;
  if (flags !== undefined && flags.text.length > 0 && start >= length && length > 0) {
    return ctx.at(flags, start - length, end - length);
  }
  return ctx.at(pattern, start, end);
}

function messageOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
