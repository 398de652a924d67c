/** The MailLog `monitor` block: directories to list with digests, and what `rulec run` does in real time. */
import type { BlockStatement } from '../../grammar/ast.js';
import { didYouMean } from '../did-you-mean.js';
import type { ActionSpec } from '../../runtime/contract.js';
import type { BlockModel } from '../model.js';
import { compileActionTemplate } from '../template/action-template.js';
import { SHELL_ACTION_WARNING } from '../template/action-template.js';
import { suggestion, wordValue } from './context.js';
import type { CheckContext } from './context.js';
import { readBody, readYesNo, single, type BlockBody } from './directives.js';
import { BLOCK_DIRECTIVES } from './keys.js';
import { cover } from './locate.js';

const DIGESTS = ['md5', 'sha256'] as const;

/** What a realtime action gets: `$1`/`$change` is added, removed or changed; `$2`/`$path` the file. */
const ACTION_GROUPS: Readonly<Record<string, number>> = { change: 1, path: 2 };

/** A `monitor` block: `dir` required (several per line or several lines), the rest optional. */
export function checkMonitor(ctx: CheckContext, block: BlockStatement): BlockModel | null {
  const body = readBody(ctx, block, BLOCK_DIRECTIVES.monitor, false);
  const dirs = (body.directives.get('dir') ?? []).flatMap((line) => line.args.map((word) => word.value));
  const digestWord = single(body, 'digest');
  let digest: (typeof DIGESTS)[number] = 'md5';
  if (digestWord !== undefined) {
    const found = DIGESTS.find((name) => name === digestWord.value);
    if (found === undefined) {
      ctx.error('R321', `\`digest\` must be \`md5\` or \`sha256\`, not \`${digestWord.value}\``, ctx.at(wordValue(digestWord)), {
        notes: suggestion(didYouMean(digestWord.value, DIGESTS)),
      });
    } else {
      digest = found;
    }
  }
  const crossFilesystems = readYesNo(ctx, body, 'cross_filesystems', false);
  const realtime = readYesNo(ctx, body, 'realtime', false);
  const shell = readYesNo(ctx, body, 'shell', false);
  const action = checkMonitorAction(ctx, body, shell);
  const actionLine = body.directives.get('action')?.[0];
  if (actionLine !== undefined && !realtime) {
    ctx.warning('R366', '`action` runs only on changes `realtime yes` sees, and this block is not realtime', actionLine.name.span, {
      notes: ['add `realtime yes`, or remove the action: a report lists the tree and runs no action'],
    });
  }
  if (dirs.length === 0) return null;
  return {
    kind: 'monitor',
    span: block.span,
    dirs,
    description: single(body, 'description')?.value ?? null,
    mimeFile: single(body, 'mime_file')?.value ?? null,
    digest,
    crossFilesystems,
    realtime,
    action,
  };
}

/**
 * The action's words are taken as written (quotes kept) and compiled as an item's action is;
 * a problem is reported on the whole directive, as its offsets are in the joined words.
 */
function checkMonitorAction(ctx: CheckContext, body: BlockBody, shell: boolean): ActionSpec | null {
  const line = body.directives.get('action')?.[0];
  if (line === undefined || line.args.length === 0) return null;
  const where = cover(line.args[0]!.span, line.args.at(-1)!.span);
  const raw = line.args.map((word) => word.raw).join(' ');
  const compiled = compileActionTemplate(raw, { shell, groupCount: 2, groupNames: ACTION_GROUPS });
  for (const problem of compiled.problems) ctx.report(problem.code, problem.severity, problem.message, where);
  if (shell) ctx.warning('R312', SHELL_ACTION_WARNING, where);
  return compiled.value;
}
