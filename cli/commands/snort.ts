/**
 * `rulec snort [FILE] [--logdir DIR] [--handler NAME key=value ...] [--serve-forever] [--debug]`:
 * Pigear's command line. `key=value` words belong to the handler named before them (Pigear's
 * `--data-handler CLASS` and its class names work too); `--repl` is `--handler repl`.
 */
import { dirname, resolve } from 'node:path';
import { ALERT_VARIANTS, holdTermination, serveSnort, type AlertVariant, type ByteOrder, type HandlerRequest } from '../../runtime/index.js';
import { UsageError, type Command } from '../command.js';
import { loadRuleFile } from '../load-rules.js';

const USAGE = `rulec snort [FILE.rules] [--logdir DIR] [--snort-conf FILE] [--handler NAME [key=value ...]]... [--repl]
            [--variant ${ALERT_VARIANTS.join('|')}] [--byte-order native|little|big] [--threads N]
            [--classification-config FILE] [--serve-forever] [--debug]`;

interface SnortArgs {
  logdir: string | null;
  snortConf: string | null;
  variant: AlertVariant;
  byteOrder: ByteOrder;
  threads: number;
  classificationConfig: string | null;
  handlers: { name: string; options: Record<string, string> }[];
  serveForever: boolean;
  debug: boolean;
  files: string[];
  /** Listener options given (they do not go with a rule file). */
  listenerFlags: string[];
}

function parseSnortArgs(args: readonly string[]): SnortArgs {
  const parsed: SnortArgs = {
    logdir: null, snortConf: null, variant: 'snort2', byteOrder: 'native', threads: 1, classificationConfig: null,
    handlers: [], serveForever: false, debug: false, files: [], listenerFlags: [],
  };
  const value = (i: number, flag: string): string => {
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => inline ?? value(i++, flag);
    if (['--logdir', '--snort-conf', '--classification-config', '--variant', '--byte-order', '--threads'].includes(flag)) parsed.listenerFlags.push(flag);
    switch (flag) {
      case '--logdir': parsed.logdir = take(); break;
      case '--snort-conf': parsed.snortConf = take(); break;
      case '--classification-config': parsed.classificationConfig = take(); break;
      case '--variant': {
        const v = take();
        if (!(ALERT_VARIANTS as readonly string[]).includes(v)) throw new UsageError(`--variant must be one of ${ALERT_VARIANTS.join(', ')}`);
        parsed.variant = v as AlertVariant;
        break;
      }
      case '--byte-order': {
        const v = take();
        if (v !== 'native' && v !== 'little' && v !== 'big') throw new UsageError('--byte-order must be native, little or big');
        parsed.byteOrder = v;
        break;
      }
      case '--threads': {
        const v = take();
        if (!/^[1-9]\d{0,2}$/.test(v)) throw new UsageError('--threads must be a whole number from 1 to 999');
        parsed.threads = Number(v);
        break;
      }
      case '--handler':
      case '--data-handler': parsed.handlers.push({ name: take(), options: {} }); break;
      case '--repl': parsed.handlers.push({ name: 'repl', options: {} }); break;
      case '--serve-forever': parsed.serveForever = true; break;
      case '--debug': parsed.debug = true; break;
      default: {
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        const equals = arg.indexOf('=');
        const handler = parsed.handlers.at(-1);
        if (equals > 0) {
          if (handler === undefined) throw new UsageError(`${arg}: key=value options follow the --handler they are for`);
          handler.options[arg.slice(0, equals)] = arg.slice(equals + 1);
        } else {
          parsed.files.push(arg);
        }
      }
    }
  }
  return parsed;
}

/** `rulec snort`: listens on Snort's alert socket. */
export const snortCommand: Command = {
  name: 'snort',
  summary: "listen on Snort's alert socket and hand each alert to handlers (Pigear)",
  usage: USAGE,
  async run(args, io) {
    const parsed = parseSnortArgs(args);
    const handlers: HandlerRequest[] = parsed.handlers;
    // A REPL needs the terminal itself; what is only written goes through io.
    const streams = { out: { write: io.out }, err: { write: io.err }, terminal: { stdin: process.stdin, stdout: process.stdout } };
    if (parsed.files.length === 0) {
      // Paths on the command line are the caller's, relative to its working directory.
      const path = (p: string | null): string | null => (p === null ? null : resolve(io.cwd, p));
      const paths = { logdir: path(parsed.logdir), snortConf: path(parsed.snortConf), classificationConfig: path(parsed.classificationConfig) };
      return serveSnort({ ...parsed, ...paths, handlers }, streams);
    }
    if (parsed.files.length > 1) throw new UsageError(`${parsed.files[1]}: one rule file at most`);
    if (parsed.listenerFlags.length > 0) throw new UsageError(`${parsed.listenerFlags.join(', ')}: with a rule file its snort blocks say where and how to listen`);
    // A server: compiled in a child process, so it never holds the compiler. A SIGTERM or
    // SIGINT meanwhile is held for the listener, which then stops in order at once.
    const hold = holdTermination();
    try {
      const loaded = await loadRuleFile(parsed.files[0]!, io, 'child');
      if (loaded.report !== '') io.err(loaded.report);
      if (loaded.module === null) return 1;
      return await serveSnort({ ...parsed, handlers, modules: [loaded.module], baseDir: dirname(resolve(io.cwd, parsed.files[0]!)) }, streams, hold);
    } finally {
      hold.release();
    }
  },
};
