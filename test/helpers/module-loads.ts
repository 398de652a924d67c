/** Which ES modules child processes load: loader hooks given to them through NODE_OPTIONS. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A record of module loads kept in `dir`: the environment that makes node processes record theirs, and its queries. */
export interface LoadRecord {
  /** Add to a child's environment (its children inherit it). */
  readonly env: NodeJS.ProcessEnv;
  /** Pids of the processes that loaded a module whose URL matches `url`, since the last `clear`. */
  loadedBy(url: RegExp): number[];
  clear(): void;
}

/** Sets a record up in `dir` (two small modules and the record file). */
export function recordLoads(dir: string): LoadRecord {
  const log = join(dir, 'loads');
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, process.pid + ' ' + url + '\\n'); return next(url, context); }\n`);
  writeFileSync(join(dir, 'record.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  return {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(join(dir, 'record.mjs')).href}` },
    loadedBy(url) {
      const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
      return [...new Set(lines.filter((line) => url.test(line.slice(line.indexOf(' ') + 1))).map((line) => Number(line.split(' ')[0])))];
    },
    clear: () => writeFileSync(log, ''),
  };
}
