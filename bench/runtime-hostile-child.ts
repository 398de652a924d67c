/**
 * The measuring half of runtime-hostile, its own process because V8 reads its regex flags when
 * a RegExp is created and cannot unset them. Argv: MODE (`bounded`: the flags `rulec run` sets
 * and the compiler's translation, with cases spelled out; `unbounded`: V8's defaults and the
 * `i` flag, as before). Prints `{ name: ms for one hostile line }` as JSON.
 */
import { translateRegex } from '../compiler/regex/translate.js';
import { enableLinearRegexFallback } from '../runtime/engine/linear-regex-fallback.js';
import { HOSTILE } from './runtime-hostile-cases.js';

const bounded = process.argv[2] === 'bounded';
if (bounded) enableLinearRegexFallback();
const times: Record<string, number> = {};
for (const { name, pcre, caseless, line } of HOSTILE) {
  const translated = translateRegex(pcre, caseless ? 'i' : '').value;
  if (translated === null) throw new Error(`${pcre} does not translate`);
  const regex = bounded ? new RegExp(translated.js, translated.flags) : new RegExp(pcre, caseless ? 'i' : '');
  const started = process.hrtime.bigint();
  regex.test(line);
  times[name] = Number(process.hrtime.bigint() - started) / 1e6;
}
process.stdout.write(JSON.stringify(times));
