/** The server on standard input and output, as `rulec lsp` runs it. */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { serve } from './server.js';

/** Serves on stdin/stdout; the connection ends the process when the client says exit. */
export async function serveStdio(): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  await serve(connection);
}
