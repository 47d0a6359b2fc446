// The HTTP API v1 as the app uses it: the key (kept in session storage) in X-Api-Key, ProblemDetails as errors.
import { fetchEventSource } from '@microsoft/fetch-event-source';

const keyItem = 'signalflow.apiKey';

export const key = {
  get: () => sessionStorage.getItem(keyItem),
  set: (value) => sessionStorage.setItem(keyItem, value),
  forget: () => sessionStorage.removeItem(keyItem),
};

/** A failed API call: the HTTP status, the server's own explanation (ProblemDetails' detail) and its field errors. */
export class ApiError extends Error {
  constructor(status, detail, errors = {}) {
    super(detail);
    this.status = status;
    this.errors = errors;
  }
}

function headers(extra = {}) {
  const presented = key.get();
  return presented ? { ...extra, 'X-Api-Key': presented } : extra;
}

/** One API call; `body` goes as JSON. Resolves to the parsed answer, or throws an ApiError. */
export async function send(method, path, { body, signal } = {}) {
  const response = await fetch(path, {
    method,
    headers: headers(body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  const answer = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new ApiError(response.status, answer?.detail ?? answer?.title ?? `${method} ${path} answered ${response.status}.`, answer?.errors ?? {});
  }
  return answer;
}

export const get = (path, options) => send('GET', path, options);
export const post = (path, options) => send('POST', path, options);

/** Path with its query; parameters that are null, undefined or empty are left out. */
export function withQuery(path, parameters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== null && value !== undefined && value !== '') {
      query.set(name, value);
    }
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Every page of a cursor-paged list, up to `max` items. */
export async function allPages(path, parameters, max, options) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(withQuery(path, { ...parameters, cursor }), options);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return { items, complete: !cursor };
}

let paths = null;

/**
 * Whether this silo serves an API path (from its OpenAPI document), so that a page asks only for what exists and says
 * plainly when a feature is not in this version, instead of failing on a 404.
 */
export async function serves(path) {
  paths ??= get('/openapi/v1.json').then((document) => new Set(Object.keys(document.paths ?? {})));
  return (await paths).has(path);
}

/**
 * Follows the live signal stream with the key in its header (EventSource cannot send one). The library sends
 * Last-Event-ID when it reconnects, so no signal is missed across a dropped connection.
 */
export function follow(path, { onSignal, onResync, onState, signal }) {
  fetchEventSource(path, {
    headers: headers(),
    signal,
    openWhenHidden: true,
    async onopen(response) {
      if (!response.ok) {
        throw new ApiError(response.status, `The live stream answered ${response.status}.`);
      }
      onState('live');
    },
    onmessage(message) {
      if (message.event === 'signal') {
        onSignal(JSON.parse(message.data));
      } else if (message.event === 'resync') {
        onResync();
      } else if (message.event === 'error') {
        onState('retrying');
      }
    },
    onclose() {
      onState('reconnecting');
    },
    onerror(error) {
      onState(error instanceof ApiError ? 'failed' : 'reconnecting');
      if (error instanceof ApiError) {
        throw error;
      }
      return 2000;
    },
  }).catch(() => onState('failed'));
}

/** Who the entered key is (GET /api/v1/key): { name, role }, or null without a key. */
export async function whoAmI() {
  return key.get() ? get('/api/v1/key') : null;
}
