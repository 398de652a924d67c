/**
 * `manifest.json`: what a build was made from and with, for audits and reproducible builds.
 * No timestamps and no absolute paths, so two builds of the same inputs are byte-identical.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GRAMMAR_VERSION } from '../grammar/version.js';
import { CONTRACT_VERSION } from '../runtime/contract.js';
import type { RuleModel } from './model.js';

/** Items and block kinds that came from one rule file. */
export interface ManifestRules {
  readonly file: string;
  readonly items: readonly string[];
  readonly blocks: readonly string[];
}

/** The content of `manifest.json`. */
export interface Manifest {
  readonly name: string;
  readonly packageVersion: string;
  readonly grammarVersion: string;
  readonly contractVersion: number;
  /** Every rule file read, entry first, relative to the entry's directory. */
  readonly sources: readonly string[];
  readonly rules: readonly ManifestRules[];
  /** sha256 (hex) of each input file's bytes, by the names in `sources`. */
  readonly inputs: Readonly<Record<string, string>>;
  /** sha256 (hex) of each written output, by file name. */
  readonly outputs: Readonly<Record<string, string>>;
}

/** Hex sha256 of text (UTF-8) or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The directory holding this package's package.json, found by walking up from this module (source or built). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'rulec') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('rulec package.json not found above the compiler');
    dir = parent;
  }
}

/** The `version` of rulec's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Builds the manifest. `inputs` holds the bytes of each file in `model.files`; `outputs` the
 * written files (the manifest itself excluded).
 */
export function createManifest(
  model: RuleModel,
  inputs: ReadonlyMap<string, string | Uint8Array>,
  outputs: readonly { readonly path: string; readonly data: string | Uint8Array }[],
): Manifest {
  const rules: ManifestRules[] = model.files.map((file) => ({
    file,
    items: model.items.filter((item) => item.span.file === file).map((item) => item.name),
    blocks: model.blocks.filter((block) => block.span.file === file).map((block) => (block.kind === 'custom' ? block.alias : block.kind)),
  }));
  // fromEntries defines own properties: a file named __proto__ keeps its hash.
  const inputHashes = Object.fromEntries(
    model.files.flatMap((file) => {
      const data = inputs.get(file);
      return data === undefined ? [] : [[file, sha256(data)]];
    }),
  );
  const outputHashes = Object.fromEntries(
    [...outputs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((output) => [output.path, sha256(output.data)]),
  );
  return {
    name: model.name,
    packageVersion: packageVersion(),
    grammarVersion: GRAMMAR_VERSION,
    contractVersion: CONTRACT_VERSION,
    sources: model.files,
    rules,
    inputs: inputHashes,
    outputs: outputHashes,
  };
}

/** The manifest as written: two-space JSON with a final newline. */
export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
