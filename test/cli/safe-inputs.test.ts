/**
 * Files root loads that another user could change (sshd's StrictModes for inputs): a rule file,
 * a file it `source`s, a report module (code), a pgp key, an `ignore_from` list. As root with a
 * real second user (nobody) who owns or can write them, through setpriv where nobody acts.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { startClient } from '../lsp/lsp-client.js';
import { Gpg } from '../helpers/gpg.js';
import type { CliResult } from './run-cli.js';
import { runHere } from './run-here.js';
import { asNobody, NOBODY, scratch, secondUserMissing } from '../runtime/fs/helpers.js';

const dir = scratch();
let gpg: Gpg;

beforeAll(() => {
  gpg = new Gpg();
  gpg.generate('ops <you@example.com>');
}, 60_000);
afterAll(() => gpg?.dispose());

const rulec = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> => runHere(args, { cwd: process.cwd(), env });

const ITEM = (log: string): string => `[general]\n\n[ERRORS]\npath = ${log}\nregex = ERROR\nupbound_action = /bin/true\n`;

/** Settings of a report that needs no server (`--dry-run`), encrypting to the test key file `key`. */
const reportHead = (key: string): string => `set pgp ${key}\nset to 'ops@example.com'\nset from 'rulec@example.com'\nset smtp "127.0.0.1:9"\nset smtp_tls none\n`;

/** A report's working directory (root's), a cache of its own, and the key exported into it. */
function reportDir(): { d: string; key: string; env: NodeJS.ProcessEnv } {
  const d = dir();
  const key = join(d, 'ops.asc');
  gpg.exportKey('you@example.com', key);
  return { d, key, env: { XDG_CACHE_HOME: join(d, 'cache') } };
}

describe('as root, an input another user could change is refused', () => {
  it('a rule file nobody owns, or in a directory nobody can write: check and run say R380 with the path, exit 1', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const d = dir();
    const log = join(d, 'app.log');
    writeFileSync(log, '');
    const owned = join(d, 'nobody.rules');
    writeFileSync(owned, ITEM(log));
    chownSync(owned, NOBODY, NOBODY);
    const checked = await rulec(['check', owned]);
    expect(checked.code).toBe(1);
    expect(checked.stdout + checked.stderr).toContain(`error[R380]: rule file refused: ${owned}: ${owned} is owned by uid ${NOBODY}`);
    const ran = await rulec(['run', owned, '-w', join(d, 'state')], { XDG_CACHE_HOME: join(d, 'cache') });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain(`${owned} is owned by uid ${NOBODY}`);
    // Root's file, but in a directory nobody may write (so nobody could replace it).
    const open = join(d, 'open');
    mkdirSync(open);
    chownSync(open, NOBODY, NOBODY);
    writeFileSync(join(open, 'app.rules'), ITEM(log));
    const inOpen = await rulec(['check', join(open, 'app.rules')]);
    expect(inOpen.code).toBe(1);
    expect(inOpen.stdout + inOpen.stderr).toContain(`${open} is owned by uid ${NOBODY}`);
    // The same text in root's own file is fine.
    writeFileSync(join(d, 'root.rules'), ITEM(log));
    expect((await rulec(['check', join(d, 'root.rules')])).code).toBe(0);
  });

  it('a sourced file others may write: R380 at the source line, and its rules are not used', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const d = dir();
    const log = join(d, 'app.log');
    writeFileSync(log, '');
    const common = join(d, 'common.rules');
    writeFileSync(common, ITEM(log));
    chmodSync(common, 0o666);
    // nobody can write it, and does.
    expect(asNobody(['sh', '-c', `printf '\\n# nobody was here\\n' >> '${common}'`]).status).toBe(0);
    writeFileSync(join(d, 'main.rules'), 'source "common.rules"\n');
    const checked = await rulec(['check', join(d, 'main.rules')]);
    expect(checked.code).toBe(1);
    expect(checked.stdout + checked.stderr).toContain(`main.rules:1:1: error[R380]: source file refused: ${common}: ${common} is writable by every user (mode 0666)`);
  });

  it('a rule file served from the compile cache is refused once another user owns it (the cache hashes text, not owners)', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const { d, key, env } = reportDir();
    const rules = join(d, 'report.rules');
    writeFileSync(rules, `${reportHead(key)}command <<__A\n    exec "echo hello"\n__A\n`);
    const first = await rulec(['report', rules, '--dry-run'], env);
    expect([first.code, first.stderr]).toEqual([0, '']);
    chownSync(rules, NOBODY, NOBODY);
    const again = await rulec(['report', rules, '--dry-run'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`error[R380]: rule file refused: ${rules}: ${rules} is owned by uid ${NOBODY}`);
    expect(again.stdout).toBe('');
  });

  it('a report module nobody can write: R381 naming it, its code never runs, nothing is written', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const { d, key, env } = reportDir();
    const marker = join(d, 'module-ran');
    const module = join(d, 'evil.mjs');
    // Root's module, but nobody may write it: nobody rewrites it to run code as root on import.
    writeFileSync(module, 'export default class Evil { run(out) { out.print("ok\\n"); } }\n');
    chownSync(module, NOBODY, NOBODY);
    expect(asNobody(['sh', '-c', `printf '%s\\n' 'import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "ran as " + process.getuid());' 'export default class Evil { run(out) { out.print("ok\\\\n"); } }' > '${module}'`]).status).toBe(0);
    const rules = join(d, 'report.rules');
    writeFileSync(rules, `${reportHead(key)}module Evil evil ./evil.mjs\nevil <<__E\n    mime_file "evil.txt"\n__E\n`);
    const result = await rulec(['report', rules, '--dry-run'], env);
    expect(result.stderr).toContain(`module Evil (evil.mjs): error[R381]: refusing to load it: ${module} is owned by uid ${NOBODY}`);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(existsSync(marker)).toBe(false);
  });

  it('a pgp key file nobody owns: R381 before any block runs', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const { d, key, env } = reportDir();
    chownSync(key, NOBODY, NOBODY);
    const marker = join(d, 'block-ran');
    const rules = join(d, 'report.rules');
    writeFileSync(rules, `${reportHead(key)}command <<__A\n    exec "touch ${marker}"\n__A\n`);
    const result = await rulec(['report', rules, '--dry-run'], env);
    expect(result.stderr).toContain(`pgp key ${key}: error[R381]: refusing to use it: ${key} is owned by uid ${NOBODY}`);
    expect(result.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });

  it('an ignore_from list in a directory nobody can write: R381, the watch block does not run', async (ctx) => {
    const missing = secondUserMissing();
    if (missing !== null) return ctx.skip(missing);
    const { d, key, env } = reportDir();
    const log = join(d, 'messages');
    writeFileSync(log, 'secret line\nother line\n');
    const lists = join(d, 'ignore.d');
    mkdirSync(lists, 0o775);
    chownSync(lists, 0, NOBODY);
    chmodSync(lists, 0o775);
    writeFileSync(join(lists, 'local'), 'nothing\n');
    // nobody's group may write the directory: nobody adds a list that hides every line.
    expect(asNobody(['sh', '-c', `echo '.*' > '${lists}/hide'`]).status).toBe(0);
    const rules = join(d, 'report.rules');
    writeFileSync(rules, `${reportHead(key)}watch <<__W\n    logfile ${log}\n    ignore_from ${lists}\n__W\n`);
    const result = await rulec(['report', rules, '--dry-run'], env);
    expect(result.stderr).toContain(`${lists}: error[R381]: refusing the ignore list: ${lists} is writable by its group (gid ${NOBODY}) (mode 0775)`);
    expect(result.code).toBe(1);
  });
});

describe('a sourced file not every user may read: its lines are never shown', () => {
  const MARKER = 'MARKER-7f3a-never-shown';
  /** A root-only (0600) file in the manner of /etc/shadow, holding MARKER, and a rule file that sources it. */
  function secret(): { d: string; shadow: string; rules: string } {
    const d = dir();
    const shadow = join(d, 'shadow');
    writeFileSync(shadow, `root:$6$${MARKER}:19000:0:99999:7:::\nmysql -p${MARKER}\n[${MARKER}]\n`, { mode: 0o600 });
    const rules = join(d, 'app.rules');
    writeFileSync(rules, `source "shadow"\n${ITEM(join(d, 'app.log'))}`);
    writeFileSync(join(d, 'app.log'), '');
    return { d, shadow, rules };
  }

  it('check (text, json, github), run and test: one R382 at the source line counting its problems, never its text', async () => {
    const { d, shadow, rules } = secret();
    for (const format of ['text', 'json', 'github']) {
      const result = await rulec(['check', '--format', format, rules]);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain('R382');
      expect(result.stdout + result.stderr).not.toContain(MARKER);
    }
    const text = await rulec(['check', rules]);
    expect(text.stdout + text.stderr).toContain(`app.rules:1:1: error[R382]: source file ${join(d, 'shadow')} has`);
    const env = { XDG_CACHE_HOME: join(d, 'cache') };
    for (const args of [['run', rules, '-w', join(d, 'state')], ['test', rules, '--log', join(d, 'app.log')]]) {
      const result = await rulec(args, env);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain('R382');
      expect(result.stdout + result.stderr).not.toContain(MARKER);
    }
    // Named as the entry file, it is the user's own choice to see it, as with cat.
    const direct = await rulec(['check', shadow]);
    expect(direct.stdout + direct.stderr).toContain(MARKER);
    // Readable by everyone, its problems are shown as usual (nothing in it is secret).
    chmodSync(shadow, 0o644);
    const open = await rulec(['check', rules]);
    expect(open.stdout + open.stderr).toContain(MARKER);
    expect(open.stdout + open.stderr).not.toContain('R382');
  });

  it('the language server: the same one R382 on the including file, nothing published on the private one', async () => {
    const { shadow, rules } = secret();
    const client = await startClient(null);
    try {
      client.open(pathToFileURL(rules).href, readFileSync(rules, 'utf8'));
      const published = await client.diagnostics(pathToFileURL(rules).href);
      expect(published.diagnostics.map((d) => d.code)).toContain('R382');
      expect(JSON.stringify(client.published)).not.toContain(MARKER);
      expect(client.published.filter((p) => p.uri === pathToFileURL(shadow).href && p.diagnostics.length > 0)).toEqual([]);
    } finally {
      client.close();
    }
  });
});

