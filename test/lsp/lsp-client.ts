/**
 * A real language client (vscode-languageserver-protocol's connection) talking to the server
 * in-process over two in-memory streams, as vscode-languageserver-node's own tests do.
 */
import { PassThrough } from 'node:stream';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { serve } from '../../lsp/server.js';

/** How long a test waits for the server's diagnostics before failing (the machine may be loaded). */
const WAIT_MS = 20_000;

export interface TestClient {
  readonly connection: ProtocolConnection;
  /** Every publish received, oldest first. */
  readonly published: PublishDiagnosticsParams[];
  open(uri: string, text: string): void;
  change(uri: string, version: number, text: string): void;
  /** The first publish for `uri` (at `version`, when given) that `after` did not see yet. */
  diagnostics(uri: string, version?: number, after?: number): Promise<PublishDiagnosticsParams>;
  close(): void;
}

/** Starts a server and a client on it; `rootUri` is the workspace folder (null: none). */
export async function startClient(rootUri: string | null): Promise<TestClient> {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createConnection(ProposedFeatures.all, new StreamMessageReader(up), new StreamMessageWriter(down));
  void serve(server, { debounceMs: 10 });
  const connection = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const published: PublishDiagnosticsParams[] = [];
  const waiters = new Set<() => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const wake of [...waiters]) wake();
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri,
    workspaceFolders: rootUri === null ? null : [{ uri: rootUri, name: 'root' }],
    capabilities: {},
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    published,
    open(uri, text) {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rules', version: 1, text } });
    },
    change(uri, version, text) {
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    diagnostics(uri, version, after = 0) {
      const find = () => published.slice(after).find((p) => p.uri === uri && (version === undefined || p.version === version));
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = find();
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no diagnostics for ${uri} within ${WAIT_MS} ms`));
        }, WAIT_MS);
        waiters.add(check);
        check();
      });
    },
    close() {
      connection.dispose();
      server.dispose();
      up.end();
      down.end();
    },
  };
}
