/** `runMain` cases that end before a daemon serves, in this process. */
import { describe, expect, it } from 'vitest';
import { runMain, type DaemonIo } from '../../../runtime/daemon/main.js';
import { ruleModule } from './helpers.js';

async function run(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: DaemonIo = { out: (text) => void (out += text), err: (text) => void (err += text) };
  const code = await runMain(argv, { rules: { modules: [ruleModule([])] }, io });
  return { code, out, err };
}

describe('runMain of a bundle', () => {
  it('refuses -T REGEX with a clear reason, exit 2: a bundle carries no regex translator', async () => {
    expect(await run(['-T', 'x(\\d+)'])).toEqual({
      code: 2,
      out: '',
      err: 'rulec: -T needs the rulec command (rulec run -T REGEX, or rulec regex REGEX): a bundle cannot translate a regex\n',
    });
  });
});
