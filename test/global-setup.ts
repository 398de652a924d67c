/**
 * Vitest global setup: CLI tests spawn the real `bin/rulec.js`, which runs the built `out/`.
 * Builds with tsc when any source is newer than the last build. tsc still emits when other
 * folders have type errors, so only a missing entry point fails the run. A lock keeps
 * parallel test runs from writing `out/` at the same time.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'out', '.build-stamp');
const SOURCE_DIRS = ['grammar', 'compiler', 'cli', 'runtime', 'lsp', 'bench'];

function newestSource(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // lsp/vscode/node_modules (npm run package:vscode) is no source of out/.
    if (entry.isDirectory()) newest = entry.name === 'node_modules' ? newest : Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale(): boolean {
  if (!existsSync(stamp) || !existsSync(join(root, 'out/cli/main.js'))) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCE_DIRS.some((dir) => newestSource(join(root, dir)) > built) || statSync(join(root, 'tsconfig.build.json')).mtimeMs > built;
}

export default function setup(): void {
  if (!stale()) return;
  const started = new Date();
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync('flock', ['/tmp/rulec-build.lock', process.execPath, tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.error !== undefined) throw result.error;
  if (!existsSync(join(root, 'out/cli/main.js'))) {
    throw new Error(`build produced no out/cli/main.js:\n${result.stdout}${result.stderr}`);
  }
  closeSync(openSync(stamp, 'a'));
  // The stamp dates from the start, so a file saved during the build counts as newer.
  utimesSync(stamp, started, started);
}
