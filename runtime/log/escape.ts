const NAMED: Readonly<Record<number, string>> = { 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };

/**
 * C0, DEL, C1, the Unicode line/paragraph separators and bidi controls: anything that could
 * start a new log line, drive a terminal (ANSI escapes begin with ESC or C1 CSI) or reorder text.
 * One list for both escapes below, so neither can miss a character the other has.
 */
const CONTROL_CLASS = '\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** The controls and the backslash, which escapeControl doubles. */
const UNSAFE = new RegExp(`[${CONTROL_CLASS}\\\\]`, 'g');

/**
 * Makes attacker-controlled text safe to write as part of one log line: control characters
 * become `\n`, `\x1b`, `\u2028`... and the backslash doubles so an escape cannot be forged.
 */
export function escapeControl(text: string): string {
  return escapeMatching(UNSAFE, text);
}

/** The same without the newline, which `escapeLines` puts between lines itself. */
const UNSAFE_IN_LINES = new RegExp(`[${CONTROL_CLASS.replace('\\x00-\\x1f', '\\x00-\\x09\\x0b-\\x1f')}\\\\]`);

/**
 * `escapeControl` of each line, each followed by a newline: one test over all of them in the
 * common case that none needs an escape (a report of many log lines).
 */
export function escapeLines(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  const joined = lines.join('\n');
  return `${UNSAFE_IN_LINES.test(joined) ? lines.map(escapeControl).join('\n') : joined}\n`;
}

const CONTROLS = new RegExp(`[${CONTROL_CLASS}]`, 'g');

/**
 * The same for text the operator wrote (a pattern on the command line): backslashes stay single,
 * so a regex reads as typed and a caret under it lines up.
 */
export function escapeControlKeepingBackslashes(text: string): string {
  return escapeMatching(CONTROLS, text);
}

function escapeMatching(unsafe: RegExp, text: string): string {
  unsafe.lastIndex = 0;
  if (!unsafe.test(text)) return text;
  return text.replace(unsafe, (ch) => {
    const code = ch.charCodeAt(0);
    const named = NAMED[code];
    if (named !== undefined) return named;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Log text that is safe already (`safeJson`): the Logger writes it as it is, not escaped again. */
export interface EscapedText {
  readonly escaped: string;
}

/**
 * JSON of `value` that is also safe on a terminal and in one log line: JSON escapes C0 controls
 * itself, and the rest a terminal or an editor acts on (DEL, C1, line and paragraph separators,
 * bidi controls) get `\uXXXX` too, so the text stays valid JSON, one object per line even for
 * readers that split on U+2028.
 */
export function safeJson(value: unknown): string {
  // JSON has escaped the C0 controls; CONTROLS finds the rest.
  return JSON.stringify(value).replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `safeJson(value)` for a log message: escaped once, by JSON (a Logger would escape plain text again). */
export function jsonForLog(value: unknown): EscapedText {
  return { escaped: safeJson(value) };
}
