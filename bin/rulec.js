#!/usr/bin/env node
// Until something listens, Node opens an inspector (code execution for any local user) on
// SIGUSR1. Listen before loading anything: loading takes long enough on a busy host for a reload
// signal to land first (cli/main.ts then sets up the rest of the process).
process.on('SIGUSR1', () => {});
const { main } = await import('../out/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
