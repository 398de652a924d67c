/**
 * Per-item action latency under a slow-item flood (issue 15 §3): item SLOW submits 200 actions
 * that hang (`sleep 30`), then item FAST submits 40 quick ones (`/bin/true`), one every 25 ms.
 * The figure is FAST's submit → child-started latency (ActionRunner `onSpawn`), in one run:
 * - with per-item queues (the ActionRunner as the daemon builds it: 2 workers, an item at most 1);
 * - beside FAST alone, no flood (what the flood should not change);
 * - beside one queue for all items (the same runner with every action under one name and both
 *   workers open to it: first come first served, the scheduling before per-item queues), where
 *   FAST waits behind the flood. Actions not started within DEADLINE_MS count at DEADLINE_MS.
 */
import { ActionRunner } from '../runtime/actions/action-runner.js';
import type { ActionRequest } from '../runtime/actions/action-sink.js';
import type { ActionSpec, ItemSpec } from '../runtime/contract.js';
import { Logger } from '../runtime/log/logger.js';
import type { Benchmark, Figure } from './bench.js';

const SLOW_ACTIONS = 200;
const FAST_ACTIONS = 40;
const FAST_EVERY_MS = 25;
const DEADLINE_MS = 5_000;

const word = (text: string): { kind: 'text'; text: string } => ({ kind: 'text', text });
const SLEEP: ActionSpec = { shell: false, argv: [[word('/bin/sleep')], [word('30')]], source: '/bin/sleep 30' };
const TRUE: ActionSpec = { shell: false, argv: [[word('/bin/true')]], source: '/bin/true' };

function item(name: string): ItemSpec {
  return {
    name, path: '/dev/null', fileType: 'file', start: 'end', match: () => null, groupCount: 0,
    upbound: null, upboundAction: null, downbound: null, downboundAction: null, key: { kind: 'none' },
    maxKeys: 1, size: null, sizeAction: null, clock: 'arrival', timestamp: { format: 'auto' },
    lineMax: 65536, rotateWait: 0, actionTimeout: 60,
  };
}

type Mode = 'per-item' | 'alone' | 'one queue';

/** FAST's start latencies (ms), DEADLINE_MS for those not started by then, and how many started. */
async function run(mode: Mode): Promise<{ latencies: number[]; started: number }> {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const onSpawn = (request: ActionRequest): void => {
    const at = sent.get(request.env.RULEC_SEQ ?? '');
    if (at !== undefined) latencies.push(performance.now() - at);
  };
  const shared = mode === 'one queue';
  const runner = new ActionRunner(new Logger({ level: 'error', stdout: false }), { threads: 2, ...(shared ? { itemThreads: 2 } : {}), onSpawn });
  const [slow, fast] = shared ? [item('ALL'), item('ALL')] : [item('SLOW'), item('FAST')];
  const submit = (it: ItemSpec, spec: ActionSpec, env: Record<string, string>): void => {
    runner.submit({ item: it, kind: 'upbound', spec, captures: [], line: '', env });
  };
  try {
    if (mode !== 'alone') for (let i = 0; i < SLOW_ACTIONS; i++) submit(slow, SLEEP, { RULEC_ITEM: 'SLOW' });
    for (let i = 0; i < FAST_ACTIONS; i++) {
      sent.set(String(i), performance.now());
      submit(fast, TRUE, { RULEC_ITEM: 'FAST', RULEC_SEQ: String(i) });
      await new Promise((resolve) => setTimeout(resolve, FAST_EVERY_MS));
    }
    const end = performance.now() + DEADLINE_MS;
    while (latencies.length < FAST_ACTIONS && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    // stop() waits on timers that do not hold the process open (the daemon holds it itself).
    const hold = setInterval(() => {}, 1_000);
    await runner.stop(200);
    clearInterval(hold);
  }
  const started = latencies.length;
  while (latencies.length < FAST_ACTIONS) latencies.push(DEADLINE_MS);
  return { latencies: latencies.sort((a, b) => a - b), started };
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export const actionsBench: Benchmark = {
  name: 'runtime-actions',
  async run() {
    // Loading posix_spawn (koffi) takes a few hundred ms once: not part of any figure.
    const warm = new ActionRunner(new Logger({ level: 'error', stdout: false }));
    warm.submit({ item: item('WARM'), kind: 'upbound', spec: TRUE, captures: [], line: '', env: {} });
    await warm.drain(10_000);
    const alone = await run('alone');
    const perItem = await run('per-item');
    const oneQueue = await run('one queue');
    const figures: Figure[] = [
      { name: `fast item's actions not started within ${DEADLINE_MS / 1000} s, ${SLOW_ACTIONS} hanging actions of another item queued first`, value: FAST_ACTIONS - perItem.started, unit: `of ${FAST_ACTIONS}`, baseline: { name: 'one queue for all items', value: FAST_ACTIONS - oneQueue.started } },
    ];
    for (const [p, label] of [[0.5, 'p50'], [0.99, 'p99']] as const) {
      figures.push(
        { name: `fast item's action start ${label} under the slow flood, per-item queues`, value: percentile(perItem.latencies, p), unit: 'ms', baseline: { name: 'the fast item alone, no flood', value: percentile(alone.latencies, p) } },
        { name: `fast item's action start ${label} under the slow flood, per-item queues`, value: percentile(perItem.latencies, p), unit: 'ms', baseline: { name: `one queue for all items (unstarted counted as ${DEADLINE_MS} ms)`, value: percentile(oneQueue.latencies, p) } },
      );
    }
    return figures;
  },
};
