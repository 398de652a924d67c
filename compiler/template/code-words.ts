/**
 * Which words of an action an interpreter runs as code: the script of `sh -c SCRIPT`, the
 * program of `awk 'PROGRAM'`, the code of `perl -e CODE`. A capture there would let the log
 * line write code (`sh -c "echo $1"` with `$(reboot)` in the line), so the checker refuses it.
 *
 * Every word naming a known interpreter is looked at, not just the first, so the usual
 * wrappers (`env`, `sudo -u x`, `timeout 5`, `nice`) are covered without a table of their own
 * options. Interpreters started some other way (a script of the operator's own, `xargs`) are
 * not seen; docs/actions.md says so.
 */

/** How an interpreter takes code on its command line. */
interface Interpreter {
  /** An option word (`-c`, `-ec`, `-le`) ending in one of these letters makes the next operand code. */
  readonly codeFlags: string;
  /** Options whose value is the next word (`-o pipefail`, `-F :`). */
  readonly optionsWithValue: ReadonlySet<string>;
  /** awk: without `-f` the first operand is the program. */
  readonly firstOperandIsCode: boolean;
}

const SHELL: Interpreter = { codeFlags: 'c', optionsWithValue: new Set(['-o', '+o', '-O', '+O']), firstOperandIsCode: false };
const AWK: Interpreter = { codeFlags: 'e', optionsWithValue: new Set(['-F', '-v', '-f', '-i', '-l']), firstOperandIsCode: true };
const PERL: Interpreter = { codeFlags: 'eE', optionsWithValue: new Set(['-I', '-M', '-m']), firstOperandIsCode: false };
const PYTHON: Interpreter = { codeFlags: 'c', optionsWithValue: new Set(['-W', '-X', '-m']), firstOperandIsCode: false };
const NODE: Interpreter = { codeFlags: 'ep', optionsWithValue: new Set(['-r', '--require', '--import']), firstOperandIsCode: false };
const PHP: Interpreter = { codeFlags: 'rBRE', optionsWithValue: new Set(['-c', '-d', '-f']), firstOperandIsCode: false };

const INTERPRETERS: ReadonlyMap<string, Interpreter> = new Map([
  ...['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh', 'yash', 'busybox'].map((name) => [name, SHELL] as const),
  ...['awk', 'gawk', 'mawk', 'nawk'].map((name) => [name, AWK] as const),
  ...['perl', 'ruby'].map((name) => [name, PERL] as const),
  ['python', PYTHON],
  ...['node', 'nodejs'].map((name) => [name, NODE] as const),
  ['php', PHP],
]);

/** `python3.11` → python; `/usr/bin/gawk` → gawk. */
function interpreterOf(word: string): Interpreter | undefined {
  const base = word.slice(word.lastIndexOf('/') + 1).replace(/^(python)[\d.]*$/, '$1');
  return INTERPRETERS.get(base);
}

function isCodeFlag(word: string, interpreter: Interpreter): boolean {
  if (word === '--eval' || word === '--print' || word === '--source') return true;
  return /^-[A-Za-z]+$/.test(word) && interpreter.codeFlags.includes(word[word.length - 1]!);
}

/**
 * The indices of the words run as code. `words` holds each word's literal text, or null for a
 * word with a capture in it (which can be code, but cannot name an interpreter or an option).
 */
export function codeWords(words: readonly (string | null)[]): Set<number> {
  const code = new Set<number>();
  words.forEach((word, at) => {
    const interpreter = word === null ? undefined : interpreterOf(word);
    if (interpreter === undefined) return;
    let programFromFile = false;
    const operandIsCode = (i: number): void => {
      if (interpreter.firstOperandIsCode && !programFromFile && i < words.length) code.add(i);
    };
    for (let i = at + 1; i < words.length; i++) {
      const arg = words[i]!;
      if (arg === '--') return operandIsCode(i + 1);
      if (arg === null || !/^[-+]./.test(arg)) return operandIsCode(i);
      if (isCodeFlag(arg, interpreter)) {
        if (i + 1 < words.length) code.add(i + 1);
        return;
      }
      if (interpreter === AWK && arg.startsWith('-f')) programFromFile = true;
      if (interpreter.optionsWithValue.has(arg)) i++;
    }
  });
  return code;
}
