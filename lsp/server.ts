/**
 * The language server (`rulec lsp`): diagnostics as `rulec check` gives them, published as the
 * user types; completion, hover, code actions, outline, go to definition, semantic tokens,
 * formatting as `rulec fmt` does it, and the `rulec.tryRegex` command. The compiler is reached
 * through its API only (loadEditorTools, loadRegexTools: no code generation is loaded).
 */
import {
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadEditorTools, loadRegexTools, type RulesFile } from '../compiler/api.js';
import { codeActions } from './code-actions.js';
import { complete } from './completion.js';
import { definition } from './definition.js';
import { hover } from './hover.js';
import { pathOf } from './paths.js';
import { LEGEND, semanticTokens } from './semantic-tokens.js';
import { documentSymbols } from './symbols.js';
import { tryRegex } from './try-regex.js';
import { Workspace } from './workspace.js';

/** The command that runs the pattern under the cursor over sample logs (arguments: uri, position). */
export const TRY_REGEX = 'rulec.tryRegex';

/** Options a test may change. */
export interface ServerOptions {
  /** Quiet time after a change before the files are checked again (ms). */
  readonly debounceMs?: number;
}

/** Serves the protocol on `connection` until the client exits. */
export async function serve(connection: Connection, options: ServerOptions = {}): Promise<void> {
  const tools = await loadEditorTools();
  const documents = new TextDocuments(TextDocument);
  let workspace: Workspace | undefined;
  const parsed = new Map<string, { version: number; file: RulesFile }>();
  const fileOf = (document: TextDocument): RulesFile => {
    const known = parsed.get(document.uri);
    if (known !== undefined && known.version === document.version) return known.file;
    const file = tools.parse(document.getText(), pathOf(document.uri) ?? document.uri).value;
    parsed.set(document.uri, { version: document.version, file });
    return file;
  };

  connection.onInitialize((params): InitializeResult => {
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? null;
    const root = rootUri === null ? null : pathOf(rootUri);
    workspace = new Workspace(tools, documents, root, (uri, diagnostics, version) => {
      void connection.sendDiagnostics({ uri, diagnostics, ...(version === undefined ? {} : { version }) });
    }, options.debounceMs ?? 30, (message) => connection.console.error(message));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['=', ' '] },
        hoverProvider: true,
        codeActionProvider: true,
        documentSymbolProvider: true,
        definitionProvider: true,
        documentFormattingProvider: true,
        semanticTokensProvider: { legend: LEGEND, full: true },
        executeCommandProvider: { commands: [TRY_REGEX] },
      },
      serverInfo: { name: 'rulec' },
    };
  });

  documents.onDidChangeContent(() => workspace?.schedule());
  documents.onDidClose((event) => {
    parsed.delete(event.document.uri);
    workspace?.schedule();
  });

  connection.onCompletion((params) => {
    const document = documents.get(params.textDocument.uri);
    return document === undefined ? [] : complete(tools, document, fileOf(document), params.position);
  });
  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (document === undefined || workspace === undefined) return null;
    return hover(tools, document, fileOf(document), document.offsetAt(params.position), workspace.diagnostics(document.uri));
  });
  connection.onCodeAction((params) => {
    const document = documents.get(params.textDocument.uri);
    return document === undefined ? [] : codeActions(document, fileOf(document), params.context.diagnostics);
  });
  connection.onDocumentSymbol((params) => {
    const document = documents.get(params.textDocument.uri);
    return document === undefined ? [] : documentSymbols(document, fileOf(document));
  });
  connection.onDefinition((params) => {
    const document = documents.get(params.textDocument.uri);
    const path = document === undefined ? null : pathOf(document.uri);
    if (document === undefined || path === null || workspace === undefined) return null;
    const host = workspace.host();
    return definition(tools, document, fileOf(document), path, document.offsetAt(params.position), (name) => host.readFile(name));
  });
  connection.onDocumentFormatting((params) => {
    const document = documents.get(params.textDocument.uri);
    if (document === undefined) return [];
    const formatted = tools.formatRules(document.getText(), pathOf(document.uri) ?? document.uri).value;
    if (formatted === null || formatted === document.getText()) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) }, newText: formatted }];
  });
  connection.languages.semanticTokens.on((params) => {
    const document = documents.get(params.textDocument.uri);
    return { data: document === undefined ? [] : semanticTokens(tools, document) };
  });
  connection.onExecuteCommand(async (params) => {
    if (params.command !== TRY_REGEX) return null;
    const [uri, position] = (params.arguments ?? []) as [string?, { line: number; character: number }?];
    const document = uri === undefined ? undefined : documents.get(uri);
    const path = document === undefined ? null : pathOf(document.uri);
    if (document === undefined || path === null || position === undefined) return null;
    const result = tryRegex(await loadRegexTools(), fileOf(document), path, document.offsetAt(position));
    if (result === null) {
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: 'rulec: no pattern under the cursor' });
      return null;
    }
    const summary = result.problems.length > 0
      ? `rulec: the pattern does not translate: ${result.problems.join('; ')}`
      : result.samples.length === 0
        ? 'rulec: no sample log found (the item\'s path, or NAME.pos.log / NAME.neg.log beside the rule file)'
        : `rulec: ${result.samples.map((s) => `${s.matched} of ${s.lines} lines of ${s.file}`).join(', ')} matched`;
    // A notification, not a request: nothing waits for the user to close it.
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: summary });
    return result;
  });
  connection.onShutdown(() => workspace?.dispose());

  documents.listen(connection);
  connection.listen();
}
