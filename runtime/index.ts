/**
 * The runtime's public entry (`rulec/runtime`), for the CLI and for programs that embed it: the
 * daemon (`runMain` as a process, `createDaemon` to build one, `bundleMain`, what bundle.mjs
 * calls), loading rule modules, the dry run of `rulec test`, and the contract generated modules
 * satisfy. The runtime depends on nothing outside this folder.
 */
export * from './contract.js';
export { runMain, type CompiledRules, type DaemonIo, type DaemonRules, type RunMainOptions } from './daemon/main.js';
export { bundleMain } from './daemon/bundle-main.js';
export { createDaemon, STOP_GRACE_MS, type Daemon, type DaemonActionOptions, type DaemonOptions, type DaemonStats } from './daemon/daemon.js';
export { BLOCK_COMMANDS, type Coverage } from './daemon/coverage.js';
export { DAEMON_SERVICES, type DaemonService, type ServiceContext, type ServiceKind } from './daemon/services.js';
export { DAEMON_USAGE, parseDaemonArgs, type DaemonArgs } from './daemon/args.js';
export { checkModule, evaluateModuleScript, importModule, type LoadResult } from './daemon/loader.js';
export { guardProcess, guardTermination, holdTermination, type TerminationHold } from './daemon/process-guards.js';
export { enableLinearRegexFallback } from './engine/linear-regex-fallback.js';
export { Supervisor, type SupervisorDeps } from './daemon/supervisor.js';
export {
  DryRun,
  placeBeforeWrite,
  type DryRunBatch,
  type DryRunEvent,
  type DryRunItem,
  type DryRunOptions,
  type DryRunSummary,
  type FireEvent,
  type MatchEvent,
  type MissedEvent,
  type TimeFormatCounts,
} from './daemon/dry-run.js';
export { RUNTIME_VERSION } from './daemon/version.js';
export type { ActionRequest, ActionSink, FireKind } from './actions/action-sink.js';
export type { ActionStats } from './actions/action-runner.js';
export type { ItemStats } from './engine/item-state.js';
export { Logger, type LoggerOptions, type LogLevel } from './log/logger.js';
export { escapeControl, escapeControlKeepingBackslashes, safeJson } from './log/escape.js';
export { LineSplitter } from './sources/tail/index.js';
export { writeTempBeside, writeFileAtomic } from './fs/write-atomic.js';
export { checkTrustedDir, ensurePrivateDir, makeDirs } from './fs/private-dir.js';
export { inputFileFix, inputFileProblem } from './fs/trusted-file.js';
export { errnoReason } from './fs/errno-reason.js';
export { LineStream, type LineBatch, type LineStreamOptions, type StreamPosition } from './sources/line-stream.js';
export { endBlind } from './engine/cut-line.js';
export { BaseReportEntry, type Directive, type EntryContext, type ReportEntry, type ReportOutput } from './report/report-entry.js';
export { serveSnort, type SnortServeOptions, type SnortIo } from './sources/snort/serve-snort.js';
export { ALERT_VARIANTS, type AlertVariant, type ByteOrder } from './sources/snort/alertpkt.js';
export type { HandlerRequest } from './handlers/create-handler.js';
export { runReport, type RunReportOptions } from './report/run-report.js';
export { Reporter, type FlushSummary, type ReporterOptions, type ReportResult } from './report/reporter.js';
export { ReportError } from './report/report-error.js';
export { importJavaScript, type ModuleImporter } from './report/custom-module.js';
export { isReportBlock } from './report/builtin-entries.js';
export { LONG_LINE as REGEX_LONG_LINE, RegexDeadline, WINDOW_MS as REGEX_WINDOW_MS } from './engine/regex-deadline.js';
export { algorithmOf, compareListings, differenceLine, monitorSettings, parseListing, runMonitor, type DigestAlgorithm, type ListingEntry } from './sources/monitor/index.js';
export { addressProblem, smtpProblem, subjectProblem } from './report/mail-settings.js';
export { pgpProblem } from './report/pgp-setting.js';
export { handlerOptionProblem } from './handlers/handler-options.js';
export { MAIL_SETTINGS_NEEDED } from './handlers/mail-batch.js';
export { replayAlerts, type AlertReplayEvent, type AlertReplayOptions, type BlockReplay } from './sources/snort/replay-alerts.js';
export { parseSidMessages, type SidMessages } from './sources/snort/sid-msg-map.js';
