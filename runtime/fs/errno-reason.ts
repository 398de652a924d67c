/**
 * `EACCES: permission denied` out of Node's `EACCES: permission denied, open '/x'`: the reason
 * alone, for a message that names the file itself. Any other error's message stays whole.
 */
export function errnoReason(error: unknown): string {
  const message = (error as Error).message;
  const comma = message.indexOf(', ');
  return (error as NodeJS.ErrnoException).code !== undefined && comma !== -1 ? message.slice(0, comma) : message;
}
