/**
 * A URL as it may be printed: its user and password (`https://user:secret@host/`) and its query
 * (`?token=...`, where webhooks often carry theirs) replaced by `***`. Messages, retries and the
 * stop summary name a receiver by this form only; the log must not hand out what opens it.
 */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL (an option value being refused): still hide what looks like user:password@ or a query.
    return text.replace(/^([a-z][a-z0-9+.-]*:\/*)[^/?#]*@/i, '$1***@').replace(/\?[^#]*/, '?***');
  }
  const userinfo = url.username !== '' || url.password !== '' ? '***@' : '';
  const query = url.search !== '' ? '?***' : '';
  if (userinfo === '' && query === '') return text;
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${query}`;
}
