/** The MailLog `watch` block: a log file with ignore/filter groups (operands AND-ed, groups OR-ed). */
import type { BlockStatement, MatchOperand } from '../../grammar/ast.js';
import { didYouMean } from '../did-you-mean.js';
import type { BlockModel, MatchGroupModel, MatchOperandModel } from '../model.js';
import { suggestion, wordValue } from './context.js';
import type { CheckContext } from './context.js';
import { readBody, single } from './directives.js';
import { BLOCK_DIRECTIVES } from './keys.js';
import { checkRegex } from './regex.js';

/** A `watch` block: `logfile` required, `trim yes|no`, ignore and filter groups. */
export function checkWatch(ctx: CheckContext, block: BlockStatement): BlockModel | null {
  const body = readBody(ctx, block, BLOCK_DIRECTIVES.watch, true);
  const ignore: MatchGroupModel[] = [];
  const filter: MatchGroupModel[] = [];
  for (const statement of body.matches) {
    const operands = statement.kind === 'match' ? [statement.operand] : statement.operands;
    if (operands.length === 0) {
      // An empty AND group is true for every line: it would ignore (or pass) everything.
      ctx.error('R317', `\`do ${statement.mode}\` group has no \`=~\` or \`!~\` lines`, statement.modeSpan);
      continue;
    }
    const models = operands.map((operand) => checkOperand(ctx, operand));
    if (models.some((model) => model === null)) continue;
    const group: MatchGroupModel = { operands: models as MatchOperandModel[], span: statement.span };
    (statement.mode === 'ignore' ? ignore : filter).push(group);
  }
  const trimWord = single(body, 'trim');
  let trim = false;
  if (trimWord !== undefined) {
    if (trimWord.value === 'yes' || trimWord.value === 'no') {
      trim = trimWord.value === 'yes';
    } else {
      ctx.error('R321', `\`trim\` must be \`yes\` or \`no\`, not \`${trimWord.value}\``, ctx.at(wordValue(trimWord)), {
        notes: suggestion(didYouMean(trimWord.value, ['yes', 'no'])),
      });
    }
  }
  const logfile = single(body, 'logfile');
  if (logfile === undefined) return null;
  return {
    kind: 'watch',
    span: block.span,
    logfile: logfile.value,
    description: single(body, 'description')?.value ?? null,
    mimeFile: single(body, 'mime_file')?.value ?? null,
    trim,
    ignore,
    filter,
  };
}

function checkOperand(ctx: CheckContext, operand: MatchOperand): MatchOperandModel | null {
  const regex = checkRegex(
    ctx,
    { text: operand.pattern, span: operand.patternSpan },
    { text: operand.flags, span: operand.flagsSpan },
  );
  return regex === null ? null : { negated: operand.negated, regex };
}
