import type { Problem } from '../problem.js';
import { linearBlocker, runTimeBound } from './linear-blocker.js';
import { linearForm } from './linear-rewrite.js';
import { slowSpot } from './polynomial.js';
import type { TranslatedRegex } from './translate.js';

/** What runs: the translation, or its rewrite into V8's linear-time subset; and what still keeps it off that engine. */
export interface RunTimeForm {
  readonly js: string;
  readonly flags: string;
  /** Set when `js` is the rewrite (see LinearForm.lookGroup). */
  readonly lookGroup: number | null;
  /** Null: V8's linear-time fallback bounds it; else why not, and it runs under the deadline. */
  readonly blocker: string | null;
}

export function runTimeForm(t: TranslatedRegex): RunTimeForm {
  const blocker = linearBlocker(t);
  if (blocker === null) return { js: t.js, flags: t.flags, lookGroup: null, blocker };
  const form = linearForm(t);
  if (form !== null) return { js: form.js, flags: form.flags, lookGroup: form.lookGroup, blocker: null };
  return { js: t.js, flags: t.flags, lookGroup: null, blocker };
}

/**
 * R330 (warning) for a pattern that can backtrack polynomially or worse and runs under the
 * deadline; R331 (info) for one that can, but V8's linear-time engine bounds it; null when
 * neither (offsets in the source pattern). Patterns R309 warns about are left to R309.
 */
export function runTimeVerdict(t: TranslatedRegex, source: string, runs: RunTimeForm): Problem | null {
  const spot = slowSpot(t, source);
  if (spot === null) return null;
  const what = `\`${oneLine(spot.subpattern)}\` can backtrack: ${spot.reason}`;
  if (runs.blocker !== null) return { start: spot.start, end: spot.end, code: 'R330', severity: 'warning', message: `${what}; ${runTimeBound(runs.blocker)}` };
  const rewritten = runs.lookGroup !== null ? ' once its trailing lookahead is rewritten as a capture' : '';
  return {
    start: spot.start,
    end: spot.end,
    code: 'R331',
    severity: 'info',
    message: `${what}; the pattern is inside V8's linear-time engine's subset${rewritten}, which takes over a match that backtracks too long, so the time per line stays linear`,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
