import { closeSync, writeSync } from 'node:fs';
import { openAppend } from '../fs/index.js';
import { escapeControl, type EscapedText } from './escape.js';

/** Severity, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Text to escape, or parts of it: plain strings are escaped, `EscapedText` (safe already) is not. */
export type LogMessage = string | readonly (string | EscapedText)[];

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Where and what the engine logs about itself. */
export interface LoggerOptions {
  /** Lowest level written; default `info`. */
  readonly level?: LogLevel;
  /** Append to this file (never through a symlink: see openAppend); reopened by `reopen()` (SIGHUP after rotation). */
  readonly file?: string | null;
  /** Also write to stdout (`true`) or to the given stream. */
  readonly stdout?: boolean | { write(text: string): unknown };
  /** Source of the time on each line; default the wall clock. */
  readonly now?: () => number;
}

/**
 * The engine's own log: one line per message, `<ISO time> <level> [<item>] <message>`. Item
 * names and messages are escaped (control characters, ANSI, line breaks) because they carry
 * log-derived text. Writing never throws: a failing file is reported once on stderr.
 */
export class Logger {
  private readonly level: number;
  private readonly file: string | null;
  private out: { write(text: string): unknown } | null;
  private readonly now: () => number;
  private fd: number | null = null;
  private fileFailed = false;

  constructor(options: LoggerOptions = {}) {
    this.level = RANK[options.level ?? 'info'];
    this.file = options.file ?? null;
    const stdout = options.stdout ?? false;
    this.out = stdout === true ? process.stdout : stdout === false ? null : stdout;
    // A closed stdout (a pipe to `head`) raises EPIPE as an 'error' event: stop writing there
    // instead of crashing the engine.
    if (stdout === true) process.stdout.once('error', () => {
      this.out = null;
    });
    this.now = options.now ?? Date.now;
    this.open();
  }

  /** True when messages of `level` are written (skip building costly messages otherwise). */
  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.level;
  }

  debug(item: string | null, message: LogMessage): void {
    this.log('debug', item, message);
  }

  info(item: string | null, message: LogMessage): void {
    this.log('info', item, message);
  }

  warn(item: string | null, message: LogMessage): void {
    this.log('warn', item, message);
  }

  error(item: string | null, message: LogMessage): void {
    this.log('error', item, message);
  }

  /** Writes one line if `level` is enabled; `item` is the rule item the message is about, or null. */
  log(level: LogLevel, item: string | null, message: LogMessage): void {
    if (RANK[level] < this.level) return;
    const who = item === null ? '' : `[${escapeControl(item)}] `;
    const text = typeof message === 'string' ? escapeControl(message) : message.map((part) => (typeof part === 'string' ? escapeControl(part) : part.escaped)).join('');
    const line = `${new Date(this.now()).toISOString()} ${level} ${who}${text}\n`;
    if (this.out !== null) this.out.write(line);
    if (this.fd !== null) {
      try {
        writeSync(this.fd, line);
      } catch (err) {
        this.fail(err);
      }
    }
  }

  /**
   * Reopens the log file, so a rotated log continues in a fresh file. The new file is opened
   * before the old one is closed: when that fails (after `-u` the user may not create files in
   * the log directory), lines keep going to the old file instead of nowhere. Returns whether a
   * file was opened (false: no file to log to, or the warning has said why not).
   */
  reopen(): boolean {
    if (this.file === null) return false;
    let fresh: number;
    try {
      fresh = openAppend(this.file);
    } catch (err) {
      if (this.fd !== null) {
        this.warn(null, `cannot reopen log file ${this.file}: ${(err as Error).message}; still writing to the file open before`);
      } else {
        this.fileFailed = false;
        this.fail(err);
      }
      return false;
    }
    this.closeFile();
    this.fd = fresh;
    this.fileFailed = false;
    return true;
  }

  /** True when a log file was asked for and is not open (it could not be opened, or failed). */
  get fileLost(): boolean {
    return this.file !== null && this.fd === null;
  }

  /** Closes the file; later messages go to stdout only. */
  close(): void {
    this.closeFile();
  }

  private open(): void {
    if (this.file === null) return;
    try {
      this.fd = openAppend(this.file);
    } catch (err) {
      this.fail(err);
    }
  }

  private closeFile(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // Nothing more to do with a descriptor that will not close.
    }
    this.fd = null;
  }

  private fail(err: unknown): void {
    this.fd = null;
    if (this.fileFailed) return;
    this.fileFailed = true;
    process.stderr.write(`rulec: cannot write log file ${escapeControl(String(this.file))}: ${escapeControl(String(err))}\n`);
  }
}
