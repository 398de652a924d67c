// Run in a child process by logger.test.ts: logs to a stdout whose reader goes away, then
// reports on stderr that it is still alive.
import { Logger } from '../../../runtime/log/logger.js';

const log = new Logger({ stdout: true });
let round = 0;
const tick = (): void => {
  for (let i = 0; i < 100; i++) log.info('ITEM', `line ${round}:${i} ${'x'.repeat(200)}`);
  if (++round < 50) setTimeout(tick, 5);
  else process.stderr.write('survived\n');
};
tick();
