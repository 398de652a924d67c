/**
 * The language server on a 2,000-line rule file: time from a change to the diagnostics it
 * publishes for that change (goal ≤ 100 ms), beside checking the same file in process, and
 * the server's RSS after opening it, beside `rulec check` of the same file (its peak RSS).
 * Both run as real processes (`node bin/rulec.js`), in the same run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { loadCompiler } from '../compiler/api.js';
import { medianMs, templateRules, type Benchmark } from './bench.js';

const LINES = 2_000;
const CHANGES = 15;
const BIN = fileURLToPath(new URL('../../bin/rulec.js', import.meta.url));

function ruleFile(): string {
  const items = templateRules(Math.floor(LINES / 6)).split('\n');
  return [...items, ...Array.from({ length: LINES - items.length }, (_, i) => `# padding ${i}`)].join('\n');
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

export const lspBench: Benchmark = {
  name: 'lsp-diagnostics',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-lsp-bench-'));
    const path = join(dir, 'bench.rules');
    const text = ruleFile();
    writeFileSync(path, text);
    const uri = pathToFileURL(path).href;
    const server = spawn(process.execPath, [BIN, 'lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const arrived = new Map<number, number>();
    let wake: (() => void) | undefined;
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      if (params.uri === uri && params.version !== undefined) arrived.set(params.version, performance.now());
      wake?.();
    });
    connection.listen();
    const published = async (version: number): Promise<number> => {
      const deadline = performance.now() + 30_000;
      while (!arrived.has(version)) {
        if (performance.now() > deadline) throw new Error(`no diagnostics for version ${version}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 1_000);
        });
      }
      return arrived.get(version)!;
    };
    try {
      await connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: pathToFileURL(dir).href, capabilities: {} });
      await connection.sendNotification(InitializedNotification.type, {});
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rules', version: 1, text } });
      await published(1);
      const rss = rssKb(server.pid!);
      const latencies: number[] = [];
      for (let version = 2; version < 2 + CHANGES; version++) {
        // One keystroke: a comment line's text changes.
        const sent = performance.now();
        await connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line: LINES - 1, character: 0 }, end: { line: LINES - 1, character: 1 } }, text: version % 2 === 0 ? '#' : '#' }],
        });
        latencies.push((await published(version)) - sent);
      }
      latencies.sort((a, b) => a - b);
      const { checkFiles } = await loadCompiler();
      const checkMs = await medianMs(7, () => checkFiles([path]));
      const checkRss = spawnSync(process.execPath, ['--input-type=module', '-e',
        `const { main } = await import(${JSON.stringify(pathToFileURL(join(BIN, '../../out/cli/main.js')).href)}); await main(['check', ${JSON.stringify(path)}], { out() {}, err() {} }); console.log(process.resourceUsage().maxRSS);`,
      ], { encoding: 'utf8' });
      return [
        {
          name: `change to published diagnostics, ${LINES.toLocaleString('en-US')}-line file (median of ${CHANGES}, 30 ms debounce included)`,
          value: latencies[Math.floor(latencies.length / 2)]!,
          unit: 'ms',
          goal: '≤ 100 ms',
          baseline: { name: 'checkFiles of the same file in process, patterns\' analyses remembered as in the server', value: checkMs },
        },
        {
          name: 'server RSS after opening the file',
          value: rss / 1024,
          unit: 'MB',
          baseline: { name: 'rulec check of the same file, peak RSS', value: Number(checkRss.stdout.trim()) / 1024 },
        },
      ];
    } finally {
      connection.dispose();
      server.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
