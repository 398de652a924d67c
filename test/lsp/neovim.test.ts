/**
 * End to end with a real editor: headless Neovim (Debian's, 0.7 or newer) opens a broken rule
 * file with `rulec lsp` attached through its own LSP client; the test reads back the
 * diagnostics Neovim received, a completion list and a hover.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_KEY_DOCS } from '../../compiler/check/key-docs.js';
import { BIN, tempDir } from '../cli/run-cli.js';

const SCRIPT = fileURLToPath(new URL('./neovim-client.lua', import.meta.url));

interface Seen {
  readonly error: string;
  readonly diagnostics: { line: number; col: number; severity: number; code: string; message: string }[];
  readonly completion: string[];
  readonly hover: string;
}

describe('rulec lsp in Neovim', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => ({ dir, remove } = tempDir('rulec-nvim-')));
  afterAll(() => remove());

  it('shows the diagnostics, completes keys and hovers them', async () => {
    const file = join(dir, 'broken.rules');
    const out = join(dir, 'seen.json');
    writeFileSync(file, '[SSH]\npath = /var/log/auth.log\nregx = Failed password\nupbound_action = /bin/true\n\n');
    const lua = (value: string): string => JSON.stringify(value);
    const code = await new Promise<number | null>((resolve, reject) => {
      const nvim = spawn('nvim', [
        '--headless', '--clean', '-n',
        '-c', `lua RULEC = { ${lua(process.execPath)}, ${lua(BIN)}, 'lsp' }; OUT = ${lua(out)}`,
        '-c', `luafile ${SCRIPT}`,
        file,
      ], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      nvim.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      // Bounded: the script's own waits are 20 s each; past this Neovim is stuck.
      const timer = setTimeout(() => nvim.kill('SIGKILL'), 60_000);
      nvim.on('error', (error) => reject(new Error(`cannot start nvim (install Debian's neovim): ${error.message}`)));
      nvim.on('close', (status) => {
        clearTimeout(timer);
        if (stderr !== '') console.error(stderr);
        resolve(status);
      });
    });
    expect(code).toBe(0);
    const seen = JSON.parse(readFileSync(out, 'utf8')) as Seen;
    expect(seen.error).toBe('');
    expect(seen.diagnostics).toEqual([{ line: 2, col: 0, severity: 1, code: 'R301', message: 'unknown key `regx`' }]);
    expect(seen.completion).toEqual(expect.arrayContaining(['regex', 'upbound_freq', 'usecrc']));
    expect(seen.completion).not.toContain('path');
    expect(seen.hover).toContain(ITEM_KEY_DOCS.path.what);
  }, 90_000);
});
