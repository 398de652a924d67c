#!/usr/bin/env node
// Node opens its inspector (127.0.0.1:9229: code execution for any local user) on SIGUSR1 when
// nothing listens for it. The daemon's reload handler comes only once its rules are compiled.
process.on('SIGUSR1', () => {});
// The daemon compiles its rules before its SIGHUP handler exists: until then a SIGHUP
// (logrotate's postrotate during a restart) would end it. No log file is open yet to reopen.
if (process.argv[2] === 'run') process.on('SIGHUP', () => {});
// Before any rule module creates its regexes: bounds the time one can take on a hostile line.
const { enableLinearRegexFallback } = await import('../out/runtime/engine/linear-regex-fallback.js');
enableLinearRegexFallback();
// Started again by the daemon as its action helper (runtime/actions/action-helper.ts): load only that.
const helper = process.env.RULEC_ACTION_HELPER === '1' ? await import('../out/runtime/actions/action-helper.js') : null;
if (helper?.isActionHelper() === true) {
  helper.serveActions();
} else {
  const { main } = await import('../out/cli/main.js');
  process.exitCode = await main(process.argv.slice(2));
}
