// Run in a child process (bundled by engine-perf.test.ts): prints one JSON object with
// throughput and memory figures for the engine alone (hand-built items, counting sink).
import type { ActionRequest, ActionSink } from '../../../runtime/actions/action-sink.js';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { CONTRACT_VERSION, type ItemSpec, type RuleModule, type SourceSpec } from '../../../runtime/contract.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { Logger } from '../../../runtime/log/logger.js';

class CountingSink implements ActionSink {
  fired = 0;
  submit(_request: ActionRequest): void {
    this.fired++;
  }
}

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

function lines(items: number, count: number, ips: number, matchEvery: number): string[] {
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const svc = n % items;
    const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n % ips & 255}`;
    out.push(n % matchEvery === 0
      ? `Nov 23 12:00:00 host svc${svc}[${1000 + svc}]: Failed login for user${n % 50} from ${ip} port 22`
      : `Nov 23 12:00:00 host svc${svc}[${1000 + svc}]: Accepted publickey for user${n % 50} from ${ip} port 22`);
  }
  return out;
}

function throughput(itemCount: number, key: ItemSpec['key'], matchEvery: number): { linesPerSec: number; fired: number } {
  const clock = new ManualClock(0);
  const sink = new CountingSink();
  const items = Array.from({ length: itemCount }, (_, i) => programItem(i, key, 10_000));
  const engine = new Engine(moduleOf(items), { clock, actions: sink, log: new Logger() });
  const batch = lines(itemCount, 1000, 251, matchEvery);
  let done = 0;
  const start = process.hrtime.bigint();
  const deadline = start + 1_500_000_000n;
  for (let round = 0; round < 5000 && process.hrtime.bigint() < deadline; round++) {
    clock.advance(1);
    engine.onLines(0, batch);
    done += batch.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { linesPerSec: Math.round(done / seconds), fired: sink.fired };
}

function memory(): { baselineRssMb: number; rssMb: number; heapMb: number; keys: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage().rss;
  const clock = new ManualClock(0);
  const items = Array.from({ length: 200 }, (_, i) => programItem(i, { kind: 'capture', index: 2 }, 1000));
  const engine = new Engine(moduleOf(items), { clock, actions: new CountingSink(), log: new Logger() });
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

const result = {
  oneItem: throughput(1, { kind: 'capture', index: 2 }, 2),
  items200: throughput(200, { kind: 'capture', index: 2 }, 2),
  items200Crc: throughput(200, { kind: 'crc' }, 2),
  items200Rare: throughput(200, { kind: 'capture', index: 2 }, 50),
  memory: memory(),
};
process.stdout.write(JSON.stringify(result));
