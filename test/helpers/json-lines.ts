import { existsSync, readFileSync } from 'node:fs';

/**
 * The complete JSON lines of a file another process appends to, [] while it does not exist.
 * A line without its newline yet is still being written (a 64 KiB record arrives in pieces)
 * and is left for the next poll.
 */
export function completeJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}
