/**
 * The compiler as a child process of a daemon (`rulec run`, `rulec snort`), so the daemon never
 * loads it: `node compile-child.js PATH CWD [CACHE_DIR]` compiles PATH (relative to CWD), keeps a
 * clean result in CACHE_DIR (none when empty), and prints load-rules.ts's ChildAnswer as JSON.
 */
import { UserError } from '../compiler/api.js';
import { compileHere, type ChildAnswer } from './load-rules.js';

const [path, cwd, keep] = process.argv.slice(2);
let answer: ChildAnswer;
try {
  answer = await compileHere(path!, cwd!, keep === undefined || keep === '' ? null : keep);
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  answer = { userError: error.message };
}
process.stdout.write(JSON.stringify(answer));
