/** `rulec check` refuses a rule file whose windows may outgrow `window_memory` (issue 15 §5), through the real CLI. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runHere } from './run-here.js';

describe('rulec check: window memory', () => {
  it('exits 1 with R335 at the frequency of 1000000/60 on 5,000 keys, and 0 once window_memory allows it', async () => {
    const { dir, remove } = tempDir('rulec-check-memory-');
    try {
      const item = '[HUGE]\npath = /var/log/app.log\nregex = from (\\S+)\nkey = $1\nupbound_freq = 1000000/60\nmax_keys = 5000\nupbound_action = /bin/true\n';
      writeFileSync(join(dir, 'huge.rules'), item);
      const refused = await runHere(['check', 'huge.rules'], { cwd: dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('huge.rules:5:1: error[R335]: the counting windows may need up to 37.3 GiB');
      expect(refused.stderr).toContain('`HUGE`: 5,000 key(s) × 1,000,009 time(s) × 8 bytes = 37.3 GiB');
      writeFileSync(join(dir, 'allowed.rules'), `[general]\nwindow_memory = 40G\n\n${item}`);
      const allowed = await runHere(['check', 'allowed.rules'], { cwd: dir });
      expect(allowed.stderr).not.toContain('R335');
      expect(allowed.code).toBe(0);
    } finally {
      remove();
    }
  });
});
