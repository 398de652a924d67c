// Run in a child process (bundled by engine-memory.test.ts): prints one JSON object with the
// engine's memory holding 100,000 live keys (hand-built items, counting sink). Throughput is
// measured by bench/, never by tests.
import type { ActionSink } from '../../../runtime/actions/action-sink.js';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { CONTRACT_VERSION, type ItemSpec, type RuleModule, type SourceSpec } from '../../../runtime/contract.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { Logger } from '../../../runtime/log/logger.js';

/** Fired actions are dropped: only what the engine holds is measured. */
const NO_ACTIONS: ActionSink = { submit: () => {} };

const ACTION = { shell: false as const, argv: [[{ kind: 'text' as const, text: '/bin/true' }]], source: '/bin/true' };

function programItem(i: number, key: ItemSpec['key'], maxKeys: number): ItemSpec {
  const re = new RegExp(`^\\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ svc${i}\\[\\d+\\]: Failed login for (\\S+) from (\\S+)`);
  return {
    name: `SVC${i}`, path: '/var/log/auth.log', fileType: 'file', start: 'end',
    match: (line) => {
      const m = re.exec(line);
      return m === null ? null : { captures: m };
    },
    groupCount: 2, upbound: { count: 5, seconds: 60 }, upboundAction: ACTION, downbound: null, downboundAction: null,
    key, maxKeys, size: null, sizeAction: null, clock: 'arrival', timestamp: { format: 'auto' },
    lineMax: 65536, rotateWait: 0, actionTimeout: 0,
  };
}

/** A prefilter as a compiled one: each item's literal is its program name, so one item is a candidate per line. */
function moduleOf(items: ItemSpec[]): RuleModule {
  const source: SourceSpec = {
    path: '/var/log/auth.log', fileType: 'file', start: 'end', items: items.map((_, i) => i),
    literals: items.map((_, i) => ` svc${i}[`),
  };
  return {
    contractVersion: CONTRACT_VERSION, name: 'probe', settings: {},
    engine: { actionThreads: 2, uid: null, gid: null, stateDir: null }, items, sources: [source], blocks: [],
  };
}

function memory(): { baselineRssMb: number; rssMb: number; heapMb: number; keys: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().rss;
  const clock = new ManualClock(0);
  const items = Array.from({ length: 200 }, (_, i) => programItem(i, { kind: 'capture', index: 2 }, 1000));
  const engine = new Engine(moduleOf(items), { clock, actions: NO_ACTIONS, log: new Logger() });
  // 100,000 distinct source addresses, 500 per item, each seen 3 times (3 of 5 ring slots used).
  for (let pass = 0; pass < 3; pass++) {
    for (let b = 0; b < 100; b++) {
      const batch: string[] = [];
      for (let n = b * 1000; n < (b + 1) * 1000; n++) {
        const svc = n % 200;
        batch.push(`Nov 23 12:00:00 host svc${svc}[1]: Failed login for root from 2001:db8::${n.toString(16)}:${svc.toString(16)} port 22`);
      }
      clock.advance(1);
      engine.onLines(0, batch);
    }
  }
  gc?.();
  const used = process.memoryUsage();
  const keys = engine.stats().items.reduce((n, s) => n + s.keys, 0);
  const mb = (b: number): number => Math.round((b / 1048576) * 10) / 10;
  return { baselineRssMb: mb(baseline), rssMb: mb(used.rss), heapMb: mb(used.heapUsed), keys };
}

process.stdout.write(JSON.stringify(memory()));
