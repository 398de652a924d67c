/**
 * What `rulec report` needs of a rule file, checked where the file says it: a `command`'s argv
 * and timeout, attachment names, and the mail settings (the runtime's own readers, so check and
 * report say the same; credentials never in the file).
 */
import type { BlockStatement, Word } from '../../grammar/ast.js';
import { addressProblem, pgpProblem, smtpProblem, subjectProblem } from '../../runtime/index.js';
import { compileActionTemplate } from '../template/action-template.js';
import { parseDuration } from '../values/index.js';
import { wordValue } from './context.js';
import type { CheckContext } from './context.js';
import { listOf } from './read-value.js';

/** Seconds a `command` may be given at most (a day). */
const COMMAND_TIMEOUT_MAX = 86_400;

const SMTP_TLS = ['tls', 'starttls', 'opportunistic', 'none'] as const;

/** `exec` split into argv as actions are; nothing of a log line can fill it. Null on errors. */
export function commandArgv(ctx: CheckContext, exec: Word): string[] | null {
  const compiled = compileActionTemplate(exec.value, { shell: false, groupCount: -1 });
  for (const problem of compiled.problems) {
    const where = ctx.at(wordValue(exec), problem.start, problem.end);
    if (problem.code === 'R310') {
      ctx.error('R363', 'a `command` block runs on no log line, so `$N`, `${name}` and `$@` have nothing to fill them; write the text itself', where);
    } else {
      ctx.report(problem.code, problem.severity, problem.message, where);
    }
  }
  const spec = compiled.value;
  if (spec === null || spec.shell) return null;
  return spec.argv.map((parts) => parts.map((part) => (part.kind === 'text' ? part.text : '')).join(''));
}

/** `timeout DURATION` of a `command` block, in seconds; undefined when absent or wrong. */
export function commandTimeout(ctx: CheckContext, word: Word | undefined): number | undefined {
  if (word === undefined) return undefined;
  const parsed = parseDuration(word.value);
  if (!parsed.ok) {
    ctx.error('R306', `\`timeout\`: ${parsed.message}`, ctx.at(wordValue(word), parsed.start, parsed.end));
    return undefined;
  }
  if (parsed.value <= 0 || parsed.value > COMMAND_TIMEOUT_MAX) {
    ctx.error('R306', `\`timeout\` must be more than 0 and at most ${COMMAND_TIMEOUT_MAX} seconds`, ctx.at(wordValue(word)));
    return undefined;
  }
  return parsed.value;
}

/** A `set` value the report reads: R360 when it cannot be used, R385 for a pgp command that does not encrypt. */
export function checkMailSetting(ctx: CheckContext, key: string, value: Word): void {
  if (key === 'pgp') {
    const problem = pgpProblem(value.value);
    if (problem !== null) ctx.error('R385', `\`set pgp\`: ${problem}`, ctx.at(wordValue(value)));
    return;
  }
  const problem =
    key === 'smtp' ? smtpProblem(value.value)
    : key === 'to' || key === 'from' ? addressProblem(value.value)
    : key === 'subject' ? subjectProblem(value.value)
    : key === 'smtp_tls' && !(SMTP_TLS as readonly string[]).includes(value.value) ? `expected ${listOf(SMTP_TLS)}`
    : null;
  if (problem !== null) ctx.error('R360', `\`set ${key}\`: ${problem}`, ctx.at(wordValue(value)));
}

/** Attachment names (each block's `mime_file` word): usable as a file name (R361), and one per block (R362). */
export function checkAttachmentNames(ctx: CheckContext, names: readonly Word[]): void {
  const seen = new Map<string, Word>();
  for (const word of names) {
    const name = word.value;
    if (name === '' || name === '.' || name === '..' || /[/\\\x00-\x1f\x7f]/.test(name)) {
      ctx.error('R361', '`mime_file` must be a plain file name: no `/`, no `\\`, no control characters, not empty', ctx.at(wordValue(word)));
      continue;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      ctx.warning('R362', `another block's attachment is also named \`${name}\``, word.span, {
        labels: [{ span: earlier.span, message: 'first named here' }],
      });
    } else {
      seen.set(name, word);
    }
  }
}

/** The last `mime_file` word of a block's body. */
export function mimeFileWord(block: BlockStatement): Word | undefined {
  let word: Word | undefined;
  for (const statement of block.body) {
    if (statement.kind === 'command' && statement.name.value === 'mime_file') word = statement.args[0] ?? word;
  }
  return word;
}
