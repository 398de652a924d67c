import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, type BlockSpec, type RuleModule } from '../../../runtime/contract.js';
import { createDaemon, type Daemon } from '../../../runtime/daemon/daemon.js';
import type { ServiceKind } from '../../../runtime/daemon/services.js';
import { Logger } from '../../../runtime/log/logger.js';
import { packageRoot } from '../../../compiler/manifest.js';
import { cap, item, markerAction, ruleModule, tempDir, waitFor, type TempDir } from './helpers.js';

let dir: TempDir;
let daemon: Daemon | null = null;
afterEach(async () => {
  await daemon?.stop();
  daemon = null;
  dir?.remove();
});

const quiet = (): Logger => new Logger({ level: 'error', stdout: { write: () => {} } });

const watchBlock: BlockSpec = { kind: 'watch', logfile: '/var/log/messages', description: null, mimeFile: null, trim: false, ignore: [], filter: [] };
const snortBlock: BlockSpec = { kind: 'snort', logdir: '/var/log/snort', variant: 'snort2', handlers: [] };

/** A service kind for snort blocks that records what the daemon asks of it. */
function recordingService(calls: string[]): ServiceKind {
  return {
    blocks: ['snort'],
    create: () => ({
      name: 'recorder',
      start: async (modules) => void calls.push(`start ${modules.flatMap((m) => m.blocks).filter((b) => b.kind === 'snort').length}`),
      replace: async (modules) => void calls.push(`replace ${modules.length}`),
      stop: async () => void calls.push('stop'),
    }),
  };
}

describe('createDaemon', () => {
  it('runs the items live and hands every service the rule set at start, on reload and at stop', async () => {
    dir = tempDir();
    const logFile = dir.file('app.log');
    writeFileSync(logFile, '');
    const records = dir.file('records');
    const errors = item('ERRORS', logFile, /ERROR (\w+)/, { upboundAction: markerAction(records, [cap(1)]) });
    const module: RuleModule = { ...ruleModule([errors]), blocks: [snortBlock, watchBlock] };
    const calls: string[] = [];
    daemon = createDaemon([module], { log: quiet(), services: [recordingService(calls)] });
    expect(daemon.coverage).toEqual({ items: 1, served: new Map([['snort', 1]]), left: new Map([['watch', 1]]) });
    await daemon.start();
    appendFileSync(logFile, 'ERROR one\n');
    expect(await waitFor(() => dir.records('records').length === 1)).toBe(true);
    // The record is written before the action exits: on a busy machine the exit can come after a stop began.
    expect(await waitFor(() => daemon!.stats().actions.succeeded === 1)).toBe(true);
    expect(daemon.stats().items[0]).toMatchObject({ name: 'ERRORS', matched: 1 });
    await daemon.replace([module, ruleModule([])]);
    const stats = await daemon.stop();
    expect(calls).toEqual(['start 1', 'replace 2', 'stop']);
    expect(stats).toMatchObject({ linesRead: 1, actions: { submitted: 1, succeeded: 1, notStarted: 0 } });
  });

  it('gives the counters of a service only while it serves a block, or once it counted something', async () => {
    dir = tempDir();
    let received = 0;
    const counting: ServiceKind = {
      blocks: ['snort'],
      create: () => ({
        name: 'snort listener', start: async () => {}, replace: async () => {}, stop: async () => {},
        stats: () => ({ name: 'snort listener', counts: { 'datagram(s) received': received }, items: [] }),
      }),
    };
    daemon = createDaemon([ruleModule([])], { log: quiet(), services: [counting] });
    await daemon.start();
    expect(daemon.stats().services).toEqual([]);
    await daemon.replace([{ ...ruleModule([]), blocks: [snortBlock] }]);
    expect(daemon.stats().services.map((s) => s.name)).toEqual(['snort listener']);
    received = 2;
    await daemon.replace([ruleModule([])]);
    expect((await daemon.stop()).services).toEqual([{ name: 'snort listener', counts: { 'datagram(s) received': 2 }, items: [] }]);
  });

  it('stops each part though another fails to stop, and says which', async () => {
    dir = tempDir();
    const logged: string[] = [];
    const failing: ServiceKind = {
      blocks: [],
      create: () => ({ name: 'broken service', start: async () => {}, replace: async () => {}, stop: async () => Promise.reject(new Error('socket gone')) }),
    };
    const calls: string[] = [];
    daemon = createDaemon([ruleModule([])], {
      log: new Logger({ stdout: { write: (t: string) => logged.push(t) } }),
      services: [recordingService(calls), failing],
    });
    await daemon.start();
    await daemon.stop();
    expect(calls).toEqual(['start 0', 'stop']);
    expect(logged.join('')).toContain('error stopping broken service: socket gone');
  });

  it('holds the process open while it runs: with nothing else to wait on, it ends through stop(), not with exit 13', () => {
    // A daemon with no file to follow (its one service does nothing), and a stop on a timer that
    // does not hold the process open itself: built JS, in a process of its own.
    const daemonModule = pathToFileURL(join(packageRoot(), 'out', 'runtime', 'daemon', 'daemon.js')).href;
    const loggerModule = pathToFileURL(join(packageRoot(), 'out', 'runtime', 'log', 'logger.js')).href;
    const script = [
      `const { createDaemon } = await import(${JSON.stringify(daemonModule)});`,
      `const { Logger } = await import(${JSON.stringify(loggerModule)});`,
      "const idle = { blocks: ['snort'], create: () => ({ name: 'idle', start: async () => {}, replace: async () => {}, stop: async () => {} }) };",
      `const module = { contractVersion: ${CONTRACT_VERSION}, name: 'x.rules', settings: {}, engine: { actionThreads: 1, uid: null, gid: null, stateDir: null }, items: [], sources: [], blocks: [{ kind: 'snort', logdir: '/nonexistent', variant: 'snort2', handlers: [] }] };`,
      'const daemon = createDaemon([module], { log: new Logger({ level: "error" }), services: [idle] });',
      'await daemon.start();',
      'await new Promise((resolve) => setTimeout(() => void daemon.stop().then(resolve), 300).unref());',
      "console.log('stopped');",
    ].join('\n');
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(out).toBe('stopped\n');
  });
});
