/**
 * Which words of an action an interpreter runs as code: the script of `sh -c SCRIPT`, the
 * program of `awk 'PROGRAM'`, the code of `perl -e CODE`, the command `su -c`, `flock -c`,
 * `watch` and `ssh HOST` hand to a shell, the string `env -S` splits into a command. A capture
 * there would let the log line write code (`sh -c "echo $1"` with `$(reboot)` in the line), so
 * the checker refuses it.
 *
 * Every word naming a known interpreter is looked at, not just the first, so the usual
 * wrappers (`env`, `sudo -u x`, `timeout 5`, `nice`) are covered without a table of their own
 * options. Interpreters started some other way (a script of the operator's own, `xargs`) are
 * not seen; docs/actions.md says so.
 */

/** One word of an action: its text up to its first capture, and whether it has one. */
export interface ActionWord {
  readonly text: string;
  readonly captured: boolean;
}

/** How an interpreter takes code on its command line. */
interface Interpreter {
  /** An option group (`-c`, `-ec`, `-lne`) holding one of these letters makes the next operand code. */
  readonly codeFlags: string;
  /** Long options whose value is code (`--eval`, `--command=...`). */
  readonly codeOptions: readonly string[];
  /** Options whose value is the next word (`-o pipefail`, `-F :`). */
  readonly optionsWithValue: ReadonlySet<string>;
  /** Operands run as code: awk's first (without `-f`), every one of watch's, ssh's after the host. */
  readonly codeOperands: 'none' | 'first' | 'all' | 'after-first';
  /** su, flock: `-c` may come after operands (`su root -c CMD`, `flock FILE -c CMD`). */
  readonly optionsAfterOperands: boolean;
  /** sudo: option letters (`-s`, `-i`) that make it hand the whole command to a shell. */
  readonly shellFlags: string;
}

const plain = { codeOptions: [], codeOperands: 'none', optionsAfterOperands: false, shellFlags: '' } as const;
const SHELL: Interpreter = { ...plain, codeFlags: 'c', optionsWithValue: new Set(['-o', '+o', '-O', '+O']) };
const AWK: Interpreter = { ...plain, codeFlags: 'e', codeOptions: ['--source'], optionsWithValue: new Set(['-F', '-v', '-f', '-i', '-l']), codeOperands: 'first' };
const PERL: Interpreter = { ...plain, codeFlags: 'eE', optionsWithValue: new Set(['-I', '-M', '-m']) };
const PYTHON: Interpreter = { ...plain, codeFlags: 'c', optionsWithValue: new Set(['-W', '-X', '-m']) };
const NODE: Interpreter = { ...plain, codeFlags: 'ep', codeOptions: ['--eval', '--print'], optionsWithValue: new Set(['-r', '--require', '--import']) };
const PHP: Interpreter = { ...plain, codeFlags: 'rBRE', optionsWithValue: new Set(['-c', '-d', '-f']) };
const SU: Interpreter = { ...plain, codeFlags: 'c', codeOptions: ['--command', '--session-command'], optionsWithValue: new Set(['-s', '-g', '-G', '-w', '--shell', '--group']), optionsAfterOperands: true };
const FLOCK: Interpreter = { ...plain, codeFlags: 'c', codeOptions: ['--command'], optionsWithValue: new Set(['-w', '-E', '--timeout', '--conflict-exit-code']), optionsAfterOperands: true };
const ENV: Interpreter = { ...plain, codeFlags: 'S', codeOptions: ['--split-string'], optionsWithValue: new Set(['-u', '-C', '--unset', '--chdir']) };
const WATCH: Interpreter = { ...plain, codeFlags: '', optionsWithValue: new Set(['-n', '-d', '--interval', '-q', '-s']), codeOperands: 'all' };
const SUDO: Interpreter = {
  ...plain,
  codeFlags: '',
  optionsWithValue: new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '-R']),
  shellFlags: 'si',
};
const SSH: Interpreter = {
  ...plain,
  codeFlags: '',
  optionsWithValue: new Set(['-B', '-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w']),
  codeOperands: 'after-first',
};

const INTERPRETERS: ReadonlyMap<string, Interpreter> = new Map([
  ...['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh', 'yash', 'busybox'].map((name) => [name, SHELL] as const),
  ...['awk', 'gawk', 'mawk', 'nawk'].map((name) => [name, AWK] as const),
  ...['perl', 'ruby'].map((name) => [name, PERL] as const),
  ['python', PYTHON],
  ...['node', 'nodejs'].map((name) => [name, NODE] as const),
  ['php', PHP],
  ...['su', 'runuser'].map((name) => [name, SU] as const),
  ['flock', FLOCK],
  ['env', ENV],
  ['watch', WATCH],
  ['ssh', SSH],
  ['sudo', SUDO],
]);

/** `python3.11` → python; `/usr/bin/gawk` → gawk. */
function interpreterOf(word: string): Interpreter | undefined {
  const base = word.slice(word.lastIndexOf('/') + 1).replace(/^(python)[\d.]*$/, '$1');
  return INTERPRETERS.get(base);
}

/**
 * Whether an option word takes code: a long code option (its value attached or next), or a
 * group of letters holding a code flag in any place (sh reads `-ce` and `-ec` alike).
 * `attached`: the code is in the word itself (`--eval=$1`); `either`: in it or the next.
 */
function codeOption(word: string, interpreter: Interpreter): 'next' | 'attached' | 'either' | null {
  for (const long of interpreter.codeOptions) {
    if (word === long) return 'next';
    if (word.startsWith(`${long}=`)) return 'attached';
  }
  const group = /^-([A-Za-z]+)(.*)$/s.exec(word);
  if (group === null || word.startsWith('--')) return null;
  const letters = group[1]!;
  const at = [...letters].findIndex((ch) => interpreter.codeFlags.includes(ch));
  if (at === -1) return null;
  // More after the flag: python and perl take it as the code (-cprint, -e'...'), a shell as
  // more flags (-ce) before the script. Either may be it.
  return at === letters.length - 1 && group[2] === '' ? 'next' : 'either';
}

/** The indices of the words run as code. */
export function codeWords(words: readonly ActionWord[]): Set<number> {
  const code = new Set<number>();
  words.forEach((word, at) => {
    const interpreter = word.captured ? undefined : interpreterOf(word.text);
    if (interpreter !== undefined) markCode(words, at, interpreter, code);
  });
  return code;
}

function markCode(words: readonly ActionWord[], at: number, interpreter: Interpreter, code: Set<number>): void {
  let programFromFile = false;
  let operands = 0;
  let throughShell = false;
  let optionsEnded = false;
  const operand = (i: number): boolean => {
    // `sudo -s CMD ARGS`: the command and its arguments are one line for the shell.
    const mode = throughShell ? 'all' : interpreter.codeOperands;
    const isCode = mode === 'all' || (mode === 'first' && operands === 0 && !programFromFile) || (mode === 'after-first' && operands > 0);
    if (isCode) code.add(i);
    operands++;
    // watch, ssh and sudo -s take every word after their first operand as the command, even
    // words that look like their own options (`ssh host block -p "$1"`).
    if (mode === 'all' || mode === 'after-first') {
      optionsEnded = true;
      return true;
    }
    // Only su and flock read a -c after an operand.
    return interpreter.optionsAfterOperands;
  };
  for (let i = at + 1; i < words.length; i++) {
    const { text, captured } = words[i]!;
    if (!optionsEnded && !captured && text === '--') {
      optionsEnded = true;
      continue;
    }
    if (!optionsEnded && captured && text.startsWith('-')) {
      // An option the log line chooses (`sh -$1 ...`): it could be the code flag.
      code.add(i);
      return;
    }
    if (optionsEnded || !/^[-+]./.test(text)) {
      if (!operand(i)) return;
      continue;
    }
    const takes = codeOption(text, interpreter);
    // `-c$1`: the capture is attached to the flag, so it is the code.
    if (takes === 'attached' || (takes !== null && captured)) {
      code.add(i);
      return;
    }
    if (takes === 'either') code.add(i);
    if (takes === 'next' || takes === 'either') {
      // `bash -c -- SCRIPT`: the script is the word after the `--`.
      const script = words[i + 1]?.text === '--' && words[i + 1]?.captured === false ? i + 2 : i + 1;
      if (script < words.length) code.add(script);
      return;
    }
    if (interpreter === AWK && text.startsWith('-f')) programFromFile = true;
    const letters = /^-([A-Za-z]+)$/.exec(text)?.[1] ?? (text === '--shell' ? 's' : text === '--login' ? 'i' : '');
    if ([...letters].some((ch) => interpreter.shellFlags.includes(ch))) throughShell = true;
    if (interpreter.optionsWithValue.has(text)) i++;
  }
}
