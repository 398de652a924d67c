/**
 * README's first command, `npx rulec demo`, in the checkout: npx installs the checkout itself
 * into its cache (a link) and runs its `prepare`. That rebuilt out/ with tsc the first time
 * (20-60 s before the demo's own 10 s); out/ is already built by `npm ci`, so then it must not.
 * The script runs for real through sh, with `npm` on PATH a stand-in that records its calls.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO } from './run-cli.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs package.json's `prepare` as npm would for `npm_command`; true when it called `npm run build`. */
function prepareBuilds(npmCommand: string): boolean {
  dir = mkdtempSync(join(tmpdir(), 'rulec-prepare-'));
  const calls = join(dir, 'calls');
  writeFileSync(join(dir, 'npm'), `#!/bin/sh\necho "$@" >> ${calls}\n`);
  chmodSync(join(dir, 'npm'), 0o755);
  const script = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: { prepare: string } }).scripts.prepare;
  execFileSync('sh', ['-c', script], { cwd: REPO, env: { ...process.env, npm_command: npmCommand, PATH: `${dir}${delimiter}${dirname(process.execPath)}${delimiter}/usr/bin:/bin` } });
  return existsSync(calls) && readFileSync(calls, 'utf8') === 'run build\n';
}

describe('prepare, as npx rulec demo runs it', () => {
  it('npx (npm exec) on the built checkout does not build again; npm ci, npm install and npm run prepare do', () => {
    expect(existsSync(join(REPO, 'out/cli/main.js'))).toBe(true);
    expect(prepareBuilds('exec')).toBe(false);
    for (const command of ['ci', 'install', 'run-script']) expect(prepareBuilds(command)).toBe(true);
  });
});
