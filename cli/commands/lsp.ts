/** `rulec lsp`: the language server on standard input and output (see lsp/README.md). */
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';

/** `rulec lsp`; it ends when the editor closes the connection. */
export const lspCommand: Command = {
  name: 'lsp',
  summary: 'the language server for editors, on standard input and output',
  usage: 'rulec lsp [--stdio]',
  async run(args) {
    // Editors' clients often pass --stdio; it is the only transport.
    const { positionals } = parseCommandArgs(args, { stdio: { type: 'boolean', default: true } });
    if (positionals.length > 0) throw new UsageError('lsp takes no arguments');
    const { serveStdio } = await import('../../lsp/stdio.js');
    await serveStdio();
    // Until the client says exit (which ends the process), the open streams keep it running.
    return new Promise<number>(() => {});
  },
};
