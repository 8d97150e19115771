// The trace API of docs/api.md §6, as the pages call it: JSON in, one error type out.

import { h } from './dom.js';

/** A failed call: the HTTP status (0 when the server was not reached) and the API's error body. */
export class ApiError extends Error {
  constructor(status, message, parameter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.parameter = parameter;
  }
}

// When AARD runs with AARD_API_KEYS, the API answers 401 without a key: the viewer asks for one
// once and keeps it for this browser tab only (sessionStorage), never in the URL or a cookie.
const KEY_STORAGE = 'aard.apiKey';
let keyRequest = null;

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

/** Asks for an API key (one question at a time, however many calls need it). */
function askForKey(rejected) {
  if (!keyRequest) {
    keyRequest = Promise.resolve().then(() => {
      const key = window.prompt(
        (rejected ? 'That API key was not accepted. ' : '') +
          'This AARD needs an API key (a reader or operator key from AARD_API_KEYS):',
      );
      try {
        if (key) sessionStorage.setItem(KEY_STORAGE, key.trim());
        else sessionStorage.removeItem(KEY_STORAGE);
      } catch {
        // storage unavailable: the key lives for this call only
      }
      keyRequest = null;
      return key ? key.trim() : null;
    });
  }
  return keyRequest;
}

async function send(url, signal, key) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  try {
    return await fetch(url, { headers, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `The server could not be reached (${e.message}).`);
  }
}

/** GETs `path` (with `params`, a URLSearchParams, if any) and returns the parsed JSON body. */
export async function getJson(path, params, signal) {
  const query = params && String(params) ? `?${params}` : '';
  let key = storedKey();
  let response = await send(path + query, signal, key);
  for (let attempt = 0; response.status === 401 && attempt < 3; attempt++) {
    // Another call may have got a key meanwhile: try that one before asking.
    const current = storedKey();
    key = current && current !== key ? current : await askForKey(Boolean(current));
    if (!key) break;
    response = await send(path + query, signal, key);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message =
      body && typeof body.error === 'string'
        ? body.error
        : `${response.status} ${response.statusText || 'error'}`.trim();
    throw new ApiError(response.status, message, body ? body.parameter || null : null);
  }
  if (body === null) {
    throw new ApiError(response.status, 'The server answered with a body that is not JSON.');
  }
  return body;
}

/** A message box for a failed call, naming the status and quoting the API's `error`. */
export function errorBox(error, what) {
  if (!(error instanceof ApiError)) {
    return h('div', { class: 'message error', role: 'alert' }, `${what} failed: ${error.message}`);
  }
  const status = error.status
    ? `The server answered ${error.status}${error.status >= 500 ? ' (server error)' : ''}`
    : 'No answer from the server';
  return h(
    'div',
    { class: 'message error', role: 'alert', dataset: { status: String(error.status) } },
    h('strong', {}, `${what} failed. `),
    `${status}: `,
    h('q', { class: 'api-error' }, error.message),
    error.parameter ? h('span', {}, ' — parameter ', h('code', {}, error.parameter)) : null,
  );
}

let registry = null;

/**
 * Names of agents and tools by id, from GET /api/agents and /api/tools, fetched once. Empty maps
 * when the registries cannot be read: ids then show as they are.
 */
export function names() {
  if (!registry) {
    const load = (path, key) =>
      getJson(path)
        .then((body) => new Map((body[key] || []).map((x) => [x.id, x.name])))
        .catch(() => new Map());
    registry = Promise.all([load('api/agents', 'agents'), load('api/tools', 'tools')]).then(
      ([agents, tools]) => ({ agents, tools }),
    );
  }
  return registry;
}
