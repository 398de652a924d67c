// Test action: appends to its records file (first argument) who started it — its parent's pid,
// and whether that parent is the daemon's action helper (RULEC_ACTION_HELPER=1 in its environment).
import { appendFileSync, readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
const parentEnv = readFileSync(`/proc/${process.ppid}/environ`, 'utf8').split('\0');
appendFileSync(file, `${JSON.stringify([String(process.ppid), parentEnv.includes('RULEC_ACTION_HELPER=1') ? 'helper' : 'other'])}\n`);
