// The trace API of docs/api.md §6, as the pages call it: JSON in, one error type out.

import { h, micros } from './dom.js';

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

function hex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A W3C traceparent that asks the server not to trace the request (its flags are 00). The server
 * leaves the trace API's reads and the viewer's files untraced by itself (its ReadRequestSampler);
 * the viewer also reads tasks, plans, agents and tools, which it would trace — stamped with the
 * task's id, so that every look at a task's page would add traces to that task.
 */
function untraced() {
  return `00-${hex(16)}-${hex(8)}-00`;
}

async function send(url, signal, key) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (!url.startsWith('api/traces')) headers.traceparent = untraced();
  try {
    return await fetch(url, { headers, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, `The server could not be reached (${e.message}).`);
  }
}

/** Times a busy server (429) is asked again before the viewer gives up and says so. */
const BUSY_ATTEMPTS = 4;

function pause(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(new DOMException('The page was left', 'AbortError'));
      return;
    }
    const timer = setTimeout(resolve, ms);
    if (signal) {
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DOMException('The page was left', 'AbortError'));
      }, { once: true });
    }
  });
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
  // At most 4 trace reads run at once per server (docs/api.md §6): a page that needs several waits
  // as the server asks and tries again, rather than showing an error.
  for (let attempt = 0; response.status === 429 && attempt < BUSY_ATTEMPTS; attempt++) {
    const seconds = Number(response.headers.get('Retry-After')) || 1;
    await pause(Math.min(seconds, 5) * 1000 * (0.5 + Math.random() / 2), signal);
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

/** Traces of one search page; a task or session has rarely more than a few. */
const SESSION_PAGE = 500;
const SESSION_PAGES = 10;

/** Every trace with a span whose `key` is `id`, following next_cursor up to 5,000 traces. */
async function tracesWhere(key, id, signal) {
  const traces = [];
  let cursor = null;
  for (let page = 0; page < SESSION_PAGES; page++) {
    const params = new URLSearchParams({ [key]: id, limit: String(SESSION_PAGE) });
    if (cursor) params.set('cursor', cursor);
    const body = await getJson('api/traces/', params, signal);
    traces.push(...body.traces);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return { traces, more: Boolean(cursor) };
}

/**
 * The traces of a task or session, oldest first: those with a span of the task (`task_id`), and
 * those of the session (`session_id`, a span's `gen_ai.conversation.id`: AARD's own spans of a task
 * carry the task id, a trace received by OTLP its caller's conversation id). A server without the
 * `session_id` filter refuses it with a 400 naming it; the task's traces are then all there are.
 * Returns `{traces, more, bySession}`: `more` when a search had more than 5,000 traces.
 */
export async function sessionTraces(id, signal) {
  const [byTask, bySession] = await Promise.all([
    tracesWhere('task_id', id, signal),
    tracesWhere('session_id', id, signal).catch((e) => {
      if (e instanceof ApiError && e.status === 400 && e.parameter === 'session_id') return null;
      throw e;
    }),
  ]);
  const all = new Map();
  for (const t of [...byTask.traces, ...(bySession ? bySession.traces : [])]) {
    if (!all.has(t.trace_id)) all.set(t.trace_id, t);
  }
  const traces = [...all.values()].sort((a, b) => micros(a.start_time) - micros(b.start_time));
  return { traces, more: byTask.more || Boolean(bySession && bySession.more), bySession: bySession !== null };
}
