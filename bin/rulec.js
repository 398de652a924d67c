#!/usr/bin/env node
// Until something listens, Node opens an inspector (code execution for any local user) on
// SIGUSR1, and SIGTERM, SIGINT and SIGHUP end the process at once, silently, with nothing
// cleaned up. Listen before loading anything: loading takes long enough on a busy host for a
// signal to land first. The ones that do are handed to the guard (process-guards.ts), which
// acts on them unless a starting daemon takes them (it then stops in order).
const held = [];
const hold = (signal) => void held.push(signal);
const early = ['SIGTERM', 'SIGINT', 'SIGHUP'];
process.on('SIGUSR1', () => {});
for (const signal of early) process.on(signal, hold);
const { main, guardTermination } = await import('../out/cli/main.js');
guardTermination(held);
for (const signal of early) process.off(signal, hold);
process.exitCode = await main(process.argv.slice(2));
