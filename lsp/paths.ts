/** File URIs and the names rulec shows for them: relative to the workspace root, as `rulec check` run there would. */
import { posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The absolute path of a `file:` URI, or null for any other scheme (an untitled buffer). */
export function pathOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/** The `file:` URI of an absolute path. */
export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

/** `path` relative to `root` when it lies inside it, else as it is. */
export function shownName(root: string | null, path: string): string {
  if (root === null) return path;
  const relative = posix.relative(root, path);
  return relative === '' || relative.startsWith('..') || posix.isAbsolute(relative) ? path : relative;
}
