import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRunner } from '../../../runtime/actions/action-runner.js';
import type { ActionRequest } from '../../../runtime/actions/action-sink.js';
import type { ActionSpec } from '../../../runtime/contract.js';
import { Logger } from '../../../runtime/log/logger.js';
import { running } from '../../helpers/proc.js';
import { item, tempDir, text, type TempDir } from './helpers.js';

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

/** The pids the sleepers wrote to `file` so far. */
function pidsIn(file: string): number[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map(Number) : [];
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

function request(spec: ActionSpec): ActionRequest {
  return { item: item(), kind: 'upbound', spec, captures: [], line: '', env: {} };
}

/** A shell action that writes its pid to `file` and then waits (ignoring SIGTERM when `stubborn`). */
function sleeper(file: string, stubborn = false): ActionSpec {
  return { shell: true, command: `${stubborn ? "trap '' TERM; " : ''}echo $$ >> ${file}; exec sleep 30`, source: 'test' };
}

describe('ActionRunner.stop', () => {
  it('starts nothing queued or submitted after it, ends the running actions, and resolves once they are gone', async () => {
    dir = tempDir();
    const pids = join(dir.path, 'pids');
    const runner = new ActionRunner(new Logger({ level: 'error', stdout: { write: () => {} } }), { threads: 2, itemThreads: 2, killGraceMs: 200 });
    for (let i = 0; i < 4; i++) runner.submit(request(sleeper(pids)));
    // Two run, two wait.
    const started = (): number[] => pidsIn(pids);
    await until(() => started().length === 2);
    expect(started()).toHaveLength(2);
    await runner.stop(300);
    runner.submit(request(sleeper(pids)));
    expect(started()).toHaveLength(2);
    expect(started().filter(running)).toEqual([]);
    expect(runner.stats()).toMatchObject({ submitted: 5, notStarted: 3, running: 0, queued: 0 });
  });

  it('ends one that ignores SIGTERM with SIGKILL after the grace', async () => {
    dir = tempDir();
    const pids = join(dir.path, 'pids');
    const runner = new ActionRunner(new Logger({ level: 'error', stdout: { write: () => {} } }), { threads: 1, killGraceMs: 200 });
    runner.submit(request(sleeper(pids, true)));
    await until(() => pidsIn(pids).length === 1);
    const [pid] = pidsIn(pids);
    await runner.stop(300);
    expect(running(pid!)).toBe(false);
    expect(runner.stats()).toMatchObject({ exitedBadly: 1, running: 0 });
  });

  it('refuses what comes after it though nothing ran', async () => {
    const runner = new ActionRunner(new Logger({ level: 'error', stdout: { write: () => {} } }));
    await runner.stop(100);
    runner.submit(request({ shell: false, argv: [[text('/bin/true')]], source: 'test' }));
    expect(runner.stats()).toMatchObject({ submitted: 1, notStarted: 1, running: 0 });
  });
});
