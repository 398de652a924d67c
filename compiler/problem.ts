import type { Severity } from '../grammar/diagnostic.js';
import type { Code } from '../grammar/codes.js';

/**
 * A finding inside one value of a rule file (a pattern, an action template), at offsets
 * relative to that value's text; the checker turns it into a `Diagnostic` at the value's span.
 */
export interface Problem {
  readonly start: number;
  readonly end: number;
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
}
