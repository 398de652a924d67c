/** The MailLog `watch` block: a log file with ignore/filter groups (operands AND-ed, groups OR-ed). */
import type { BlockStatement, MatchOperand, Statement, Word } from '../../grammar/ast.js';
import { parseDuration } from '../values/duration.js';
import type { BlockModel, MatchGroupModel, MatchOperandModel } from '../model.js';
import { wordValue } from './context.js';
import { blockCommands, missingMailSettings } from './mail-needed.js';
import type { CheckContext } from './context.js';
import { readBody, readYesNo, single } from './directives.js';
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
  const trim = readYesNo(ctx, body, 'trim', false);
  const ignoreFrom = (body.directives.get('ignore_from') ?? []).flatMap((line) => line.args.map((word) => word.value));
  const every = readEvery(ctx, single(body, 'every'));
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
    ignoreFrom,
    every,
  };
}

/** R367: a watch block with `every` in a rule file without the mail settings its digests need. */
export function checkDigestMail(ctx: CheckContext, statements: readonly Statement[], settings: Readonly<Record<string, string>>): void {
  const missing = missingMailSettings(settings);
  if (missing === null) return;
  for (const line of blockCommands(statements, 'watch', 'every')) {
    ctx.error('R367', `\`every\` mails digests, which need ${missing} in the rule file`, line.span, {
      notes: ['rulec run mails the digest encrypted, as rulec report mails a report: see docs/report.md for the settings'],
    });
  }
}

/** Shortest `every`: a digest mail a minute is already more than anyone reads. */
const MIN_EVERY = 60;

function readEvery(ctx: CheckContext, word: Word | undefined): number | null {
  if (word === undefined) return null;
  const parsed = parseDuration(word.value);
  if (!parsed.ok) {
    ctx.error('R306', `\`every\`: ${parsed.message}`, ctx.at(wordValue(word), parsed.start, parsed.end));
    return null;
  }
  if (parsed.value < MIN_EVERY) {
    ctx.error('R306', `\`every\` must be at least 1m (a digest mail per period), not ${word.value}`, ctx.at(wordValue(word)));
    return null;
  }
  return parsed.value;
}

function checkOperand(ctx: CheckContext, operand: MatchOperand): MatchOperandModel | null {
  const regex = checkRegex(
    ctx,
    { text: operand.pattern, span: operand.patternSpan },
    { text: operand.flags, span: operand.flagsSpan },
  );
  return regex === null ? null : { negated: operand.negated, regex };
}
