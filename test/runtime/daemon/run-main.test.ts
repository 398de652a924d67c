/** `runMain`: cases that end before a daemon serves, in this process; a crash, in a process of its own. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../compiler/manifest.js';
import { CONTRACT_VERSION } from '../../../runtime/contract.js';
import { runMain, type DaemonIo } from '../../../runtime/daemon/main.js';
import { ruleModule, tempDir, type TempDir } from './helpers.js';

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: DaemonIo = { out: (text) => void (out += text), err: (text) => void (err += text) };
  const code = await runMain(argv, { rules: { modules: [ruleModule([])] }, io });
  return { code, out, err };
}

describe('runMain of a bundle', () => {
  it('refuses -T REGEX with a clear reason, exit 2: a bundle carries no regex translator', async () => {
    expect(await run(['-T', 'x(\\d+)'])).toEqual({
      code: 2,
      out: '',
      err: 'rulec: -T needs the rulec command (rulec run -T REGEX, or rulec regex REGEX): a bundle cannot translate a regex\n',
    });
  });
});

describe('runMain as a process', () => {
  it('an exception nothing caught stops the daemon as SIGTERM does: said in the log, pid file removed, exit 2', () => {
    dir = tempDir();
    const pidFile = dir.file('rulec.pid');
    const main = pathToFileURL(join(packageRoot(), 'out', 'runtime', 'daemon', 'main.js')).href;
    // A service whose timer throws once the daemon runs: a bug nothing catches.
    const script = [
      `const { runMain } = await import(${JSON.stringify(main)});`,
      "const faulty = { blocks: ['snort'], create: () => ({ name: 'faulty', start: async () => void setTimeout(() => { throw new Error('boom'); }, 200), replace: async () => {}, stop: async () => {} }) };",
      `const module = { contractVersion: ${CONTRACT_VERSION}, name: 'x.rules', settings: {}, engine: { actionThreads: 1, uid: null, gid: null, stateDir: null }, items: [], sources: [], blocks: [{ kind: 'snort', logdir: '/nonexistent', variant: 'snort2', handlers: [] }] };`,
      `process.exitCode = await runMain(['-s', '-p', ${JSON.stringify(pidFile)}], { rules: { modules: [module] }, services: [faulty] });`,
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stdout).toMatch(/running 0 item\(s\) and 1 snort block from x\.rules[\s\S]*error internal error: Error: boom[\s\S]*stopped: 0 line\(s\) read/);
    expect(existsSync(pidFile)).toBe(false);
  });
});
