/** What `rulec report --flush` says: a summary on stdout, or why the spool stays on stderr. */
import type { FlushSummary } from '../../runtime/index.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const when = (date: Date): string => date.toISOString().replace(/\.\d+Z$/, 'Z');

/** The lines for `summary` (each prefixed `rulec report: `), and which stream they go to. */
export function flushReport(summary: FlushSummary): { readonly out: string; readonly err: string } {
  const oldest = summary.oldestLeft === null ? '' : `, the oldest spooled ${when(summary.oldestLeft)}`;
  if (summary.busy) return { out: '', err: `rulec report: the spool ${summary.dir} is being sent by another rulec report; left to it\n` };
  if (summary.stopped !== null) {
    return {
      out: '',
      err:
        `rulec report: the SMTP server ${summary.server} cannot take the spool now (${summary.stopped}); ` +
        `sent ${summary.sent}, ${plural(summary.left, 'spooled message')} stay in ${summary.dir}${oldest}, for the next run or --flush\n`,
    };
  }
  if (summary.sent === 0 && summary.left === 0) return { out: `rulec report: the spool ${summary.dir} is empty: nothing to send\n`, err: '' };
  const refused = summary.rejected === 0 ? '' : ` (${summary.rejected} refused by the server for good: see above)`;
  return { out: `rulec report: sent ${plural(summary.sent, 'spooled message')} from ${summary.dir}, ${summary.left} left${refused}${oldest}\n`, err: '' };
}
