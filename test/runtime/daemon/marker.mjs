// Test action: appends its arguments after the first (the record file) as one JSON line.
import { appendFileSync } from 'node:fs';

const [file, ...words] = process.argv.slice(2);
appendFileSync(file, `${JSON.stringify(words)}\n`);
