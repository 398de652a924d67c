/**
 * The registry of `rulec` subcommands, in the order `rulec --help` lists them.
 * Adding a command is one import and one entry.
 */
import type { Command } from '../command.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { demoCommand } from './demo.js';
import { fmtCommand } from './fmt.js';
import { generateCommand } from './generate.js';
import { lspCommand } from './lsp.js';
import { monitorCommand } from './monitor.js';
import { regexCommand } from './regex.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { snortCommand } from './snort.js';
import { testCommand } from './test.js';

/** Every subcommand, in help order. */
export const commands: readonly Command[] = [
  checkCommand,
  fmtCommand,
  buildCommand,
  generateCommand,
  runCommand,
  reportCommand,
  testCommand,
  snortCommand,
  regexCommand,
  monitorCommand,
  demoCommand,
  lspCommand,
];
