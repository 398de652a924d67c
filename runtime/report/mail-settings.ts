import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { ReportError } from './report-error.js';

/** How the connection to the SMTP server is secured. */
export type SmtpTls = 'tls' | 'starttls' | 'opportunistic' | 'none';

/** The SMTP server of `set smtp` and friends; credentials come from a file or the environment only. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: SmtpTls;
  /** PEM certificates to trust instead of the system's (`set smtp_ca`). */
  readonly ca: Buffer | null;
  readonly auth: { readonly user: string; readonly pass: string } | null;
}

/** Everything a report mail needs besides its attachments. */
export interface MailSettings {
  readonly to: readonly string[];
  readonly from: string;
  readonly subject: string;
  readonly host: string;
  readonly debug: boolean;
  /** Null without `set smtp`: the report can then only be written (`--dry-run`). */
  readonly smtp: SmtpSettings | null;
}

/** The words `subject` may hold in braces. */
export const SUBJECT_PLACEHOLDERS = ['host', 'date', 'time'] as const;

/** The subject without `set subject`. */
export const DEFAULT_SUBJECT = 'rulec report from {host} on {date}';

const TLS_VALUES: readonly SmtpTls[] = ['tls', 'starttls', 'opportunistic', 'none'];

/** `user:password@` in an smtp setting: credentials never come from the rule file. */
const SMTP_FORM = /^(?:(smtps?):\/\/)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?\/?$/;

/**
 * What is wrong with a `set smtp` value, or null: `HOST`, `HOST:PORT`, `smtp://HOST[:PORT]` or
 * `smtps://HOST[:PORT]`. Shared with the checker's R360 so both say the same.
 */
export function smtpProblem(value: string): string | null {
  if (/^[a-z]+:\/\/[^/]*@/i.test(value) || /^[^/]*@/.test(value)) {
    return 'credentials never go in the rule file: put them in the file `set smtp_auth` names, or in RULEC_SMTP_USER and RULEC_SMTP_PASSWORD';
  }
  const m = SMTP_FORM.exec(value);
  if (m === null) return 'expected HOST, HOST:PORT, smtp://HOST[:PORT] or smtps://HOST[:PORT]';
  if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) return `port ${m[3]} is out of range`;
  return null;
}

/**
 * What is wrong with a `set subject` template, or null: a `{word}` in lower case must be a
 * known placeholder (a misspelt one would go out as it is); other braces are text.
 */
export function subjectProblem(template: string): string | null {
  for (const m of template.matchAll(/\{([a-z_]+)\}/g)) {
    if (!(SUBJECT_PLACEHOLDERS as readonly string[]).includes(m[1]!)) {
      return `unknown placeholder {${m[1]}}; the subject may hold ${SUBJECT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
    }
  }
  return null;
}

/** What is wrong with an address list (`to`, `from`), or null. */
export function addressProblem(value: string): string | null {
  const parsed = parseAddresses(value);
  if (parsed.length === 0) return 'no address';
  const bad = parsed.find((a) => !/^[^\s@<>]+@[^\s@<>]+$/.test(a));
  return bad === undefined ? null : `\`${bad}\` is not an address`;
}

function parseAddresses(value: string): string[] {
  if (/[\r\n]/.test(value)) return ['(a line break)'];
  return addressparser(value, { flatten: true }).map((a) => a.address);
}

/** Fills `{host}`, `{date}` (YYYY-MM-DD) and `{time}` (HH:MM), local time. */
export function fillSubject(template: string, host: string, now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const values: Record<string, string> = {
    host,
    date: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`,
    time: `${pad(now.getHours())}:${pad(now.getMinutes())}`,
  };
  // A host name from the system could hold anything; a header gets none of its controls.
  return template.replace(/\{(host|date|time)\}/g, (_, name: string) => values[name]!).replace(/[\x00-\x1f\x7f]/g, ' ');
}

/**
 * Reads the mail settings of a rule file's `set` lines. SMTP credentials come from the file
 * `set smtp_auth` names (user on the first line, password on the second; readable by its owner
 * only) or from RULEC_SMTP_USER and RULEC_SMTP_PASSWORD. Throws ReportError on anything unusable.
 */
export function readMailSettings(settings: Readonly<Record<string, string>>, baseDir: string, env: NodeJS.ProcessEnv = process.env): MailSettings {
  const get = (key: string): string | undefined => (Object.hasOwn(settings, key) ? settings[key] : undefined);
  const host = (get('host') ?? hostname()).replace(/[\x00-\x1f\x7f]/g, '');
  const to = get('to');
  if (to === undefined) throw new ReportError('no `set to`: whom should the report go to?');
  const toProblem = addressProblem(to);
  if (toProblem !== null) throw new ReportError(`set to: ${toProblem}`);
  const from = get('from') ?? `rulec@${host}`;
  const fromProblem = addressProblem(from);
  if (fromProblem !== null) throw new ReportError(`set from: ${fromProblem}`);
  const subject = get('subject') ?? DEFAULT_SUBJECT;
  const subjectError = subjectProblem(subject);
  if (subjectError !== null) throw new ReportError(`set subject: ${subjectError}`);
  const debug = get('debug');
  return {
    to: parseAddresses(to),
    from: parseAddresses(from)[0]!,
    subject,
    host,
    debug: debug !== undefined && !['0', 'no', 'off', 'false'].includes(debug.toLowerCase()),
    smtp: readSmtp(get, baseDir, env),
  };
}

function readSmtp(get: (key: string) => string | undefined, baseDir: string, env: NodeJS.ProcessEnv): SmtpSettings | null {
  const value = get('smtp');
  if (value === undefined) return null;
  const problem = smtpProblem(value);
  if (problem !== null) throw new ReportError(`set smtp: ${problem}`);
  const m = SMTP_FORM.exec(value)!;
  const implicitTls = m[1] === 'smtps';
  const tlsWord = get('smtp_tls');
  if (tlsWord !== undefined && !(TLS_VALUES as readonly string[]).includes(tlsWord)) {
    throw new ReportError(`set smtp_tls: expected ${TLS_VALUES.join(', ')}, not \`${tlsWord}\``);
  }
  const auth = readAuth(get('smtp_auth'), baseDir, env);
  // With credentials, a plain connection is never the default: they would cross the network in clear.
  const tls = (tlsWord as SmtpTls | undefined) ?? (implicitTls ? 'tls' : auth !== null ? 'starttls' : 'opportunistic');
  const port = m[3] !== undefined ? Number(m[3]) : tls === 'tls' ? 465 : 25;
  const caFile = get('smtp_ca');
  let ca: Buffer | null = null;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(isAbsolute(caFile) ? caFile : join(baseDir, caFile));
    } catch (error) {
      throw new ReportError(`set smtp_ca: cannot read ${caFile}: ${(error as Error).message}`);
    }
  }
  return { host: m[2]!.replace(/^\[|\]$/g, ''), port, tls, ca, auth };
}

function readAuth(file: string | undefined, baseDir: string, env: NodeJS.ProcessEnv): SmtpSettings['auth'] {
  if (file === undefined) {
    const user = env.RULEC_SMTP_USER;
    const pass = env.RULEC_SMTP_PASSWORD;
    if (user === undefined && pass === undefined) return null;
    if (user === undefined || pass === undefined) throw new ReportError('RULEC_SMTP_USER and RULEC_SMTP_PASSWORD go together: set both or neither');
    return { user, pass };
  }
  const path = isAbsolute(file) ? file : join(baseDir, file);
  let text: string;
  try {
    if ((statSync(path).mode & 0o077) !== 0) {
      throw new ReportError(`set smtp_auth: ${file} may be read by others; chmod 600 it`);
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ReportError) throw error;
    throw new ReportError(`set smtp_auth: cannot read ${file}: ${(error as Error).message}`);
  }
  const [user, pass] = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (user === undefined || user === '' || pass === undefined || pass === '') {
    throw new ReportError(`set smtp_auth: ${file} must hold the user name on its first line and the password on its second`);
  }
  return { user, pass };
}
