/**
 * The open rule files and their diagnostics. Every check reads open buffers before the disk, so
 * an included file's unsaved text counts; a file included by another open file is checked as
 * part of it and its diagnostics are those its includer's check puts in it (as `rulec check`
 * of the includer prints them), other open files are checked on their own. Checks run a short
 * while after the last change (debounced), all open files together.
 */
import type { EditorToolkit, FileRead, LoadHost } from '../compiler/api.js';
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Texts, toLspDiagnostic } from './convert.js';
import { pathOf, shownName, uriOf } from './paths.js';

/** Where diagnostics go (the connection, or a test). */
export type Publish = (uri: string, diagnostics: Diagnostic[], version?: number) => void;

/** The open documents, as the server's TextDocuments holds them. */
export interface OpenDocuments {
  all(): TextDocument[];
  get(uri: string): TextDocument | undefined;
}

export class Workspace {
  private timer: NodeJS.Timeout | undefined;
  private published = new Map<string, Diagnostic[]>();

  constructor(
    private readonly tools: EditorToolkit,
    private readonly documents: OpenDocuments,
    private readonly root: string | null,
    private readonly publish: Publish,
    private readonly delayMs: number,
    private readonly report: (message: string) => void,
  ) {}

  /** The text of an open buffer, by absolute path. */
  openText(path: string): string | undefined {
    return this.documents.get(uriOf(path))?.getText();
  }

  /** Reads open buffers first, then the disk; names shown relative to the workspace root. */
  host(): LoadHost {
    const { nodeHost } = this.tools;
    const read = (name: string): FileRead => {
      const open = this.openText(name);
      return open !== undefined ? { kind: 'text', text: open } : nodeHost.read!(name);
    };
    return {
      read,
      readFile: (name) => {
        const found = read(name);
        return found.kind === 'text' ? found.text : undefined;
      },
      unreadable: (name) => (this.openText(name) !== undefined ? null : nodeHost.unreadable!(name)),
      identity: (name) => nodeHost.identity!(name),
      // A private file sourced by an open one is summarised, not quoted (R382); its own buffer is the user's to see.
      isPrivate: (name) => this.openText(name) === undefined && nodeHost.isPrivate!(name),
      display: (name) => shownName(this.root, name),
    };
  }

  /** Checks again a while after the last call. */
  schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.checkNow();
      } catch (error) {
        // A bug in a check must not end the server: the editor keeps its last diagnostics.
        this.report(`rulec: checking failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }, this.delayMs);
  }

  /** Stops a pending check (on shutdown). */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** Checks every open file and publishes the diagnostics of each file they read; returns them by URI. */
  checkNow(): ReadonlyMap<string, Diagnostic[]> {
    const host = this.host();
    const checked = this.documents
      .all()
      .map((document) => pathOf(document.uri))
      .filter((path): path is string => path !== null)
      .map((path) => ({ path, result: this.tools.checkFiles([path], host)[0]! }));
    const included = new Set(checked.flatMap(({ path, result }) => [...result.sources.keys()].filter((file) => file !== path)));
    const next = new Map<string, Diagnostic[]>();
    for (const { path, result } of checked) {
      if (included.has(path)) continue;
      next.set(uriOf(path), next.get(uriOf(path)) ?? []);
      const texts = new Texts((file) => result.sources.get(file));
      for (const d of result.diagnostics) {
        const uri = uriOf(d.span.file);
        const list = next.get(uri) ?? [];
        const lsp = toLspDiagnostic(d, texts);
        // A file included by two open files gets its own problems once.
        if (!list.some((other) => JSON.stringify(other) === JSON.stringify(lsp))) list.push(lsp);
        next.set(uri, list);
      }
    }
    // Published every time, with the version checked, so a client knows which edit they answer.
    for (const [uri, diagnostics] of next) this.publish(uri, diagnostics, this.documents.get(uri)?.version);
    for (const uri of this.published.keys()) if (!next.has(uri)) this.publish(uri, []);
    this.published = next;
    return next;
  }

  /** The diagnostics last published for a file. */
  diagnostics(uri: string): readonly Diagnostic[] {
    return this.published.get(uri) ?? [];
  }
}
