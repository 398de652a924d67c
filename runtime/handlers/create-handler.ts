/** Handlers by name, as a snort block's `handler` lines and `rulec snort --handler` name them. */
import { SNORT_HANDLERS } from '../contract.js';
import type { Logger } from '../log/logger.js';
import type { AlertHandler } from './alert-handler.js';
import { HttpPostHandler } from './http-post.js';
import { JsonLinesHandler } from './json-lines.js';
import { ReplHandler } from './repl.js';

/** A handler as named: its name and `key=value` options. */
export interface HandlerRequest {
  readonly name: string;
  readonly options: Readonly<Record<string, string>>;
}

/** Where handlers that talk to a person or write output do so. */
export interface HandlerDeps {
  readonly log: Logger;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
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

/** Makes the handler, or throws an Error saying what is wrong with the request. */
export function createHandler(request: HandlerRequest, deps: HandlerDeps): AlertHandler {
  const name = handlerName(request.name);
  if (name === null) throw new Error(`unknown handler \`${request.name}\` (${Object.keys(SNORT_HANDLERS).join(', ')})`);
  const allowed: readonly string[] = SNORT_HANDLERS[name];
  const options = request.options;
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new Error(`handler ${name} takes ${allowed.length === 0 ? 'no options' : allowed.map((k) => `${k}=`).join(', ')}, not ${key}=`);
  }
  const number = (key: string, min: number, max: number): number | undefined => {
    const text = options[key];
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new Error(`handler ${name}: ${key}=${text} must be a number from ${min} to ${max}`);
    return value;
  };
  switch (name) {
    case 'json':
      return new JsonLinesHandler(options.file ?? null, deps.stdout);
    case 'http': {
      const url = options.url;
      if (url === undefined) throw new Error('handler http needs url=');
      const timeout = number('timeout', 0.001, 3600);
      return new HttpPostHandler({
        url,
        timeoutMs: timeout === undefined ? undefined : timeout * 1000,
        retries: number('retries', 0, 100),
        backoffMs: number('backoff', 0, 60_000),
        queueCap: number('queue', 1, 1_000_000),
        concurrency: number('concurrency', 1, 64),
      }, deps.log);
    }
    case 'repl':
      return new ReplHandler(deps.stdin, deps.stdout, deps.log);
  }
}
