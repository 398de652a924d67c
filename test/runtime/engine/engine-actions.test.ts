import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRunner } from '../../../runtime/actions/action-runner.js';
import { LiveClock } from '../../../runtime/clock/clock.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { Logger } from '../../../runtime/log/logger.js';
import { cap, dumpAction, tempDir, text, whole, type TempDir } from '../actions/helpers.js';
import { item, matcher, moduleOf } from './helpers.js';

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

function live(dump: string, items: Parameters<typeof moduleOf>) {
  const logged: string[] = [];
  const log = new Logger({ stdout: { write: (t: string) => logged.push(t) } });
  const runner = new ActionRunner(log, { baseEnv: { ...process.env, DUMP_FILE: dump } });
  const engine = new Engine(moduleOf(...items), { clock: new LiveClock(), actions: runner, log });
  engine.start();
  return { engine, runner, logged };
}

describe('Engine with real actions', () => {
  it('hostile log lines reach the child byte-exact as single argv words, and nothing else runs', async () => {
    dir = tempDir();
    const pwned = join(dir.path, 'pwned');
    const hostile = [
      `; rm -rf ${dir.path}/x`,
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      `"quoted" 'single' \\"mixed' ; touch ${pwned}`,
      'refers to $1 and $2 and $@ and $0',
      '\x1b[31mANSI\x1b[0m\x07',
      `a\u0085b\u2028c | touch ${pwned}`,
    ];
    const huge = 'evil: ' + 'Z'.repeat(1 << 20);
    const { engine, runner, logged } = live(dir.dump, [
      item({
        match: matcher(/^evil: (.*)$/s), upbound: null, lineMax: 100_000,
        upboundAction: dumpAction([cap(1)], [text('--')], [whole]),
      }),
    ]);
    engine.onLines(0, [...hostile.map((h) => `evil: ${h}`), 'evil: with\nnewline $(touch ' + pwned + ')', huge]);
    expect(await runner.drain(20_000)).toBe(true);
    // Two action threads: children may finish in any order.
    const sorted = (rows: string[][]): string[][] => [...rows].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
    const got = sorted(dir.records().map((r) => r.argv));
    const cut = huge.slice(0, 100_000);
    expect(got).toEqual(sorted([
      ...hostile.map((h) => [h, '--', `evil: ${h}`]),
      ['with\nnewline $(touch ' + pwned + ')', '--', 'evil: with\nnewline $(touch ' + pwned + ')'],
      [cut.slice('evil: '.length), '--', cut],
    ]));
    expect(dir.has('pwned')).toBe(false);
    expect(dir.has('x')).toBe(false);
    expect(engine.stats().items[0]).toMatchObject({ matched: 9, upboundFires: 9, cutLines: 1 });
    // The own log shows the fired lines escaped: no raw control character reaches it.
    expect(logged.join('').replace(/\n/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028]/);
  });

  it('a missing program is logged and the engine goes on firing', async () => {
    dir = tempDir();
    const { engine, runner, logged } = live(dir.dump, [
      item({ name: 'BROKEN', upbound: null, upboundAction: { shell: false, argv: [[text('/nonexistent/prog')], [cap(1)]], source: 'x' } }),
      item({ name: 'GOOD', upbound: null, upboundAction: dumpAction([cap(1)]) }),
    ]);
    engine.onLines(0, ['fail from 1']);
    engine.onLines(0, ['fail from 2']);
    expect(await runner.drain(10_000)).toBe(true);
    expect(dir.records().map((r) => r.argv[0]).sort()).toEqual(['1', '2']);
    expect(logged.filter((l) => l.includes('[BROKEN]') && l.includes('ENOENT')).length).toBe(2);
    expect(runner.stats()).toMatchObject({ spawnFailed: 2, succeeded: 2 });
  });
});
