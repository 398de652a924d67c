/**
 * `rulec`: dispatches to the commands in `commands/index.ts`. Returns the exit code
 * (0 ok, 1 findings or failures, 2 usage or internal error); never exits the process.
 * Commands load the compiler lazily (`loadCompiler()`), so `--help` and the runtime commands do
 * not pay for ts-morph and esbuild. The CLI uses only the compiler's API and the runtime's entry.
 */
import { didYouMean, packageVersion, UserError } from '../compiler/api.js';
import { guardProcess } from '../runtime/index.js';
import { UsageError, withDefaults, type Command, type Io } from './command.js';
import { commands } from './commands/index.js';

/** For bin/rulec.js: the guard that ends the process in order on a signal nothing else handles. */
export { guardTermination } from '../runtime/index.js';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: rulec COMMAND [ARGS...]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    '  -h, --help     this help (rulec COMMAND --help: the command\'s usage)',
    '  -V, --version  the rulec version',
    '',
    'exit codes: 0 ok, 1 findings or failures, 2 usage or internal error',
    '',
  ].join('\n');
}

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function runCommand(command: Command, args: readonly string[], io: Io): Promise<number> {
  // With the command's promise unsettled and nothing left to wait on, Node would end the
  // process with exit 13 and no word: say so, with the code for an internal error.
  const unsettled = (): void => {
    io.err(`rulec ${command.name}: internal error: the process ran out of work before the command finished\n`);
    process.exitCode = 2;
  };
  process.once('beforeExit', unsettled);
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`rulec ${command.name}: ${error.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    if (error instanceof UserError) {
      io.err(`rulec ${command.name}: ${error.message}\n`);
      return 2;
    }
    // A bug: keep the stack so it can be reported.
    io.err(`rulec ${command.name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  } finally {
    process.off('beforeExit', unsettled);
  }
}

/**
 * Runs `rulec` with the arguments after the program name. Sets the process up first
 * (`guardProcess`: no inspector on SIGUSR1, the regex time bound).
 */
export async function main(argv: readonly string[], given: Partial<Io> = {}): Promise<number> {
  guardProcess();
  const io = withDefaults(given);
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(help());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(`rulec ${packageVersion()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    const guess = didYouMean(name, commands.map((c) => c.name));
    io.err(`rulec: unknown command \`${name}\`${guess === undefined ? '' : `; did you mean \`${guess}\`?`}\nrun \`rulec --help\` for the list\n`);
    return 2;
  }
  if (wantsHelp(rest)) {
    io.out(`usage: ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  return runCommand(command, rest, io);
}
