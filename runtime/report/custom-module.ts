import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BlockSpec } from '../contract.js';
import { defaultMimeFile, directiveValue, type EntryContext, type ReportEntry, type ReportOutput } from './report-entry.js';
import { inputFileFix, inputFileProblem } from '../fs/trusted-file.js';
import { ReportError } from './report-error.js';

/** A custom block, as the compiler records it. */
export type CustomBlock = Extract<BlockSpec, { readonly kind: 'custom' }>;

/** Imports a module file and returns its namespace; the CLI passes one that also takes TypeScript. */
export type ModuleImporter = (file: string) => Promise<Record<string, unknown>>;

/** Imports JavaScript (`.js`, `.mjs`, `.cjs`) with Node's own `import()`. */
export const importJavaScript: ModuleImporter = async (file) => {
  if (/\.[cm]?tsx?$/.test(file)) throw new Error('a TypeScript module needs the rulec command (rulec report), not a bundle: compile it to .js');
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
};

const cache = new Map<string, Promise<Record<string, unknown>>>();

/**
 * The entry of a custom block: imports the module of its `module Name alias PATH` line (PATH
 * relative to the rule file's directory), takes its export named `Name` (or its default export),
 * and makes a new instance with `new Export(context)` for each block, as MailLog did. The
 * instance needs a `run(out)`; the rest of ReportEntry has MailLog's defaults (`mime_file` and
 * `description` from the block's directives, no validation, encrypted), and `mime_file` and
 * `description` may also be methods, as in MailLog. Throws ReportError when any of that fails,
 * and (R381) before importing a module file another user could change (inputFileProblem).
 */
export async function customEntry(block: CustomBlock, context: EntryContext, importer: ModuleImporter = importJavaScript): Promise<ReportEntry> {
  const file = isAbsolute(block.path) ? block.path : join(context.baseDir, block.path);
  const what = `module ${block.module} (${block.path})`;
  if (/\.pm$/.test(file)) throw new ReportError(`${what}: a Perl module cannot run in rulec; write it in JavaScript or TypeScript (docs/modules.md)`);
  // Its code runs as whoever runs the report, root as a rule: never code another user could change.
  const problem = inputFileProblem(file);
  if (problem !== null) throw new ReportError(`${what}: error[R381]: refusing to load it: ${problem}, so another user could change code rulec runs; ${inputFileFix()}`);
  let loading = cache.get(file);
  if (loading === undefined) {
    loading = importer(file);
    cache.set(file, loading);
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = await loading;
  } catch (error) {
    throw new ReportError(`${what}: cannot load it: ${(error as Error).message}`);
  }
  const exported = Object.hasOwn(namespace, block.module) ? namespace[block.module] : namespace.default;
  if (typeof exported !== 'function') throw new ReportError(`${what}: exports no class named ${block.module} and no default class`);
  let instance: unknown;
  try {
    instance = new (exported as new (context: EntryContext) => unknown)(context);
  } catch (error) {
    throw new ReportError(`${what}: its constructor failed: ${(error as Error).message}`);
  }
  if (typeof instance !== 'object' || instance === null || typeof (instance as { run?: unknown }).run !== 'function') {
    throw new ReportError(`${what}: its entry has no run(out) method`);
  }
  return new ModuleEntry(instance as Partial<ModuleInstance> & Pick<ModuleInstance, 'run'>, context);
}

interface ModuleInstance {
  mime_file: string | (() => string);
  description: string | (() => string);
  validate(): unknown;
  run(out: ReportOutput): unknown;
  finish(): unknown;
  encrypted(): unknown;
}

/** A module's instance with MailLog's defaults for what it leaves out. */
class ModuleEntry implements ReportEntry {
  readonly mime_file: string;
  readonly description: string;

  constructor(
    private readonly instance: Partial<ModuleInstance> & Pick<ModuleInstance, 'run'>,
    context: EntryContext,
  ) {
    this.mime_file = text(instance, 'mime_file') ?? directiveValue(context.directives, 'mime_file') ?? defaultMimeFile(context.kind, context.index);
    this.description = text(instance, 'description') ?? directiveValue(context.directives, 'description') ?? context.kind;
  }

  async validate(): Promise<void> {
    await this.instance.validate?.();
  }

  async run(out: ReportOutput): Promise<void> {
    await this.instance.run(out);
  }

  async finish(): Promise<void> {
    await this.instance.finish?.();
  }

  encrypted(): boolean {
    // Only an explicit false counts: anything else keeps the body encrypted.
    return this.instance.encrypted?.() !== false;
  }
}

function text(instance: Partial<ModuleInstance>, name: 'mime_file' | 'description'): string | undefined {
  const value = typeof instance[name] === 'function' ? (instance[name] as () => unknown).call(instance) : instance[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
