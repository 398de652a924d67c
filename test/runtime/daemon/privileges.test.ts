import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../cli/run-cli.js';

/** Runs dropPrivileges in a child that starts as root with extra supplementary groups (a sudo shell's). */
function dropInChild(uid: string, gid: string | null): { error: string | null; uid: number; gid: number; groups: number[] } {
  const module = pathToFileURL(`${REPO}/out/runtime/daemon/privileges.js`).href;
  const script = [
    `const { dropPrivileges } = await import(${JSON.stringify(module)});`,
    'process.setgroups([0, 4, 6, 27]);',
    `const error = dropPrivileges(${JSON.stringify(uid)}, ${JSON.stringify(gid)});`,
    'console.log(JSON.stringify({ error, uid: process.getuid(), gid: process.getgid(), groups: process.getgroups() }));',
  ].join('\n');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { error: string | null; uid: number; gid: number; groups: number[] };
}

describe('dropPrivileges', () => {
  it.skipIf(process.getuid?.() !== 0)('-u alone takes the user\'s own groups, not root\'s supplementary ones', () => {
    expect(dropInChild('nobody', null)).toEqual({ error: null, uid: 65534, gid: 65534, groups: [65534] });
    expect(dropInChild('65534', null)).toEqual({ error: null, uid: 65534, gid: 65534, groups: [65534] });
  });

  it.skipIf(process.getuid?.() !== 0)('-u with -g takes that group alone', () => {
    expect(dropInChild('nobody', 'nogroup')).toEqual({ error: null, uid: 65534, gid: 65534, groups: [65534] });
  });
});
