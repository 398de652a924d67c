/**
 * runtime/prefilter/gram-scan-wasm.ts is gram-scan.wat assembled (base64), so the runtime needs
 * no assembler. This test assembles the text again and fails when the two differ; after editing
 * the .wat, `UPDATE_WASM=1 npx vitest run test/runtime/prefilter/gram-scan-wasm.test.ts` writes it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../compiler/manifest.js';
import { GRAM_SCAN_WASM } from '../../../runtime/prefilter/gram-scan-wasm.js';

const folder = join(packageRoot(), 'runtime', 'prefilter');

async function assemble(): Promise<string> {
  const tools = await wabt();
  const module = tools.parseWat('gram-scan.wat', readFileSync(join(folder, 'gram-scan.wat'), 'utf8'), { bulk_memory: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({}).buffer).toString('base64');
  } finally {
    module.destroy();
  }
}

function moduleText(base64: string): string {
  const lines = base64.match(/.{1,96}/g) ?? [];
  return [
    '// Generated from gram-scan.wat by test/runtime/prefilter/gram-scan-wasm.test.ts (UPDATE_WASM=1); do not edit.',
    '/** The gram index scan, a WebAssembly module, in base64. */',
    'export const GRAM_SCAN_WASM =',
    ...lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}

describe('gram-scan-wasm.ts', () => {
  it('is gram-scan.wat as assembled now', async () => {
    const base64 = await assemble();
    if (process.env.UPDATE_WASM === '1') writeFileSync(join(folder, 'gram-scan-wasm.ts'), moduleText(base64));
    expect(GRAM_SCAN_WASM).toBe(base64);
    expect(readFileSync(join(folder, 'gram-scan-wasm.ts'), 'utf8')).toBe(moduleText(base64));
  });
});
