/**
 * Snort alerts: how fast datagrams decode (alerts per second, the real 65,864-byte datagram,
 * beside a baseline that only reads its fixed fields with a DataView, so the figure shows the
 * cost of the headers, the JSON record and the alert_fast line), and a burst over a real socket
 * from another process, as Snort sends it: blocking (Snort's own socket: nothing is lost, the
 * sender waits; its time is printed) and non-blocking (what a full queue loses). Received and
 * lost counts are printed for bursts of 1,000 and 10,000. The receive buffer is the listener's
 * (8 MiB asked); for unix datagram sockets the kernel's queue is bounded by
 * net.unix.max_dgram_qlen and the sender's SO_SNDBUF, which the listener cannot raise. Last,
 * `rulec test --alerts`'s replay of a unified2 file through a rule and a json handler, beside
 * reading the file alone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '../runtime/log/logger.js';
import { SnortListener } from '../runtime/sources/snort/alert-listener.js';
import { replayAlerts } from '../runtime/sources/snort/replay-alerts.js';
import { readUnified2 } from '../runtime/sources/snort/unified2.js';
import { decodeSnortAlert, alertRecord, fastAlertLine } from '../runtime/sources/snort/snort-alert.js';
import { corpusPath, type Benchmark, type Figure } from './bench.js';
import { ruleModule } from './runtime-common.js';

const DECODES = 20_000;

function decodeRate(datagram: Buffer): { full: number; baseline: number } {
  const options = { variant: 'snort2' as const, byteOrder: 'little' as const, classifications: new Map() };
  let sink = 0;
  let start = performance.now();
  for (let i = 0; i < DECODES; i++) {
    const alert = decodeSnortAlert(datagram, 'bench', options);
    if (!('error' in alert)) sink += JSON.stringify(alertRecord(alert)).length + fastAlertLine(alert).length;
  }
  const full = DECODES / ((performance.now() - start) / 1000);
  start = performance.now();
  for (let i = 0; i < DECODES; i++) {
    const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
    for (let at = 256; at < 292; at += 4) sink += view.getUint32(at, true);
    for (let at = 65_828; at < 65_864; at += 4) sink += view.getUint32(at, true);
  }
  const baseline = DECODES / ((performance.now() - start) / 1000);
  if (sink === 0) throw new Error('nothing decoded');
  return { full, baseline };
}

async function burst(datagramFile: string, count: number, mode: 'blocking' | 'nonblocking'): Promise<{ received: number; lost: number; senderMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-snort-'));
  const path = join(dir, 'snort_alert');
  let decoded = 0;
  const listener = new SnortListener(
    { paths: [path], variant: 'snort2', byteOrder: 'little', classifications: new Map() },
    { alert: () => decoded++, bad: () => undefined, failed: (m) => { throw new Error(m); } },
  );
  listener.start();
  try {
    const sender = fileURLToPath(new URL('./snort-sender.js', import.meta.url));
    // A separate process, as Snort is, while this event loop stays free to take the alerts.
    const child = spawn(process.execPath, [sender, path, datagramFile, String(count), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    if (code !== 0) throw new Error(`sender exited ${code}`);
    const sent = JSON.parse(out) as { sent: number; lost: number; ms: number };
    const deadline = Date.now() + 30_000;
    while (decoded < sent.sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const stats = listener.stats();
    return { received: stats.decoded, lost: count - stats.decoded, senderMs: sent.ms };
  } finally {
    await listener.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The corpus's 6-event unified2 file this many times over. */
const REPLAY_COPIES = 2000;

async function replayRate(): Promise<{ replayed: number; baseline: number; alerts: number }> {
  const bytes = Buffer.concat(Array.from({ length: REPLAY_COPIES }, () => readFileSync(corpusPath('snort/idstools_merged.unified2'))));
  const dir = mkdtempSync(join(tmpdir(), 'rulec-bench-replay-'));
  try {
    const module = await ruleModule(dir, 'replay.rules', `snort <<__S
    logdir ${dir}
    handler json file=${join(dir, 'alerts.jsonl')}
    rule WEB <<__R
        sid 498
        src 172.16.0.0/12
        key $src
        upbound_freq 20/60
        upbound_action /bin/true "$src"
    __R
__S
`);
    let start = performance.now();
    const alerts = readUnified2(bytes).alerts.length;
    const baseline = alerts / ((performance.now() - start) / 1000);
    start = performance.now();
    const [block] = await replayAlerts(module, 'bench.unified2', bytes, {
      handlers: { log: new Logger({ level: 'error' }), output: 'none', terminal: 'none', mail: null },
      onEvent: () => undefined,
    });
    const replayed = (block?.decoded ?? 0) / ((performance.now() - start) / 1000);
    return { replayed, baseline, alerts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const snortBench: Benchmark = {
  name: 'runtime-snort',
  async run() {
    const file = corpusPath('snort/test_alert.bin');
    const rate = decodeRate(readFileSync(file));
    const figures: Figure[] = [
      { name: 'alerts decoded (fields, headers, JSON record, alert_fast line)', value: Math.round(rate.full), unit: 'alerts/s', baseline: { name: 'fixed fields read only', value: Math.round(rate.baseline) } },
    ];
    for (const count of [1000, 10_000]) {
      for (const mode of ['blocking', 'nonblocking'] as const) {
        const b = await burst(file, count, mode);
        figures.push(
          { name: `burst of ${count}, ${mode} sender: received`, value: b.received, unit: 'alerts', ...(count === 1000 && mode === 'blocking' ? { goal: '= 1000 (none lost)' } : {}) },
          { name: `burst of ${count}, ${mode} sender: lost`, value: b.lost, unit: 'alerts' },
          { name: `burst of ${count}, ${mode} sender: time sending`, value: Math.round(b.senderMs), unit: 'ms' },
        );
      }
    }
    const replay = await replayRate();
    figures.push({
      name: `rulec test --alerts: ${replay.alerts} unified2 alerts through a rule and a json handler`,
      value: Math.round(replay.replayed),
      unit: 'alerts/s',
      baseline: { name: 'the unified2 file read only', value: Math.round(replay.baseline) },
    });
    return figures;
  },
};
