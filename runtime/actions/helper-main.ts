/** The action helper's program (action-helper.ts): started by a daemon that cannot posix_spawn, it only serves. */
import { serveActions } from './action-helper.js';

process.exitCode = await serveActions();
