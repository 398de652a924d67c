import type { BlockSpec } from '../../contract.js';
import { runAction } from '../../actions/run-action.js';
import { BODY_MAX } from '../../report/body-buffer.js';
import { BaseReportEntry, type EntryContext, type ReportOutput } from '../../report/report-entry.js';

/** A `command` block as the compiler records it. */
export type CommandBlock = Extract<BlockSpec, { readonly kind: 'command' }>;

/** Seconds a `command` may run without a `timeout` directive. */
export const COMMAND_TIMEOUT = 300;

const KILL_GRACE_MS = 2000;

/** rulec's environment without its own `RULEC_*` variables (RULEC_SMTP_PASSWORD among them). */
function commandEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RULEC_')));
}

/**
 * MailLog's `command` block: runs the operator's command (argv, no shell, as actions run) with a
 * timeout and attaches its standard output as it is; standard error, a non-zero exit status, a
 * signal or the timeout follow it in `[rulec: ...]` lines. A command that cannot start or runs
 * out of time fails the entry (and so the report's exit status); a non-zero exit does not.
 */
export class CommandEntry extends BaseReportEntry {
  constructor(
    private readonly block: CommandBlock,
    context: EntryContext,
  ) {
    super(context);
  }

  override validate(): void {
    if (this.block.argv === undefined) throw new Error('this rule module was built by an older rulec: rebuild it');
    if (this.block.argv.length === 0 || this.block.argv[0] === '') throw new Error('`exec` names no program');
  }

  async run(out: ReportOutput): Promise<void> {
    const argv = this.block.argv ?? [];
    const seconds = this.block.timeout ?? COMMAND_TIMEOUT;
    this.context.debug(`command: running ${JSON.stringify(argv)} (timeout ${seconds} s)`);
    const outcome = await runAction(argv, {
      env: commandEnv(),
      timeoutMs: seconds * 1000,
      killGraceMs: KILL_GRACE_MS,
      outputCap: BODY_MAX,
    });
    if (outcome.kind !== 'exited') throw new Error(`cannot run ${argv[0]}: ${outcome.error}`);
    out.print(outcome.stdout);
    const notes: string[] = [];
    if (outcome.stderr !== '') notes.push(`[rulec: standard error]\n${outcome.stderr}${outcome.stderr.endsWith('\n') ? '' : '\n'}`);
    if (outcome.truncated) notes.push(`[rulec: output cut at ${BODY_MAX} bytes]\n`);
    if (outcome.signal !== null) notes.push(`[rulec: killed by ${outcome.signal}]\n`);
    else if (outcome.code !== 0) notes.push(`[rulec: exit status ${String(outcome.code)}]\n`);
    if (notes.length > 0) out.print(outcome.stdout === '' || outcome.stdout.endsWith('\n') ? '' : '\n', ...notes);
    if (outcome.timedOut) throw new Error(`${argv[0]} ran longer than its ${seconds} s timeout`);
  }
}
