// A real SMTP server (the smtp-server package) in its own process on loopback, stricter than
// smtp-sink.mjs: it can require AUTH, speak implicit TLS (smtps) and refuse a sender for good.
// Argument: JSON {dir, key?, cert?, secure?, requireAuth?}: messages are written into dir
// (N.eml); key and cert (PEM) with secure: true give implicit TLS, without it STARTTLS is off.
// The one account is reporter / "right pass".
// Stdout, one JSON object a line: {"port":N} when listening, {"received":"N.eml","from":...,
// "to":[...],"user":...,"secure":...} per message, {"refused":ADDR} per sender refused,
// {"ok":CMD} after a stdin command, {"error":...} per connection error. Stdin lines: "refuse ADDR" answers 550 to MAIL FROM:<ADDR>
// from then on, "accept ADDR" takes it again, "accept" takes every sender again.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';

const options = JSON.parse(process.argv[2]);
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
let count = 0;
const refused = new Set();

const tls = options.secure === true
  ? { secure: true, key: readFileSync(options.key), cert: readFileSync(options.cert) }
  : { disabledCommands: ['STARTTLS'] };

const server = new SMTPServer({
  ...tls,
  authOptional: options.requireAuth !== true,
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, _session, done) {
    if (auth.username === 'reporter' && auth.password === 'right pass') done(null, { user: auth.username });
    else done(new Error('Invalid username or password'));
  },
  onMailFrom(address, _session, done) {
    if (refused.has(address.address)) {
      say({ refused: address.address });
      const error = new Error(`sender ${address.address} refused for good`);
      error.responseCode = 550;
      done(error);
      return;
    }
    done();
  },
  onData(stream, session, done) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      count += 1;
      const name = `${count}.eml`;
      writeFileSync(join(options.dir, name), Buffer.concat(chunks));
      say({ received: name, from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), user: session.user ?? null, secure: session.secure });
      done();
    });
  },
});

// A client that gives up during the TLS handshake (an untrusted certificate) is no server error.
server.on('error', (error) => say({ error: error.message }));

createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, arg] = line.split(' ');
  if (command === 'refuse') refused.add(arg);
  if (command === 'accept' && arg !== undefined) refused.delete(arg);
  if (command === 'accept' && arg === undefined) refused.clear();
  say({ ok: line });
});
process.stdin.on('end', () => process.exit(0));
server.listen(0, '127.0.0.1', () => say({ port: server.server.address().port }));
