/**
 * `rulec regex REGEX [--flags imsx] < LINES`: the captures of each matching line, as
 * `lognot -T` showed them. REGEX is PCRE syntax, translated exactly as rule files are.
 */
import { fstatSync } from 'node:fs';
import { loadRegexTools, UserError } from '../../compiler/api.js';
import { escapeControl, escapeControlKeepingBackslashes, LineSplitter, RegexDeadline, REGEX_WINDOW_MS } from '../../runtime/index.js';
import { parseCommandArgs } from '../args.js';
import { endWhenStdoutCloses, UsageError, type Command, type Io } from '../command.js';

/** Lines are cut here before matching, as the engine's default `line_max` does. */
const LINE_MAX = 64 * 1024;

/** The pattern with a caret line under `[start, end)`, for problems inside it. */
function pointAt(pattern: string, start: number, end: number): string {
  const shown = escapeControlKeepingBackslashes(pattern.slice(0, start)).length;
  const width = Math.max(1, escapeControlKeepingBackslashes(pattern.slice(start, end)).length);
  return `  ${escapeControlKeepingBackslashes(pattern)}\n  ${' '.repeat(shown)}${'^'.repeat(width)}\n`;
}

function show(value: string | undefined): string {
  return value === undefined ? '(unset)' : `"${escapeControl(value)}"`;
}

/** Prints one matching line and its captures. */
function printMatch(io: Io, lineNo: number, line: string, captures: readonly (string | undefined)[], names: Readonly<Record<string, number>>): void {
  io.out(`${lineNo}: ${escapeControl(line)}\n`);
  captures.forEach((value, i) => io.out(`  $${i} = ${show(value)}\n`));
  for (const [name, index] of Object.entries(names)) io.out(`  $${name} ($${index}) = ${show(captures[index])}\n`);
}

/** `rulec regex`. */
export const regexCommand: Command = {
  name: 'regex',
  summary: 'show the captures of a PCRE regex on each line of standard input (lognot -T)',
  usage: 'rulec regex REGEX [--flags imsx] < LINES',
  async run(args, io) {
    endWhenStdoutCloses();
    const { values, positionals } = parseCommandArgs(args, { flags: { type: 'string', default: '' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one REGEX (quote it for the shell)');
    const source = positionals[0]!;
    const flags = values.flags as string;
    const { translateRegex, lintRedos, runTimeBound, runTimeForm, runTimeVerdict, originalCaptures } = await loadRegexTools();
    const translated = translateRegex(source, flags);
    for (const problem of translated.problems) {
      io.err(`rulec regex: error[${problem.code}]: ${problem.message}\n${pointAt(flags === '' ? source : `${source}/${flags}`, problem.start, problem.end)}`);
    }
    if (translated.value === null || translated.problems.length > 0) return 1;
    const t = translated.value;
    const warnings = lintRedos(t, source);
    // As a rule file's item runs it: rewritten into V8's linear-time subset where it can be, else under the deadline.
    const runs = runTimeForm(t);
    const atRunTime = warnings.length > 0 ? runTimeBound(runs.blocker) : '';
    for (const warning of warnings) {
      io.err(`rulec regex: warning[R309]: ${warning.message}; ${atRunTime}\n${pointAt(source, warning.start, warning.end)}`);
    }
    const verdict = warnings.length === 0 ? runTimeVerdict(t, source, runs) : null;
    if (verdict?.severity === 'warning') io.err(`rulec regex: warning[${verdict.code}]: ${verdict.message}\n${pointAt(source, verdict.start, verdict.end)}`);
    const regex = new RegExp(runs.js, runs.flags);
    const match = (line: string): (string | undefined)[] | null => {
      const m = regex.exec(line);
      if (m === null) return null;
      return runs.lookGroup === null ? [...m] : originalCaptures([...m], runs.lookGroup);
    };
    let abandoned = 0;
    const deadline = runs.blocker === null ? null : new RegexDeadline((line) => {
      const captures = match(line);
      return captures === null ? null : { captures };
    }, () => void abandoned++);
    let lineNo = 0;
    let matched = 0;
    const each = (line: string): void => {
      lineNo++;
      const result = deadline === null ? match(line) : deadline.exec([line], 0, line, () => line, () => true);
      if (result === 'abandoned') {
        io.out(`${lineNo}: abandoned: the regex ran past its ${REGEX_WINDOW_MS} ms deadline on this line\n`);
        return;
      }
      const captures = result === null ? null : Array.isArray(result) ? result : result.captures;
      if (captures === null) return;
      matched++;
      printMatch(io, lineNo, line, captures, t.namedGroups);
    };
    // Lines as the engine gets them: split on \n only, one trailing \r dropped, cut at 64 KiB.
    const splitter = new LineSplitter(LINE_MAX, 0);
    // A directory as standard input reads as empty through a stream; say so instead.
    if (fstatSync(0).isDirectory()) throw new UserError('cannot read standard input: it is a directory');
    try {
      for await (const chunk of process.stdin) for (const line of splitter.push(chunk as Buffer).lines) each(line);
    } catch (error) {
      throw new UserError(`cannot read standard input: ${(error as Error).message}`);
    }
    const last = splitter.flush();
    if (last !== null) each(last);
    io.out(`${matched} of ${lineNo} line(s) matched${abandoned > 0 ? `, ${abandoned} abandoned` : ''}\n`);
    return 0;
  },
};
