/**
 * The runtime's public entry (`rulec/runtime`) for programs that embed it: the daemon
 * (`runMain`, what bundle.mjs calls), the pieces it wires, and the contract generated modules
 * satisfy. The runtime depends on nothing outside this folder.
 */
export * from './contract.js';
export { runMain, type RunMainOptions } from './daemon/main.js';
export { DAEMON_USAGE, parseDaemonArgs, type DaemonArgs } from './daemon/args.js';
export { checkModule, importModule, type LoadResult } from './daemon/loader.js';
export { Supervisor, type SupervisorDeps } from './daemon/supervisor.js';
export { DryRun, type DryRunEvent, type DryRunOptions, type FireEvent, type MatchEvent } from './daemon/dry-run.js';
export { RUNTIME_VERSION } from './daemon/version.js';
export { LineStream, type LineBatch, type LineStreamOptions, type StreamPosition } from './sources/line-stream.js';
export { enableLinearRegexFallback } from './engine/linear-regex-fallback.js';
export { BaseReportEntry, type Directive, type EntryContext, type ReportEntry, type ReportOutput } from './report/report-entry.js';
export { serveSnort, type SnortServeOptions, type SnortIo } from './sources/snort/serve-snort.js';
export { ALERT_VARIANTS, type AlertVariant, type ByteOrder } from './sources/snort/alertpkt.js';
export type { HandlerRequest } from './handlers/create-handler.js';
export { runReport, type RunReportOptions } from './report/run-report.js';
export { Reporter, type ReporterOptions, type ReportResult } from './report/reporter.js';
export { ReportError } from './report/report-error.js';
export { importJavaScript, type ModuleImporter } from './report/custom-module.js';
export { isReportBlock } from './report/builtin-entries.js';
