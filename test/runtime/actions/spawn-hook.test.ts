import { describe, expect, it } from 'vitest';
import { ActionRunner } from '../../../runtime/actions/action-runner.js';
import type { ActionRequest } from '../../../runtime/actions/action-sink.js';
import type { ActionSpec } from '../../../runtime/contract.js';
import { Logger } from '../../../runtime/log/logger.js';
import { item, text } from './helpers.js';

function request(spec: ActionSpec, name: string): ActionRequest {
  const it = item({ name });
  return { item: it, kind: 'upbound', spec, captures: [], line: '', env: { RULEC_ITEM: name } };
}

describe('ActionRunner onSpawn', () => {
  it('reports each started child once, before it ends, and not an action that could not start', async () => {
    const started: { name: string; at: number }[] = [];
    const runner = new ActionRunner(new Logger({ level: 'error', stdout: { write: () => {} } }), {
      threads: 1,
      onSpawn: (r) => started.push({ name: r.item.name, at: performance.now() }),
    });
    // One worker: the second starts only once the first, which lives 150 ms, has ended.
    const slow: ActionSpec = { shell: false, argv: [[text(process.execPath)], [text('-e')], [text('setTimeout(() => {}, 150)')]], source: 'x' };
    runner.submit(request(slow, 'first'));
    runner.submit(request({ shell: false, argv: [[text('/nonexistent/rulec-nothing')]], source: 'x' }, 'missing'));
    runner.submit(request({ shell: false, argv: [[text('/bin/true')]], source: 'x' }, 'second'));
    expect(await runner.drain(10_000)).toBe(true);
    expect(runner.stats()).toMatchObject({ succeeded: 2, spawnFailed: 1 });
    expect(started.map((s) => s.name)).toEqual(['first', 'second']);
    // Reported at the start: a hook at the end would put the two within /bin/true's run of each other.
    expect(started[1]!.at - started[0]!.at).toBeGreaterThanOrEqual(140);
  });
});
