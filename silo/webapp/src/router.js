// Hash routes: #/signals, #/chart/EUR_USD/H4?from=…, #/track-record, #/operator (no server-side routes needed).

export const pageNames = ['signals', 'chart', 'track-record', 'operator'];

/** The route in the hash: page name, path segments after it and query parameters. */
export function route() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [name, ...segments] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: pageNames.includes(name) ? name : 'signals', segments, query: new URLSearchParams(query) };
}

/** Replaces the hash's query (filters, ranges) without a history entry for every change. */
export function replaceQuery(parameters) {
  const current = route();
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value) {
      query.set(name, value);
    }
  }
  const path = ['', current.name, ...current.segments.map(encodeURIComponent)].join('/');
  history.replaceState(null, '', `#${path}${query.size ? `?${query}` : ''}`);
}

export const chartLink = (instrument, timeframe, parameters = {}) => {
  const query = new URLSearchParams(Object.entries(parameters).filter(([, value]) => value));
  return `#/chart/${encodeURIComponent(instrument)}/${encodeURIComponent(timeframe)}${query.size ? `?${query}` : ''}`;
};
