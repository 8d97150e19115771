// The trace API of SPEC §6, as the pages call it: JSON in, one error type out.

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

/** GETs `path` (with `params`, a URLSearchParams, if any) and returns the parsed JSON body. */
export async function getJson(path, params, signal) {
  const query = params && String(params) ? `?${params}` : '';
  let response;
  try {
    response = await fetch(path + query, { headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `The server could not be reached (${e.message}).`);
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
