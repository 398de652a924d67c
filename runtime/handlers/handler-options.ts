/**
 * The values of handler options (`handler http url=... retries=3`, `--handler mail every=10m`),
 * read the same way by `rulec check` (R356) and when a handler is made, so that what the
 * checker passes the runtime takes.
 */
import { SNORT_HANDLERS } from '../contract.js';
import { subjectProblem } from '../report/mail-settings.js';
import { redactUrl } from './redact-url.js';

type HandlerName = keyof typeof SNORT_HANDLERS;

/** A value's form: a whole number or a duration (seconds) within bounds, a URL, or text. */
type OptionForm =
  | { readonly kind: 'number'; readonly min: number; readonly max: number }
  | { readonly kind: 'duration'; readonly min: number; readonly max: number }
  | { readonly kind: 'url' }
  | { readonly kind: 'subject' }
  | { readonly kind: 'text' };

const FORMS: { readonly [H in HandlerName]: Readonly<Record<(typeof SNORT_HANDLERS)[H][number], OptionForm>> } = {
  json: { file: { kind: 'text' } },
  http: {
    url: { kind: 'url' },
    timeout: { kind: 'duration', min: 0.001, max: 3600 },
    retries: { kind: 'number', min: 0, max: 100 },
    backoff: { kind: 'duration', min: 0, max: 60 },
    queue: { kind: 'number', min: 1, max: 1_000_000 },
    concurrency: { kind: 'number', min: 1, max: 64 },
  },
  repl: {},
  mail: {
    count: { kind: 'number', min: 1, max: 100_000 },
    every: { kind: 'duration', min: 1, max: 7 * 86_400 },
    max: { kind: 'number', min: 1, max: 1_000_000 },
    mime_file: { kind: 'text' },
    subject: { kind: 'subject' },
  },
};

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A duration in seconds: `30`, `30s`, `500ms`, `2m`, `1h`, `1d`. A bare number is seconds,
 * except for `backoff=`, which Pigear-era command lines give in milliseconds (`backoff=500`).
 */
function seconds(text: string, bareUnit: number): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (m === null) return null;
  return Number(m[1]) * (m[2] === undefined ? bareUnit : UNIT_SECONDS[m[2]]!);
}

function describe(form: OptionForm): string {
  switch (form.kind) {
    case 'number': return `a whole number from ${form.min} to ${form.max}`;
    case 'duration': return `a duration from ${form.min < 1 ? `${form.min * 1000}ms` : `${form.min}s`} to ${form.max}s (such as 30s, 500ms, 10m)`;
    case 'url': return 'an http:// or https:// URL';
    case 'subject': return 'a subject';
    case 'text': return 'a value';
  }
}

/** The value of a known option, or what is wrong with it. */
function readValue(handler: HandlerName, key: string, text: string): { value: number | string } | { problem: string } {
  const form = (FORMS[handler] as Readonly<Record<string, OptionForm>>)[key]!;
  const wrong = (): { problem: string } => ({ problem: `${key}=${form.kind === 'url' ? redactUrl(text) : text} must be ${describe(form)}` });
  switch (form.kind) {
    case 'number': {
      if (!/^\d+$/.test(text)) return wrong();
      const value = Number(text);
      return value >= form.min && value <= form.max ? { value } : wrong();
    }
    case 'duration': {
      const value = seconds(text, key === 'backoff' ? 0.001 : 1);
      return value !== null && value >= form.min && value <= form.max ? { value } : wrong();
    }
    case 'url': {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return wrong();
      }
      return url.protocol === 'http:' || url.protocol === 'https:' ? { value: text } : wrong();
    }
    case 'subject': {
      const problem = subjectProblem(text);
      return problem === null ? { value: text } : { problem: `subject=${text}: ${problem}` };
    }
    case 'text':
      return text === '' ? { problem: `${key}= needs a value` } : { value: text };
  }
}

/** What is wrong with `key=value` of handler `handler` (a canonical name), or null. Shared with the checker's R356. */
export function handlerOptionProblem(handler: HandlerName, key: string, value: string): string | null {
  const allowed: readonly string[] = SNORT_HANDLERS[handler];
  if (!allowed.includes(key)) return `handler ${handler} takes ${allowed.length === 0 ? 'no options' : allowed.map((k) => `${k}=`).join(', ')}, not ${key}=`;
  const read = readValue(handler, key, value);
  return 'problem' in read ? read.problem : null;
}

/**
 * The options of a handler as values: numbers and durations (in seconds) as numbers, the rest
 * as text. Throws an Error naming the first option that is unknown or of the wrong form.
 */
export function readHandlerOptions(handler: HandlerName, options: Readonly<Record<string, string>>): Readonly<Record<string, number | string>> {
  const values: Record<string, number | string> = {};
  for (const [key, text] of Object.entries(options)) {
    const problem = handlerOptionProblem(handler, key, text);
    if (problem !== null) throw new Error(problem.startsWith('handler ') ? problem : `handler ${handler}: ${problem}`);
    values[key] = (readValue(handler, key, text) as { value: number | string }).value;
  }
  return values;
}
