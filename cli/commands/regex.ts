/**
 * `rulec regex REGEX [--flags imsx] < LINES`: the captures of each matching line, as
 * `lognot -T` showed them. REGEX is PCRE syntax, translated exactly as rule files are.
 */
import { fstatSync } from 'node:fs';
import { loadRegexTools, UserError } from '../../compiler/api.js';
import { endBlind, escapeControl, escapeControlKeepingBackslashes, LineSplitter, RegexDeadline, REGEX_LONG_LINE, REGEX_WINDOW_MS, type Captures } from '../../runtime/index.js';
import { parseCommandArgs } from '../args.js';
import { endWhenStdoutCloses, readsProcessStdin, UsageError, type Command, type Io } from '../command.js';

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
    endWhenStdoutCloses(io);
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
    let abandoned = 0;
    /** Runs a form of the regex as an item would: directly, or under the deadline when V8's linear engine cannot take it or the line is long. */
    const runner = (js: string): ((line: string) => Captures | null | 'abandoned') => {
      const regex = new RegExp(js, runs.flags);
      const match = (line: string): Captures | null => {
        const m = regex.exec(line);
        if (m === null) return null;
        return runs.lookGroup === null ? [...m] : originalCaptures([...m], runs.lookGroup);
      };
      const deadline = new RegexDeadline((line) => {
        const captures = match(line);
        return captures === null ? null : { captures };
      }, () => void abandoned++);
      const guarded = (line: string): Captures | null | 'abandoned' => {
        const result = deadline.exec([line], 0, line, () => line, () => true);
        return result === null || result === 'abandoned' ? result : result.captures;
      };
      // A long line runs under the deadline whatever the pattern, as the engine runs it.
      return runs.blocker === null ? (line) => (line.length > REGEX_LONG_LINE ? guarded(line) : match(line)) : guarded;
    };
    const whole = runner(runs.js);
    // A line cut at line_max is matched as the daemon matches it: no end anchor matches there.
    const blind = endBlind(runs.js);
    const cutOne = blind === null ? whole : runner(blind);
    let lineNo = 0;
    let matched = 0;
    let cutLines = 0;
    const each = (line: string, cut: boolean): void => {
      lineNo++;
      if (cut) cutLines++;
      const captures = (cut ? cutOne : whole)(line);
      if (captures === 'abandoned') {
        io.out(`${lineNo}: abandoned: the regex ran past its ${REGEX_WINDOW_MS} ms deadline on this line\n`);
        return;
      }
      if (captures === null) return;
      matched++;
      printMatch(io, lineNo, line, captures, t.namedGroups);
    };
    // Lines as the engine gets them: split on \n only, one trailing \r dropped, cut at 64 KiB.
    const splitter = new LineSplitter(LINE_MAX, 0);
    // A directory as standard input reads as empty through a stream; say so instead.
    if (readsProcessStdin(io) && fstatSync(0).isDirectory()) throw new UserError('cannot read standard input: it is a directory');
    try {
      for await (const chunk of io.stdin) {
        const { lines, cut } = splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        lines.forEach((line, i) => each(line, cut.includes(i)));
      }
    } catch (error) {
      throw new UserError(`cannot read standard input: ${(error as Error).message}`);
    }
    const last = splitter.flush();
    if (last !== null) each(last, false);
    io.out(`${matched} of ${lineNo} line(s) matched${abandoned > 0 ? `, ${abandoned} abandoned` : ''}\n`);
    if (cutLines > 0) io.out(`${cutLines} line(s) longer than ${LINE_MAX} bytes cut to that (line_max): nothing after the cut is seen, and no end anchor matches at it\n`);
    return 0;
  },
};
