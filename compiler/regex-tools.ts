/** What `rulec regex` uses of the compiler: one pattern's translation and its lints (api.ts loads it on demand). */
export { runTimeBound } from './regex/linear-blocker.js';
export { originalCaptures } from './regex/linear-rewrite.js';
export { lintRedos } from './regex/redos.js';
export { runTimeForm, runTimeVerdict, type RunTimeForm } from './regex/run-time.js';
export { translateRegex, type TranslatedRegex } from './regex/translate.js';
