/**
 * `rulec`: dispatches to the commands in `commands/index.ts`. Returns the exit code
 * (0 ok, 1 findings or failures, 2 usage or internal error); never exits the process.
 * Commands load the compiler lazily, so `--help` and the runtime commands do not pay for
 * ts-morph and esbuild.
 */
import { UserError } from '../compiler/user-error.js';
import { didYouMean } from '../compiler/did-you-mean.js';
import { packageVersion } from '../compiler/manifest.js';
import { UsageError, type Command, type Io } from './command.js';
import { commands } from './commands/index.js';

const processIo: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

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
  }
}

/** Runs `rulec` with the arguments after the program name. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
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
