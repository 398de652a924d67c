/**
 * runtime/prefilter/gram-scan-wasm.ts is gram-scan.wat assembled (base64), checked in so the
 * runtime needs no assembler. This test assembles the text again and fails when the shipped
 * bytes differ: after editing the .wat, run `npm run wasm` (tools/wasm.ts) and commit both.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GRAM_SCAN_WASM } from '../../../runtime/prefilter/gram-scan-wasm.js';
import { assembleWat, GRAM_SCAN_MODULE, GRAM_SCAN_WAT, wasmModuleText } from '../../../tools/wasm.js';

describe('gram-scan-wasm.ts', () => {
  it('ships the bytes gram-scan.wat assembles to (else: npm run wasm)', async () => {
    const base64 = await assembleWat(GRAM_SCAN_WAT);
    expect(GRAM_SCAN_WASM, 'gram-scan-wasm.ts is not gram-scan.wat as assembled now: run npm run wasm').toBe(base64);
    expect(readFileSync(GRAM_SCAN_MODULE, 'utf8')).toBe(wasmModuleText(base64));
  });
});
