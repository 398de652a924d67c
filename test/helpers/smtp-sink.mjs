// A real SMTP server (the smtp-server package) in its own process, on loopback, for the report
// tests. Arguments: the directory each received message is written to (N.eml, N from 1), and
// optionally a key and a certificate file (PEM), which turn STARTTLS on.
// Stdout, one JSON object a line: {"port":N} when listening, {"received":"N.eml","from":...,
// "to":[...],"user":...,"secure":...} per message, {"down":true} after "down". Stdin lines: "down" closes
// the listening socket (connections are then refused), "up" listens again on the same port.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SMTPServer } from 'smtp-server';

const [dir, keyFile, certFile] = process.argv.slice(2);
const tls = keyFile === undefined ? { disabledCommands: ['STARTTLS'] } : { key: readFileSync(keyFile), cert: readFileSync(certFile) };
let count = 0;
let port = 0;
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

const server = new SMTPServer({
  ...tls,
  authOptional: true,
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, _session, done) {
    if (auth.username === 'reporter' && auth.password === 'pa ss') done(null, { user: auth.username });
    else done(new Error('bad credentials'));
  },
  onData(stream, session, done) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      count += 1;
      const name = `${count}.eml`;
      writeFileSync(join(dir, name), Buffer.concat(chunks));
      say({ received: name, from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), user: session.user ?? null, secure: session.secure });
      done();
    });
  },
});

function listen() {
  server.listen(port, '127.0.0.1', () => {
    port = server.server.address().port;
    say({ port });
  });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'down') server.server.close(() => say({ down: true }));
  if (line === 'up') listen();
});
process.stdin.on('end', () => process.exit(0));
listen();
