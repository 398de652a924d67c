import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/pipeline.js';
import { GRAMMAR_VERSION } from '../../grammar/version.js';
import { CONTRACT_VERSION } from '../../runtime/contract.js';
import { REPO, runCli, tempDir } from './run-cli.js';
import { runHere } from './run-here.js';

const SSH = `source "common.rules"

[SSH]
path = /var/log/auth.log
regex = Failed password for (\\S+) from (\\S+)
upbound_freq = 5/60
upbound_action = /bin/echo "$2"

watch <<__W
    logfile /var/log/messages
    ignore =~ /MARK/
__W
`;

const COMMON = `[COMMON]
path = /var/log/syslog
regex = kernel: (.*)
downbound_freq = 1/3600
downbound_action = /bin/echo quiet
`;

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const packageVersion = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

describe('rulec build', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => {
    ({ dir, remove } = tempDir('rulec-build-'));
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules/ssh.rules'), SSH);
    writeFileSync(join(dir, 'rules/common.rules'), COMMON);
  });
  afterAll(() => remove());

  it('writes the module, bundle.mjs and manifest.json, byte-identical from another directory', async () => {
    const first = await runCli(['build', 'rules/ssh.rules', '-o', 'out1'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(readdirSync(join(dir, 'out1')).sort()).toEqual(['bundle.mjs', 'manifest.json', 'ssh.ts']);

    const second = await runHere(['build', 'ssh.rules', '--out', '../out2'], { cwd: join(dir, 'rules') });
    expect(second.code).toBe(0);
    for (const name of ['bundle.mjs', 'manifest.json', 'ssh.ts']) {
      const text = readFileSync(join(dir, 'out1', name), 'utf8');
      expect(readFileSync(join(dir, 'out2', name), 'utf8'), name).toBe(text);
      // No absolute path of the inputs, outputs or the compiler reaches any output.
      expect(text).not.toContain(dir);
      expect(text).not.toContain(REPO);
    }
    expect(readFileSync(join(dir, 'out1/ssh.ts'), 'utf8')).toBe(compile(join(dir, 'rules/ssh.rules')).files[0]!.text);
  });

  it('writes the same bundle from an installation whose node_modules is a symlink (pnpm, a shared store)', async () => {
    const install = join(dir, 'install');
    for (const part of ['package.json', 'bin', 'out']) cpSync(join(REPO, part), join(install, part), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(install, 'node_modules'));
    const linked = spawnSync(process.execPath, [join(install, 'bin/rulec.js'), 'build', 'rules/ssh.rules', '-o', 'out-linked'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(linked.status, linked.stderr).toBe(0);
    const reference = await runHere(['build', 'rules/ssh.rules', '-o', 'out-reference'], { cwd: dir });
    expect(reference.code).toBe(0);
    const bundle = readFileSync(join(dir, 'out-linked/bundle.mjs'), 'utf8');
    expect(bundle).toMatch(/^\/\/ node_modules\/crc\//m);
    expect(bundle).toBe(readFileSync(join(dir, 'out-reference/bundle.mjs'), 'utf8'));
  });

  it('records sources, versions and hashes in the manifest', async () => {
    const result = await runHere(['build', 'rules/ssh.rules', '-o', 'out3'], { cwd: dir });
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'out3/manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toEqual({
      name: 'ssh.rules',
      packageVersion,
      grammarVersion: GRAMMAR_VERSION,
      contractVersion: CONTRACT_VERSION,
      sources: ['ssh.rules', 'common.rules'],
      rules: [
        { file: 'ssh.rules', items: ['SSH'], blocks: ['watch'] },
        { file: 'common.rules', items: ['COMMON'], blocks: [] },
      ],
      inputs: { 'ssh.rules': sha(SSH), 'common.rules': sha(COMMON) },
      outputs: {
        'bundle.mjs': sha(readFileSync(join(dir, 'out3/bundle.mjs'))),
        'ssh.ts': sha(readFileSync(join(dir, 'out3/ssh.ts'))),
      },
    });
  });

  it('refuses a file with errors: exit 1, diagnostics printed, nothing written', async () => {
    writeFileSync(join(dir, 'bad.rules'), '[X]\npath = /l\nregex = (\nupbound_action = /bin/true\n');
    const result = await runHere(['build', 'bad.rules', '-o', 'refused'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^bad\.rules:3:\d+: error\[R307\]: /m);
    expect(result.stderr).toContain('build refused');
    expect(existsSync(join(dir, 'refused'))).toBe(false);
  });

  it('exits 2 without exactly one file', async () => {
    expect((await runHere(['build'], { cwd: dir })).code).toBe(2);
    expect((await runHere(['build', 'a.rules', 'b.rules'], { cwd: dir })).code).toBe(2);
  });

  it('builds an entry named __proto__ whose action uses a group of that name, hashed in the manifest', async () => {
    const odd = join(dir, 'proto');
    mkdirSync(odd);
    const rules = '[P]\npath = /var/log/p.log\nregex = user (?<__proto__>\\w+)\nupbound_action = /bin/echo "${__proto__}"\n';
    writeFileSync(join(odd, '__proto__'), rules);
    const result = await runHere(['build', '__proto__', '-o', 'out'], { cwd: odd });
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(odd, 'out/manifest.json'), 'utf8')) as { inputs: Record<string, string> };
    expect(Object.entries(manifest.inputs)).toEqual([['__proto__', sha(rules)]]);
  });

  it('exits 2 on an empty -o instead of writing into the current directory', async () => {
    const empty = join(dir, 'empty-o');
    mkdirSync(empty);
    copyFileSync(join(dir, 'rules/common.rules'), join(empty, 'common.rules'));
    const result = await runHere(['build', 'common.rules', '-o', ''], { cwd: empty });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/-o needs a directory/);
    expect(readdirSync(empty)).toEqual(['common.rules']);
  });

  it('reads an entry whose name holds a backslash, as POSIX names may', async () => {
    const odd = join(dir, 'odd');
    mkdirSync(odd);
    copyFileSync(join(dir, 'rules/common.rules'), join(odd, 'back\\slash.rules'));
    const result = await runHere(['build', 'back\\slash.rules', '-o', 'out'], { cwd: odd });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(join(odd, 'out')).sort()).toEqual(['back\\slash.ts', 'bundle.mjs', 'manifest.json']);
  });
});

describe('bundle.mjs', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => ({ dir, remove } = tempDir('rulec-bundle-')));
  afterAll(() => remove());

  it('runs alone, with no node_modules: fires an action on a matching line and stops on SIGTERM', async () => {
    const log = join(dir, 'watched.log');
    const marker = join(dir, 'fired.json');
    const script = join(dir, 'record.mjs');
    writeFileSync(log, '');
    writeFileSync(script, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(marker)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
    writeFileSync(
      join(dir, 'e2e.rules'),
      `[E2E]\npath = ${log}\nregex = login failed for (\\S+)\nupbound_freq = 0/1\nupbound_action = ${process.execPath} ${script} "$1"\n`,
    );
    const built = await runCli(['build', 'e2e.rules', '-o', 'dist'], { cwd: dir });
    expect(built.code).toBe(0);

    // The bundle alone in an empty directory: no node_modules above /tmp either.
    const bare = join(dir, 'bare');
    mkdirSync(bare);
    copyFileSync(join(dir, 'dist/bundle.mjs'), join(bare, 'bundle.mjs'));
    const child = spawn(process.execPath, ['bundle.mjs', '-s'], { cwd: bare, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 15_000;
      while (!existsSync(marker) && Date.now() < deadline) {
        appendFileSync(log, 'Nov 23 12:00:00 host sshd[1]: login failed for $(touch pwned); x\n');
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(existsSync(marker), output).toBe(true);
      expect(JSON.parse(readFileSync(marker, 'utf8').split('\n')[0]!)).toEqual(['$(touch']);
    } finally {
      child.kill('SIGTERM');
    }
    const stopDeadline = setTimeout(() => child.kill('SIGKILL'), 8_000);
    expect(await exited).toBe(0);
    clearTimeout(stopDeadline);
    expect(existsSync(join(bare, 'pwned'))).toBe(false);
  }, 40_000);
});
