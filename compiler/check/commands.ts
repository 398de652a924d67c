/** Top-level MailLog commands: `set key value`, `module Name alias path`, and misplaced block names. */
import { posix } from 'node:path';
import type { CommandStatement, Statement } from '../../grammar/ast.js';
import { didYouMean } from '../did-you-mean.js';
import type { ModuleDeclaration } from '../model.js';
import { suggestion } from './context.js';
import type { CheckContext } from './context.js';
import { BUILTIN_BLOCKS, RESERVED_WORDS, SETTING_KEYS, isBuiltinBlock } from './keys.js';
import { cover } from './locate.js';
import { checkMailSetting } from './report.js';

/** `set key value`: settings in order of first appearance, the last value wins. */
export function checkSet(ctx: CheckContext, command: CommandStatement, settings: Record<string, string>): void {
  const [key, ...values] = command.args;
  if (key === undefined) {
    ctx.error('R318', '`set` needs a setting name and a value', command.name.span);
    return;
  }
  if (!(SETTING_KEYS as readonly string[]).includes(key.value)) {
    ctx.error('R319', `unknown setting \`${key.value}\``, key.span, {
      notes: suggestion(didYouMean(key.value, SETTING_KEYS)),
    });
    return;
  }
  const [value, ...extra] = values;
  if (value === undefined) {
    // MailLog's bare `set debug` turns debugging on.
    if (key.value === 'debug') settings[key.value] = '1';
    else ctx.error('R318', `\`set ${key.value}\` needs a value`, cover(command.name.span, key.span));
    return;
  }
  const last = extra.at(-1);
  if (last !== undefined) {
    ctx.error('R318', `\`set ${key.value}\` takes one value, got ${values.length}`, cover(extra[0]!.span, last.span), {
      notes: ['quote a value that contains spaces'],
    });
    return;
  }
  checkMailSetting(ctx, key.value, value);
  settings[key.value] = value.value;
}

/** Every `module` line's alias, to tell "declared later" from "never declared". */
export function moduleLines(statements: readonly Statement[]): Map<string, CommandStatement> {
  const lines = new Map<string, CommandStatement>();
  for (const statement of statements) {
    const alias = statement.kind === 'command' && statement.name.value === 'module' ? statement.args[1] : undefined;
    if (alias !== undefined && !lines.has(alias.value)) lines.set(alias.value, statement as CommandStatement);
  }
  return lines;
}

/** `module Name alias path`: declares a custom block kind. */
export function checkModule(
  ctx: CheckContext,
  command: CommandStatement,
  aliases: Map<string, ModuleDeclaration>,
): ModuleDeclaration | null {
  const [name, alias, path, ...extra] = command.args;
  if (name === undefined || alias === undefined || path === undefined || extra.length > 0) {
    ctx.error('R318', `\`module\` takes 3 arguments (Name alias path), got ${command.args.length}`, command.span);
    return null;
  }
  if (RESERVED_WORDS.includes(alias.value)) {
    ctx.error('R324', `\`module\` alias \`${alias.value}\` would redefine the built-in \`${alias.value}\``, alias.span);
    return null;
  }
  const earlier = aliases.get(alias.value);
  if (earlier !== undefined) {
    ctx.error('R324', `\`module\` alias \`${alias.value}\` is already defined`, alias.span, {
      labels: [{ span: earlier.span, message: 'first defined here' }],
    });
    return null;
  }
  // Relative to the file that declares it, written relative to the entry's directory as every
  // file name of the model is, so the runtime resolves it from the entry rule file.
  const file = posix.isAbsolute(path.value) ? path.value : posix.join(posix.dirname(command.span.file), path.value);
  const declaration: ModuleDeclaration = { name: name.value, alias: alias.value, path: file, span: command.span };
  aliases.set(alias.value, declaration);
  return declaration;
}

/** Any other top-level command: a block name without its body, or an unknown word. */
export function checkOtherCommand(ctx: CheckContext, command: CommandStatement, aliases: ReadonlyMap<string, ModuleDeclaration>): void {
  const name = command.name.value;
  if (isBuiltinBlock(name) || aliases.has(name)) {
    ctx.error('R317', `\`${name}\` needs a <<TAG block body`, command.name.span, {
      notes: [`write \`${name} <<__END\`, its directives on the next lines, then \`__END\``],
    });
    return;
  }
  const known = ['set', 'source', 'module', ...BUILTIN_BLOCKS, ...aliases.keys()];
  ctx.error('R316', `unknown command \`${name}\``, command.name.span, { notes: suggestion(didYouMean(name, known)) });
}
