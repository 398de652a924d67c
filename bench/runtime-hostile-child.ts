/**
 * The measuring half of runtime-hostile, its own process because V8 reads its regex flags when
 * a RegExp is created and cannot unset them. Argv: MODE. `bounded`: what `rulec run` does, each
 * pattern compiled as a rule file's item and its line fed to the engine (the linear-time
 * fallback, the rewrite of a trailing lookahead, the deadline). `unbounded`: V8's defaults, the
 * pattern as written. Prints `{ times, cpuTimes }`, each `{ name: ms for one hostile line }`, as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveClock } from '../runtime/clock/clock.js';
import { Engine } from '../runtime/engine/engine.js';
import { enableLinearRegexFallback } from '../runtime/engine/linear-regex-fallback.js';
import { Logger } from '../runtime/log/logger.js';
import { HOSTILE } from './runtime-hostile-cases.js';
import { CountingSink, ruleModule } from './runtime-common.js';

const bounded = process.argv[2] === 'bounded';
if (bounded) enableLinearRegexFallback();
const times: Record<string, number> = {};
// CPU time too: on a shared machine the wall time of a deadline line grows with the load.
const cpuTimes: Record<string, number> = {};
const dir = mkdtempSync(join(tmpdir(), 'rulec-hostile-'));
try {
  for (const [i, { name, pcre, caseless, unicode, line }] of HOSTILE.entries()) {
    let run: () => unknown;
    if (bounded) {
      const text = `[H]\npath = ${join(dir, 'h.log')}\nregex = ${caseless ? '(?i)' : ''}${pcre}\nupbound_freq = 0/0\nupbound_action = /bin/true "$0"\n`;
      const engine = new Engine(await ruleModule(dir, `h${i}.rules`, text), { clock: new LiveClock(), actions: new CountingSink(), log: new Logger({ level: 'error' }) });
      run = () => engine.onLines(0, [line]);
    } else {
      const regex = new RegExp(pcre, `${caseless ? 'i' : ''}${unicode === true ? 'u' : ''}`);
      run = () => regex.exec(line);
    }
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    run();
    times[name] = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    cpuTimes[name] = (used.user + used.system) / 1000;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify({ times, cpuTimes }));
