/** MailLog blocks (`command`, `monitor`, `watch`), the Snort listener and custom module blocks. */
import type { BlockStatement, CommandStatement } from '../../grammar/ast.js';
import { didYouMean } from '../did-you-mean.js';
import type { BlockModel, ModuleDeclaration } from '../model.js';
import { suggestion } from './context.js';
import type { CheckContext } from './context.js';
import { readBody, single } from './directives.js';
import { BLOCK_DIRECTIVES, BUILTIN_BLOCKS } from './keys.js';
import { cover } from './locate.js';
import { checkMonitor } from './monitor.js';
import { commandArgv, commandTimeout } from './report.js';
import { checkSnort } from './snort.js';
import { checkWatch } from './watch.js';

/**
 * Checks one top-level block. `aliases` holds the `module` aliases declared so far;
 * `laterModules` every `module` line of the program, to explain a block used too early.
 */
export function checkBlock(
  ctx: CheckContext,
  block: BlockStatement,
  aliases: ReadonlyMap<string, ModuleDeclaration>,
  laterModules: ReadonlyMap<string, CommandStatement>,
): BlockModel | null {
  const kind = block.name.value;
  switch (kind) {
    case 'command': {
      const body = readBody(ctx, block, BLOCK_DIRECTIVES.command, false);
      const exec = single(body, 'exec');
      const timeout = commandTimeout(ctx, single(body, 'timeout'));
      const argv = exec === undefined ? null : commandArgv(ctx, exec);
      if (exec === undefined || argv === null) return null;
      return { kind, span: block.span, exec: exec.value, argv, ...(timeout === undefined ? {} : { timeout }), ...describe(body) };
    }
    case 'monitor':
      return checkMonitor(ctx, block);
    case 'watch':
      return checkWatch(ctx, block);
    case 'snort':
      return checkSnort(ctx, block);
  }
  const declaration = aliases.get(kind);
  if (declaration !== undefined) return checkCustom(ctx, block, declaration);
  const later = laterModules.get(kind);
  if (later !== undefined) {
    ctx.error('R315', `custom block \`${kind}\` is used before its \`module\` line`, block.name.span, {
      labels: [{ span: later.span, message: 'declared here' }],
    });
    return null;
  }
  ctx.error('R315', `unknown block kind \`${kind}\``, block.name.span, {
    notes: suggestion(didYouMean(kind, [...BUILTIN_BLOCKS, ...aliases.keys()])),
  });
  return null;
}

function describe(body: ReturnType<typeof readBody>): { description: string | null; mimeFile: string | null } {
  return {
    description: single(body, 'description')?.value ?? null,
    mimeFile: single(body, 'mime_file')?.value ?? null,
  };
}

function checkCustom(ctx: CheckContext, block: BlockStatement, declaration: ModuleDeclaration): BlockModel {
  if (block.args.length > 0) {
    ctx.error('R318', `\`${declaration.alias}\` takes no arguments before its <<${block.tag} body`, cover(block.args[0]!.span, block.args.at(-1)!.span));
  }
  const directives: { name: string; args: string[] }[] = [];
  for (const statement of block.body) {
    if (statement.kind === 'command') {
      directives.push({ name: statement.name.value, args: statement.args.map((word) => word.value) });
    } else if (statement.kind === 'match' || statement.kind === 'group') {
      ctx.error('R316', `\`${statement.mode}\` is only allowed in a \`watch\` block`, statement.modeSpan);
    } else if (statement.kind === 'block') {
      ctx.error('R316', `a \`${statement.name.value}\` block cannot be nested in \`${declaration.alias}\``, statement.name.span);
    }
  }
  return {
    kind: 'custom',
    span: block.span,
    alias: declaration.alias,
    module: declaration.name,
    path: declaration.path,
    directives,
  };
}
