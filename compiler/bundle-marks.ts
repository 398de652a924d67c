/**
 * The first and last lines of every bundle.mjs. `rulec run` runs a `.mjs` only when it has
 * both: any other file would run as plain JavaScript (an empty one "succeeds"), and one cut
 * short in copying would die in a SyntaxError stack trace. Kept apart from bundle.ts, which
 * loads esbuild, because every `rulec run` reads these.
 */
export const BUNDLE_HEAD = '// rulec bundle: built by `rulec build`, runs with `node bundle.mjs` or `rulec run bundle.mjs`';
export const BUNDLE_TAIL = '// end of rulec bundle';
