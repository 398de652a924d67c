// Test action: appends to its records file (first argument) who started it — its parent's pid,
// and whether that parent is the daemon's action helper (RULEC_ACTION_HELPER=1 in its
// environment) — and what its stdout is: a pipe from posix_spawn, a socket pair from Node's spawn.
import { appendFileSync, readFileSync, readlinkSync } from 'node:fs';

const [file] = process.argv.slice(2);
const parentEnv = readFileSync(`/proc/${process.ppid}/environ`, 'utf8').split('\0');
const stdout = readlinkSync('/proc/self/fd/1').replace(/:.*/, '');
appendFileSync(file, `${JSON.stringify([String(process.ppid), parentEnv.includes('RULEC_ACTION_HELPER=1') ? 'helper' : 'other', stdout])}\n`);
