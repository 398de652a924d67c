/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; returns its last answer. */
export async function waitFor(check: () => boolean, timeoutMs = 5_000, everyMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}
