import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { running } from '../../helpers/proc.js';
import { waitFor } from '../../helpers/wait-for.js';
import { REPO } from '../../cli/run-cli.js';

describe('spawnDetached', () => {
  it('stops a background copy that did not report ready in time, instead of leaving it running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-detach-'));
    try {
      const module = pathToFileURL(`${REPO}/out/runtime/daemon/detach.js`).href;
      const pidFile = join(dir, 'child.pid');
      // The background copy (the same script, run again) never says it is ready.
      const script = join(dir, 'slow.mjs');
      writeFileSync(script, [
        `import { writeFileSync } from 'node:fs';`,
        `const { isDetachedChild, spawnDetached } = await import(${JSON.stringify(module)});`,
        `if (isDetachedChild()) { writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000); }`,
        `else console.log(JSON.stringify(await spawnDetached(${JSON.stringify(join(dir, 'own.log'))}, 1500)));`,
      ].join('\n'));
      const parent = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
      expect(JSON.parse(parent.stdout)).toEqual({ error: 'background process did not start within 1500 ms; stopped it' });
      expect(existsSync(pidFile)).toBe(true);
      const child = Number(readFileSync(pidFile, 'utf8'));
      expect(await waitFor(() => !running(child), 20_000)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
