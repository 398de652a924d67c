/**
 * A string of its own. A line is a substring of the decoded read segment it came from
 * (line-splitter.ts), a capture a substring of its line, and V8 keeps the whole segment alive
 * behind any of them; whatever is kept past its batch (a counting key, a queued action) takes
 * its own copy. V8 copies strings under 13 characters itself.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf16le').toString('utf16le');
}
