/**
 * A report that cannot go as configured (a bad key, a missing setting, an unusable module):
 * printed as one line without a stack, exit 1, and raised before anything runs or is sent.
 */
export class ReportError extends Error {
  override readonly name = 'ReportError';
}
