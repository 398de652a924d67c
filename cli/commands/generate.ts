/** `rulec generate`: prints a commented starter rule file. */
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { STARTER_RULES } from './starter-rules.js';

/** `rulec generate`. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'print a commented starter rule file covering every block kind',
  usage: 'rulec generate > my.rules',
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {});
    if (positionals.length > 0) throw new UsageError('generate takes no arguments');
    io.out(STARTER_RULES);
    return 0;
  },
};
