/** Handlers by name, as a snort block's `handler` lines and `rulec snort --handler` name them. */
import { SNORT_HANDLERS } from '../contract.js';
import type { Logger } from '../log/logger.js';
import type { AlertHandler } from './alert-handler.js';
import { readHandlerOptions } from './handler-options.js';
import { HttpPostHandler } from './http-post.js';
import { JsonLinesHandler } from './json-lines.js';
import { MAIL_SETTINGS_NEEDED, MailBatchHandler, type MailContext } from './mail-batch.js';
import { ReplHandler } from './repl.js';

/** A handler as named: its name and `key=value` options. */
export interface HandlerRequest {
  readonly name: string;
  readonly options: Readonly<Record<string, string>>;
}

/** Where a handler may write. */
export interface Output {
  write(text: string): unknown;
}

/** A person at a terminal, for the REPL handler. */
export interface Terminal {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * What handlers get from the command that runs them. `output` and `terminal` are a string, the
 * reason, where the command has none to give (`rulec run -d` writes its log to standard output
 * and has no terminal); `mail` is null without a rule file.
 */
export interface HandlerDeps {
  readonly log: Logger;
  /** Standard output for a `json` handler without `file=`. */
  readonly output: Output | string;
  readonly terminal: Terminal | string;
  readonly mail: MailContext | null;
}

/** Pigear's dotted class names, so its command lines keep working. */
const PIGEAR_NAMES: Readonly<Record<string, keyof typeof SNORT_HANDLERS>> = {
  'pigear.core.DataHandler': 'json',
  'pigear.contrib.HttpSendHandler': 'http',
  'pigear.contrib.IPythonDataHandler': 'repl',
};

/** The handler's canonical name (Pigear's class names map to ours), or null for an unknown one. */
export function handlerName(name: string): keyof typeof SNORT_HANDLERS | null {
  if (Object.hasOwn(SNORT_HANDLERS, name)) return name as keyof typeof SNORT_HANDLERS;
  return Object.hasOwn(PIGEAR_NAMES, name) ? PIGEAR_NAMES[name]! : null;
}

/**
 * Why the handler cannot run with `deps` (an unknown name or option, a value of the wrong form,
 * nowhere to write, no terminal, no mail settings), or null. Reads nothing and makes nothing:
 * a daemon asks before it starts, and before `-d` leaves the terminal.
 */
export function handlerProblem(request: HandlerRequest, deps: Omit<HandlerDeps, 'log'>): string | null {
  const name = handlerName(request.name);
  if (name === null) return `unknown handler \`${request.name}\` (${Object.keys(SNORT_HANDLERS).join(', ')})`;
  try {
    readHandlerOptions(name, request.options);
  } catch (error) {
    return (error as Error).message;
  }
  switch (name) {
    case 'json':
      return request.options.file === undefined && typeof deps.output === 'string' ? `handler json without file= writes to standard output, and ${deps.output}: give it file=` : null;
    case 'http':
      return request.options.url === undefined ? 'handler http needs url=' : null;
    case 'repl':
      return typeof deps.terminal === 'string' ? `handler repl needs a terminal, and ${deps.terminal} (rulec snort FILE --repl runs one)` : null;
    case 'mail': {
      if (deps.mail === null) return 'handler mail takes its settings (set to, set pgp, set smtp) from a rule file; name it in a snort block of one';
      const settings = deps.mail.settings;
      const missing = MAIL_SETTINGS_NEEDED.filter((key) => !Object.hasOwn(settings, key) || settings[key]!.trim() === '');
      return missing.length === 0 ? null : `handler mail needs ${missing.map((key) => `set ${key}`).join(', ')} in the rule file`;
    }
  }
}

/** Makes the handler, or throws an Error saying what is wrong with the request (`handlerProblem`). Call `open` on it, when it has one, before use. */
export function createHandler(request: HandlerRequest, deps: HandlerDeps): AlertHandler {
  const problem = handlerProblem(request, deps);
  if (problem !== null) throw new Error(problem);
  const name = handlerName(request.name)!;
  const options = readHandlerOptions(name, request.options);
  const number = (key: string): number | undefined => options[key] as number | undefined;
  const text = (key: string): string | undefined => options[key] as string | undefined;
  switch (name) {
    case 'json':
      return new JsonLinesHandler(text('file') ?? null, typeof deps.output === 'string' ? null : deps.output);
    case 'http': {
      const timeout = number('timeout');
      const backoff = number('backoff');
      return new HttpPostHandler({
        url: text('url')!,
        timeoutMs: timeout === undefined ? undefined : timeout * 1000,
        retries: number('retries'),
        backoffMs: backoff === undefined ? undefined : backoff * 1000,
        queueCap: number('queue'),
        concurrency: number('concurrency'),
      }, deps.log);
    }
    case 'repl': {
      const terminal = deps.terminal as Terminal;
      return new ReplHandler(terminal.stdin, terminal.stdout, deps.log);
    }
    case 'mail':
      return new MailBatchHandler(deps.mail!, {
        count: number('count'),
        every: number('every'),
        max: number('max'),
        mimeFile: text('mime_file'),
        subject: text('subject'),
      }, deps.log);
  }
}
