// The search page: every filter of GET /api/traces/ in the URL, newest traces first, "More"
// through next_cursor.

import { h, ago, count, duration, localTime, shortId, money } from './dom.js';
import { getJson, errorBox } from './api.js';
import { filterFields, readFilters, apiParams, markInvalid } from './filters.js';
import { link } from './route.js';

const QUICK = [
  ['15 min', 15 * 60_000],
  ['1 h', 3_600_000],
  ['24 h', 86_400_000],
  ['7 days', 7 * 86_400_000],
];

/** Renders the page for `route` into `root`. */
export function render(root, route, signal) {
  const params = route.params;
  const limit = params.get('limit') || '';
  const form = h(
    'form',
    { class: 'filters', id: 'search-form', role: 'search', 'aria-label': 'Trace filters' },
    filterFields(params),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Search'),
      h('span', { class: 'quick', 'aria-label': 'Quick time windows' }, 'Last',
        QUICK.map(([label, ms]) =>
          h('button', { type: 'button', class: 'link', dataset: { window: String(ms) }, onclick: () => lastWindow(form, ms) }, label),
        ),
      ),
      h('label', { class: 'limit' }, 'Per page ', h('input', { name: 'limit', type: 'number', min: '1', max: '500', value: limit, placeholder: '50' })),
      h('a', { class: 'button', href: '#/search' }, 'Clear'),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = readFilters(form);
    if (form.elements.limit.value) next.push(['limit', form.elements.limit.value]);
    go(link('search', new URLSearchParams(next)));
  });

  const results = h('section', { class: 'results', 'aria-live': 'polite' });
  root.append(h('h1', { class: 'visually-hidden' }, 'Search traces'), form, results);
  load(results, params, signal, form);
}

function lastWindow(form, ms) {
  const from = new Date(Date.now() - ms);
  form.elements.start_time_from.value = toInput(from);
  form.elements.start_time_to.value = '';
  form.requestSubmit();
}

function toInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Navigates, re-rendering even when the hash is the one already shown (a repeated search). */
function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

async function load(results, params, signal, form) {
  results.replaceChildren(h('p', { class: 'message loading' }, 'Searching…'));
  const query = apiParams(params, params.get('limit') ? [['limit', params.get('limit')]] : []);
  let page;
  try {
    page = await getJson('api/traces/', query, signal);
  } catch (e) {
    if (e.name === 'AbortError') return;
    results.replaceChildren(errorBox(e, 'The search'));
    markInvalid(form, e);
    return;
  }
  const traces = [...page.traces];
  if (traces.length === 0) {
    const filtered = [...query].length > 0;
    results.replaceChildren(
      h('div', { class: 'message empty', id: 'no-results' },
        h('strong', {}, 'No traces found. '),
        filtered
          ? ['No trace has a span that matches every filter. ', h('a', { href: '#/search' }, 'Clear the filters'), ' or widen the time window.']
          : 'Nothing is stored yet: spans reach the table when TRACING_EXPORTER includes "database".'),
    );
    return;
  }
  const body = h('tbody');
  const table = h(
    'table',
    { class: 'traces', id: 'traces' },
    h('thead', {}, h('tr', {},
      h('th', {}, 'Root operation'), h('th', {}, 'Start'), h('th', { class: 'duration' }, 'Duration'),
      h('th', { class: 'num' }, 'Spans'), h('th', { class: 'num' }, 'Errors'),
      h('th', { class: 'num', title: 'Input / output tokens of the trace\'s model calls' }, 'Tokens in / out'),
      h('th', { class: 'num', title: 'The cost of the trace\'s model calls, priced when stored' }, 'Cost'),
      h('th', {}, 'Task'), h('th', {}, 'Plan'))),
    body,
  );
  const summary = h('p', { class: 'summary' });
  const more = h('button', { type: 'button', id: 'more' }, 'More');
  const footer = h('div', { class: 'more' }, more);
  let cursor = page.next_cursor;

  const draw = () => {
    const longest = Math.max(...traces.map((t) => t.duration_ms), 0.001);
    body.replaceChildren(...traces.map((t) => row(t, longest)));
    summary.textContent = `${count(traces.length)} trace${traces.length === 1 ? '' : 's'}${cursor ? ', more available' : ''}`;
    footer.hidden = !cursor;
  };
  more.addEventListener('click', async () => {
    more.disabled = true;
    more.textContent = 'Loading…';
    footer.querySelector('.message')?.remove();
    try {
      const next = await getJson('api/traces/', apiParams(params, [...(params.get('limit') ? [['limit', params.get('limit')]] : []), ['cursor', cursor]]), signal);
      traces.push(...next.traces);
      cursor = next.next_cursor;
      draw();
    } catch (e) {
      if (e.name !== 'AbortError') footer.append(errorBox(e, 'Loading more'));
    } finally {
      more.disabled = false;
      more.textContent = 'More';
    }
  });
  draw();
  results.replaceChildren(summary, h('div', { class: 'table-wrap' }, table), footer);
}

function row(t, longest) {
  const error = t.status === 'ERROR' || t.error_count > 0;
  const width = Math.max(0.5, (t.duration_ms / longest) * 100);
  return h(
    'tr',
    { class: error ? 'error' : null, dataset: { traceId: t.trace_id } },
    h('td', { class: 'op', 'data-label': 'Operation' },
      h('a', { href: link('trace', {}, t.trace_id), class: 'trace-link', title: `Open trace ${t.trace_id}` },
        error ? h('span', { class: 'dot', 'aria-label': 'has errors' }) : null, t.root_operation || '(no root span)'),
      h('small', {}, `${t.service_name || ''} · ${shortId(t.trace_id)}`)),
    h('td', { class: 'start', 'data-label': 'Start', title: t.start_time }, localTime(t.start_time), h('small', {}, ago(t.start_time))),
    h('td', { class: 'duration', 'data-label': 'Duration' },
      h('div', { class: 'dbar', title: `${t.duration_ms} ms` },
        h('span', { class: error ? 'fill error' : 'fill', style: `width:${width.toFixed(2)}%` }),
        h('em', {}, duration(t.duration_ms)))),
    h('td', { class: 'num', 'data-label': 'Spans' }, count(t.span_count)),
    h('td', { class: error ? 'num errors' : 'num', 'data-label': 'Errors' }, count(t.error_count)),
    h('td', { class: 'num io', 'data-label': 'Tokens in / out' }, tokens(t)),
    h('td', { class: 'num cost', 'data-label': 'Cost' }, money(t.cost_usd)),
    h('td', { 'data-label': 'Task' }, t.task_id
      ? h('a', { href: link('session', {}, t.task_id), class: 'id task_id', title: `Task ${t.task_id}: its traces, plans and totals` }, h('code', {}, shortId(t.task_id)))
      : idLink('task_id', t.task_id)),
    h('td', { 'data-label': 'Plan' }, idLink('plan_id', t.plan_id)),
  );
}

/** A trace's input / output tokens; a dash when it made no model call that counted any. */
function tokens(t) {
  if (!t.input_tokens && !t.output_tokens) return h('span', { class: 'none' }, '–');
  return `${count(t.input_tokens ?? 0)} / ${count(t.output_tokens ?? 0)}`;
}

function idLink(key, id) {
  if (!id) return h('span', { class: 'none' }, '–');
  return h('a', { href: link('search', { [key]: id }), class: `id ${key}`, title: `Traces of ${key.replace('_id', '')} ${id}` }, h('code', {}, shortId(id)));
}
