/** Helpers for the `rulec run` tests: a daemon child process, rule files and records. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { completeJsonLines } from '../helpers/json-lines.js';
import { waitFor as poll } from '../helpers/wait-for.js';
import { BIN } from './run-cli.js';

/** `node marker.mjs RECORDS WORD...` appends its words as one JSON line to RECORDS. */
export const MARKER = fileURLToPath(new URL('../runtime/daemon/marker.mjs', import.meta.url));
/** `node parent-marker.mjs RECORDS` records its parent's pid, whether that is the action helper, and what its stdout is (pipe or socket). */
export const PARENT_MARKER = fileURLToPath(new URL('./parent-marker.mjs', import.meta.url));
/** Like MARKER, but sleeps a second first: an action still running when SIGTERM arrives. */
export const SLOW_MARKER = fileURLToPath(new URL('./run-slow-marker.mjs', import.meta.url));

/** A `rulec run` child process and everything it printed so far. */
export interface Daemon {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
}

/** Starts `node bin/rulec.js run ...args` in `cwd` (with `env` added to ours); killed with SIGKILL after `timeoutMs`. */
export function startRun(args: readonly string[], cwd: string, timeoutMs = 25_000, env: NodeJS.ProcessEnv = {}): Daemon {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { child, output: () => output, exited };
}

/** One INI item on `log` whose action runs `script RECORDS WORDS...`. */
export function itemText(name: string, log: string, regex: string, script: string, records: string, words: string, extra = ''): string {
  return `[${name}]\npath = ${log}\nregex = ${regex}\nupbound_action = ${process.execPath} ${script} ${records} ${words}\n${extra}`;
}

/** Writes a rule file (a seam for tests that rewrite it before a reload). */
export function writeRules(file: string, text: string): void {
  writeFileSync(file, text);
}

/** The JSON lines of a records file, [] while it does not exist. */
export function records(file: string): string[][] {
  return completeJsonLines<string[]>(file);
}

/** The file's text, or empty while it does not exist. */
export function read(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/**
 * The shared `waitFor` with the longer default a daemon child process needs: it compiles its
 * rules first, which took 4–5 s on a shared machine at load 20 (8 s was too little there).
 */
export function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  return poll(check, timeoutMs);
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

