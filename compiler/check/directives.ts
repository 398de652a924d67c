/** Reads the body of a built-in block: known directives with their arity, duplicates, misplaced statements. */
import type { BlockStatement, CommandStatement, GroupStatement, MatchStatement, Word } from '../../grammar/ast.js';
import { didYouMean } from '../did-you-mean.js';
import { suggestion } from './context.js';
import type { CheckContext } from './context.js';
import type { DirectiveSpec } from './keys.js';
import { cover } from './locate.js';

/** The directives and match statements of a built-in block's body. */
export interface BlockBody {
  /** Each directive's lines, in order, with arity already checked. */
  readonly directives: ReadonlyMap<string, readonly CommandStatement[]>;
  /** `ignore`/`filter` lines and `do ... end` groups, when the block accepts them. */
  readonly matches: readonly (MatchStatement | GroupStatement)[];
}

/** Reads a built-in block's body against its directive table; reports R316/R317/R318/R314 there. */
export function readBody(
  ctx: CheckContext,
  block: BlockStatement,
  specs: Readonly<Record<string, DirectiveSpec>>,
  acceptsMatches: boolean,
): BlockBody {
  const kind = block.name.value;
  const directives = new Map<string, CommandStatement[]>();
  const matches: (MatchStatement | GroupStatement)[] = [];
  if (block.args.length > 0) {
    ctx.error('R318', `\`${kind}\` takes no arguments before its <<${block.tag} body`, cover(block.args[0]!.span, block.args.at(-1)!.span));
  }
  for (const statement of block.body) {
    switch (statement.kind) {
      case 'heredoc-comment':
        break;
      case 'match':
      case 'group':
        if (acceptsMatches) matches.push(statement);
        else ctx.error('R316', `\`${statement.mode}\` is only allowed in a \`watch\` block`, statement.modeSpan);
        break;
      case 'block':
        ctx.error('R316', `a \`${statement.name.value}\` block cannot be nested in \`${kind}\``, statement.name.span);
        break;
      case 'section':
        // The parser already reported INI lines inside a heredoc body (R208).
        break;
      case 'command':
        readDirective(ctx, kind, statement, specs, directives, acceptsMatches);
        break;
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && !directives.has(name)) {
      ctx.error('R317', `\`${kind}\` needs a \`${name}\` directive`, block.name.span);
    }
  }
  return { directives, matches };
}

function readDirective(
  ctx: CheckContext,
  kind: string,
  command: CommandStatement,
  specs: Readonly<Record<string, DirectiveSpec>>,
  into: Map<string, CommandStatement[]>,
  acceptsMatches: boolean,
): void {
  const name = command.name.value;
  const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
  if (spec === undefined) {
    if (acceptsMatches && (name === 'ignore' || name === 'filter')) {
      ctx.error('R318', `\`${name}\` needs \`=~ /pattern/\` or \`!~ /pattern/\``, command.span);
      return;
    }
    const known = [...Object.keys(specs), ...(acceptsMatches ? ['ignore', 'filter', 'do'] : [])];
    ctx.error('R316', `unknown directive \`${name}\` in \`${kind}\``, command.name.span, {
      notes: suggestion(didYouMean(name, known)),
    });
    return;
  }
  if (!arityFits(ctx, command, spec)) return;
  const earlier = into.get(name);
  if (earlier !== undefined && !spec.repeatable) {
    ctx.error('R314', `duplicate directive \`${name}\` in \`${kind}\``, command.name.span, {
      labels: [{ span: earlier[0]!.name.span, message: 'first set here' }],
    });
    return;
  }
  if (earlier !== undefined) earlier.push(command);
  else into.set(name, [command]);
}

function arityFits(ctx: CheckContext, command: CommandStatement, spec: DirectiveSpec): boolean {
  const count = command.args.length;
  if (count >= spec.min && count <= spec.max) return true;
  const name = command.name.value;
  const wanted = spec.max === spec.min ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
  const where = count > spec.max ? cover(command.args[spec.max]!.span, command.args.at(-1)!.span) : command.span;
  // "at least 1 argument", "1 to 2 arguments": the number nearest the noun decides.
  const plural = (spec.max === Infinity ? spec.min : spec.max) !== 1;
  ctx.error('R318', `\`${name}\` takes ${wanted} argument${plural ? 's' : ''}, got ${count}`, where, {
    notes: count > spec.max ? ['quote an argument that contains spaces'] : [],
  });
  return false;
}

/** The single argument of a directive that appears at most once. */
export function single(body: BlockBody, name: string): Word | undefined {
  return body.directives.get(name)?.[0]?.args[0];
}

/** A `yes`/`no` directive's value; `fallback` when absent, and after reporting R321 when it is neither. */
export function readYesNo(ctx: CheckContext, body: BlockBody, name: string, fallback: boolean): boolean {
  const word = single(body, name);
  if (word === undefined) return fallback;
  if (word.value === 'yes' || word.value === 'no') return word.value === 'yes';
  ctx.error('R321', `\`${name}\` must be \`yes\` or \`no\`, not \`${word.value}\``, ctx.at({ text: word.value, span: word.span }), {
    notes: suggestion(didYouMean(word.value, ['yes', 'no'])),
  });
  return fallback;
}
