/**
 * `rulec.tryRegex`: runs the pattern under the cursor (an item's `regex`, a Snort rule's `msg`,
 * a `=~ /.../` operand) over sample logs and returns the lines it matches with their captures.
 * The samples: the log the item reads (`path`, a `watch` block's `logfile`: its last MiB),
 * and `NAME.pos.log` / `NAME.neg.log` beside `NAME.rules` (as rules/ ships them). The pattern is
 * translated and run as the engine runs it: rewritten into V8's linear-time subset where it can
 * be, else under the runtime's per-line deadline, so a hostile sample line cannot stall the server.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { posix } from 'node:path';
import type { RegexToolkit, RulesFile } from '../compiler/api.js';
import { RegexDeadline } from '../runtime/index.js';
import { allStatements, blocksAround, within } from './syntax.js';

/** Bytes read of one sample; lines per sample; matches returned per sample. */
const MAX_BYTES = 1024 * 1024;
const MAX_LINES = 10_000;
const MAX_MATCHES = 200;
/** Lines are cut here, as the engine's default `line_max` cuts them. */
const LINE_MAX = 64 * 1024;

/** One matching line: its number in the sample, its text and its captures (`$0` first). */
export interface TrialMatch {
  readonly line: number;
  readonly text: string;
  readonly captures: readonly (string | null)[];
  readonly groups: Readonly<Record<string, string | null>>;
}

/** The pattern's run over one sample. */
export interface TrialSample {
  readonly file: string;
  readonly lines: number;
  readonly matched: number;
  readonly abandoned: number;
  readonly matches: readonly TrialMatch[];
}

/** What the command answers. */
export interface TrialResult {
  readonly pattern: string;
  readonly flags: string;
  /** Translation errors; no sample is read when there are any. */
  readonly problems: readonly string[];
  readonly samples: readonly TrialSample[];
}

interface Found {
  readonly pattern: string;
  readonly flags: string;
  readonly logs: readonly string[];
}

/** The trial at `offset` of the file at `path`, or null when no pattern is there. */
export function tryRegex(tools: RegexToolkit, file: RulesFile, path: string, offset: number): TrialResult | null {
  const found = patternAt(file, offset);
  if (found === null) return null;
  const translated = tools.translateRegex(found.pattern, found.flags);
  if (translated.value === null || translated.problems.length > 0) {
    return { pattern: found.pattern, flags: found.flags, problems: translated.problems.map((p) => `${p.code}: ${p.message}`), samples: [] };
  }
  const t = translated.value;
  const runs = tools.runTimeForm(t);
  const regex = new RegExp(runs.js, runs.flags);
  const match = (line: string): (string | undefined)[] | null => {
    const m = regex.exec(line);
    if (m === null) return null;
    return runs.lookGroup === null ? [...m] : tools.originalCaptures([...m], runs.lookGroup);
  };
  const base = path.endsWith('.rules') ? path.slice(0, -'.rules'.length) : path;
  const candidates = [...found.logs.map((log) => ({ file: resolveLog(path, log), tail: true })), { file: `${base}.pos.log`, tail: false }, { file: `${base}.neg.log`, tail: false }];
  const samples: TrialSample[] = [];
  for (const { file: sample, tail } of candidates) {
    const text = readSample(sample, tail);
    if (text === null) continue;
    let abandoned = 0;
    const deadline = runs.blocker === null ? null : new RegexDeadline((line) => {
      const captures = match(line);
      return captures === null ? null : { captures };
    }, () => void abandoned++);
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const matches: TrialMatch[] = [];
    let matched = 0;
    lines.slice(0, MAX_LINES).forEach((raw, i) => {
      const line = raw.replace(/\r$/, '').slice(0, LINE_MAX);
      const result = deadline === null ? match(line) : deadline.exec([line], 0, line, () => line, () => true);
      if (result === null || result === 'abandoned') return;
      const captures = Array.isArray(result) ? result : result.captures;
      matched++;
      if (matches.length < MAX_MATCHES) {
        matches.push({
          line: i + 1,
          text: line,
          captures: captures.map((c) => c ?? null),
          groups: Object.fromEntries(Object.entries(t.namedGroups).map(([name, index]) => [name, captures[index] ?? null])),
        });
      }
    });
    samples.push({ file: sample, lines: Math.min(lines.length, MAX_LINES), matched, abandoned, matches });
  }
  return { pattern: found.pattern, flags: found.flags, problems: [], samples };
}

/** A sample's text: its first MiB, or (a live log) its last; null when it is no readable regular file. */
function readSample(path: string, tail: boolean): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return null;
    const length = Math.min(stat.size, MAX_BYTES);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, tail ? stat.size - length : 0);
    let text = buffer.subarray(0, read).toString('utf8');
    // A tail starts inside a line: drop that part line.
    if (tail && stat.size > length) text = text.slice(text.indexOf('\n') + 1);
    return text;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The pattern at `offset` and the logs its item reads. */
function patternAt(file: RulesFile, offset: number): Found | null {
  const general = file.statements.find((s) => s.kind === 'section' && s.name === 'general');
  const generalPath = general?.kind === 'section' ? general.entries.find((e) => e.key === 'path')?.value : undefined;
  for (const s of allStatements(file.statements)) {
    if (s.kind === 'section') {
      const entry = s.entries.find((e) => (e.key === 'regex' || e.key === 'msg') && within(e.span, offset));
      if (entry === undefined) continue;
      const path = s.entries.find((e) => e.key === 'path')?.value ?? generalPath;
      return { pattern: entry.value, flags: '', logs: entry.key === 'regex' && path !== undefined ? [path] : [] };
    }
    const operands = s.kind === 'match' ? [s.operand] : s.kind === 'group' ? s.operands : [];
    const operand = operands.find((o) => within(o.span, offset));
    if (operand !== undefined) {
      const block = blocksAround(file.statements, offset).find((b) => b.name.value === 'watch');
      const logfile = block?.body.find((b) => b.kind === 'command' && b.name.value === 'logfile');
      const log = logfile?.kind === 'command' ? logfile.args[0]?.value : undefined;
      return { pattern: operand.pattern, flags: operand.flags, logs: log === undefined ? [] : [log] };
    }
    if (s.kind === 'command' && s.name.value === 'msg' && s.args[0] !== undefined && within(s.span, offset)) {
      return { pattern: s.args[0].value, flags: '', logs: [] };
    }
  }
  return null;
}

/** Where a log path written in `rules` points: absolute as it is, else beside the rule file. */
function resolveLog(rules: string, log: string): string {
  return posix.isAbsolute(log) ? log : posix.join(posix.dirname(rules), log);
}
