// Routes in the URL's hash: #/<page>/<segments>?<parameters>.

/** The route of a hash: its page, path segments after the page name, and query parameters. */
export function parseRoute(hash) {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  return { name: path[0] || 'search', segments: path.slice(1), params };
}

/** The hash of a page with parameters, dropping empty ones. */
export function link(name, params = {}, ...segments) {
  const query = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  for (const [key, value] of entries) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== null && v !== undefined && String(v).trim() !== '') query.append(key, String(v).trim());
    }
  }
  const path = [name, ...segments.map(encodeURIComponent)].join('/');
  const qs = String(query);
  return `#/${path}${qs ? `?${qs}` : ''}`;
}

/** Replaces the current URL's parameters without a new history entry or a re-render. */
export function replaceParams(hash) {
  history.replaceState(history.state, '', hash);
}
