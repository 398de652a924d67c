// Test helper: appends its argv and RULEC_* environment as one JSON line to $DUMP_FILE.
import { appendFileSync } from 'node:fs';

const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('RULEC_')));
appendFileSync(process.env.DUMP_FILE, JSON.stringify({ argv: process.argv.slice(2), env }) + '\n');
