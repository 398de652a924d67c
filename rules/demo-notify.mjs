#!/usr/bin/env node
// The demo's action: prints its arguments and appends them to notify.log in the working
// directory, so `rulec demo` can count the actions that really ran. Arguments come from log
// text: they are printed escaped and stored as JSON, never interpreted.
import { appendFileSync } from 'node:fs';

const args = process.argv.slice(2);
const escape = (text) =>
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

appendFileSync('notify.log', `${JSON.stringify(args)}\n`);
process.stdout.write(`[demo-notify] ${args.map(escape).join(' ')}\n`);
