// Test action: waits one second, then appends its arguments after the first (the record file)
// as one JSON line; an action still running when the daemon is told to stop.
import { appendFileSync } from 'node:fs';

const [file, ...words] = process.argv.slice(2);
setTimeout(() => appendFileSync(file, `${JSON.stringify(words)}\n`), 1000);
