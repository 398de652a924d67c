/**
 * The measuring half of runtime-memory: run as its own process so nothing but the runtime
 * and the compiled module is loaded. Argv: MODULE.mjs TEMPLATES.json KEYS. Generates the
 * lines as it goes (each makes a new key), prints `{ before, peak, keys }` as JSON.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { LiveClock } from '../runtime/clock/clock.js';
import type { RuleModule } from '../runtime/contract.js';
import { Engine } from '../runtime/engine/engine.js';
import { Logger } from '../runtime/log/logger.js';

const [moduleFile, templatesFile, keysArg] = process.argv.slice(2);
const module = ((await import(pathToFileURL(moduleFile!).href)) as { default: RuleModule }).default;
const templates = JSON.parse(readFileSync(templatesFile!, 'utf8')) as string[];
const keys = Number(keysArg);
let fired = 0;
const engine = new Engine(module, { clock: new LiveClock(), actions: { submit: () => void fired++ }, log: new Logger({ level: 'error' }) });
engine.start();
const before = process.memoryUsage().rss;
for (let n = 0; n < keys; n += 1000) {
  const batch: string[] = [];
  for (let i = n; i < Math.min(keys, n + 1000); i++) {
    let k = 0;
    batch.push(templates[i % templates.length]!.replace(/(?:<\*>)+/g, () => `v${i}x${k++}`));
  }
  engine.onLines(0, batch);
}
const live = engine.stats().items.reduce((sum, s) => sum + s.keys, 0);
process.stdout.write(JSON.stringify({ before, peak: process.resourceUsage().maxRSS * 1024, keys: live, fired }));
engine.stop();
