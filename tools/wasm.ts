/**
 * `npm run wasm`: assembles runtime/prefilter/gram-scan.wat with wabt (a devDependency) into
 * runtime/prefilter/gram-scan-wasm.ts, the module's bytes as base64, which is checked in: the
 * runtime and bundle.mjs then need no assembler, and wabt (pinned by package-lock.json) gives
 * the same bytes for the same text. test/runtime/prefilter/gram-scan-wasm.test.ts fails when
 * the checked-in bytes are not the .wat's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wabt from 'wabt';
import { packageRoot } from '../compiler/manifest.js';

const FOLDER = join(packageRoot(), 'runtime', 'prefilter');
/** The text the runtime's module is assembled from, and the module it is written to. */
export const GRAM_SCAN_WAT = join(FOLDER, 'gram-scan.wat');
export const GRAM_SCAN_MODULE = join(FOLDER, 'gram-scan-wasm.ts');

/** The WebAssembly text of `watFile` assembled and validated, as base64. */
export async function assembleWat(watFile: string): Promise<string> {
  const tools = await wabt();
  const module = tools.parseWat(watFile, readFileSync(watFile, 'utf8'), { bulk_memory: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({}).buffer).toString('base64');
  } finally {
    module.destroy();
  }
}

/** The TypeScript module that ships `base64` as `GRAM_SCAN_WASM`. */
export function wasmModuleText(base64: string): string {
  const lines = base64.match(/.{1,96}/g) ?? [];
  return [
    '// Generated from gram-scan.wat by `npm run wasm` (tools/wasm.ts); do not edit.',
    '/** The gram index scan, a WebAssembly module, in base64. */',
    'export const GRAM_SCAN_WASM =',
    ...lines.map((line, i) => `  '${line}'${i === lines.length - 1 ? ';' : ' +'}`),
    '',
  ].join('\n');
}

/** Assembles gram-scan.wat and writes gram-scan-wasm.ts. */
export async function writeGramScan(): Promise<void> {
  writeFileSync(GRAM_SCAN_MODULE, wasmModuleText(await assembleWat(GRAM_SCAN_WAT)));
}
