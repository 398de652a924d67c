/** A parsed value, or why it is invalid with the offending range relative to the given text. */
export type ValueResult<T> = { ok: true; value: T } | { ok: false; message: string; start: number; end: number };

/** A failure covering `[start, end)`. */
export function fail(message: string, start: number, end: number): { ok: false; message: string; start: number; end: number } {
  return { ok: false, message, start, end: Math.max(start, end) };
}

/** The trimmed text and where it starts, so failures point at the value and not at padding. */
export function trimmed(text: string): { body: string; offset: number } {
  const offset = text.length - text.trimStart().length;
  return { body: text.trim(), offset };
}
