// The trace page: summary, waterfall and the selected span's details. The selected span is kept
// in the URL (?span=) so that a link can point at it.

import { h, count, duration, localTime, shortId, money } from './dom.js';
import { getJson, errorBox, names, ApiError } from './api.js';
import { buildModel, Waterfall } from './waterfall.js';
import { spanDetails } from './details.js';
import { link, replaceParams } from './route.js';

const TRACE_ID = /^[0-9a-f]{32}$/;

/** Renders the page for `route` into `root`; returns its cleanup. */
export function render(root, route, signal) {
  const id = (route.segments[0] || '').trim().toLowerCase();
  let waterfall = null;
  if (!TRACE_ID.test(id)) {
    root.append(
      h('div', { class: 'message error', id: 'bad-trace-id', role: 'alert' },
        h('strong', {}, 'Not a trace id. '), `A trace id is 32 hexadecimal characters; got “${id}”. `,
        h('a', { href: '#/search' }, 'Search traces')),
    );
    return undefined;
  }
  root.append(h('p', { class: 'message loading' }, `Loading trace ${id}…`));
  const started = performance.now();
  Promise.all([getJson(`api/traces/${id}`, null, signal), names()])
    .then(([detail, registry]) => {
      if (signal.aborted) return;
      waterfall = show(root, detail, registry, route.params.get('span'), started);
    })
    .catch((e) => {
      if (e.name === 'AbortError') return;
      root.replaceChildren(
        e instanceof ApiError && e.status === 404
          ? h('div', { class: 'message empty', id: 'not-found', role: 'alert' },
              h('strong', {}, 'No such trace. '),
              `No span of trace ${id} is stored. It may not be written yet (the exporter writes spans within seconds), `,
              'it may have been dropped by retention, or the id may be wrong. ',
              h('a', { href: '#/search' }, 'Search traces'))
          : errorBox(e, 'Loading the trace'),
      );
    });
  return () => waterfall && waterfall.destroy();
}

function show(root, detail, registry, selectedSpan, started) {
  const parsed = performance.now();
  const model = buildModel(detail.spans || []);
  const critical = model.nodes.filter((n) => n.crit).length;
  const errors = model.nodes.filter((n) => n.error);
  const details = h('aside', { class: 'details', 'aria-label': 'Span details' },
    h('p', { class: 'hint' }, 'Select a span to see its attributes, events and resource.'));
  const narrow = window.matchMedia('(max-width: 999px)');

  let wf;
  const onSelect = (node) => {
    const zoom = h('button', { type: 'button', id: 'zoom-span', title: 'Stretch the time axis over this span' }, 'Zoom to span');
    zoom.addEventListener('click', () => {
      wf.zoom(node.start, node.end);
      reset.hidden = false;
    });
    details.replaceChildren(spanDetails(node, model, registry, zoom));
    replaceParams(link('trace', { span: node.span.span_id }, detail.trace_id));
    if (narrow.matches && wf && wf.userSelected) details.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };

  const header = h(
    'header',
    { class: 'trace-head' },
    h('h1', {}, detail.root_operation || '(no root span)',
      detail.error_count > 0 ? h('span', { class: 'badge status-error' }, `${count(detail.error_count)} error${detail.error_count === 1 ? '' : 's'}`) : null),
    h('dl', { class: 'facts inline' },
      item('Trace', h('code', { class: 'trace-id' }, detail.trace_id)),
      item('Start', localTime(detail.start_time), detail.start_time),
      item('Duration', duration(detail.duration_ms)),
      item('Spans', count(detail.span_count)),
      item('Tokens', h('span', { id: 'trace-tokens' }, `${count(detail.input_tokens ?? 0)} in / ${count(detail.output_tokens ?? 0)} out`),
        'Input and output tokens of every model call in the trace'),
      item('Cost', money(detail.cost_usd, { id: 'trace-cost' })),
      item('Service', detail.service_name),
      detail.task_id ? item('Task', h('a', { href: link('session', {}, detail.task_id), class: 'task-link', title: `Task ${detail.task_id}: its traces, plans and totals` }, h('code', {}, shortId(detail.task_id)))) : null,
      detail.session_id && detail.session_id !== detail.task_id
        ? item('Session', h('a', { href: link('session', {}, detail.session_id), class: 'session-link', title: detail.session_id }, h('code', {}, shortId(detail.session_id))))
        : null,
      detail.plan_id ? item('Plan', h('a', { href: link('search', { plan_id: detail.plan_id }), title: detail.plan_id }, h('code', {}, shortId(detail.plan_id)))) : null,
      item('JSON', h('a', { href: `api/traces/${detail.trace_id}`, target: '_blank', rel: 'noopener' }, 'tree'), null, ' ',
        h('a', { href: `api/traces/${detail.trace_id}/spans`, target: '_blank', rel: 'noopener' }, 'spans'))),
    compareWith(detail),
  );
  const reset = h('button', { type: 'button', id: 'zoom-reset', hidden: true, onclick: () => { wf.zoom(0, model.total); reset.hidden = true; } }, 'Whole trace');
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Waterfall' },
    h('button', { type: 'button', id: 'expand-all', onclick: () => wf.expandAll() }, 'Expand all'),
    h('button', { type: 'button', id: 'collapse-all', onclick: () => wf.collapseAll() }, 'Collapse all'),
    reset,
    errors.length
      ? h('button', { type: 'button', id: 'first-error', class: 'danger', onclick: () => { wf.userSelected = true; wf.select(errors[0].index, { scroll: true, center: true }); } }, 'First error')
      : null,
    h('span', { class: 'legend' },
      h('span', {}, h('span', { class: 'key ok' }), ' span'),
      h('span', {}, h('span', { class: 'key err' }), ' error'),
      h('span', { title: 'Walking back from the end of the trace: the spans that the trace waited for' },
        h('span', { class: 'key crit-key' }), ` critical path (${count(critical)} span${critical === 1 ? '' : 's'})`)));
  const waterfallHost = h('section', { class: 'waterfall', 'aria-label': 'Waterfall' });
  const layout = h('div', { class: 'trace-layout' }, h('div', { class: 'trace-main' }, toolbar, waterfallHost), details);
  const page = h('div', { class: 'trace', id: 'trace', dataset: { traceId: detail.trace_id, spans: String(model.nodes.length) } }, header, truncated(detail, model), layout);
  root.replaceChildren(page);

  wf = new Waterfall(waterfallHost, model, { onSelect });
  // The user's own clicks and keys bring the details into view on a phone; restoring ?span= does not.
  wf.el.addEventListener('pointerdown', () => { wf.userSelected = true; });
  wf.el.addEventListener('keydown', () => { wf.userSelected = true; });
  const wanted = selectedSpan ? model.nodes.find((n) => n.span.span_id === selectedSpan) : null;
  if (wanted) wf.select(wanted.index, { scroll: true, center: true });

  // The render budget, measured in the page: model, DOM and layout, then the first paint.
  void page.offsetHeight;
  const rendered = performance.now();
  page.dataset.renderMs = (rendered - parsed).toFixed(1);
  page.dataset.loadMs = (rendered - started).toFixed(1);
  page.dataset.fetchMs = (parsed - started).toFixed(1);
  requestAnimationFrame(() => setTimeout(() => {
    const painted = performance.now();
    page.dataset.paintMs = (painted - parsed).toFixed(1);
    page.dataset.totalMs = (painted - started).toFixed(1);
    page.classList.add('rendered');
    console.info(`trace ${detail.trace_id}: ${model.nodes.length} spans, rendered in ${page.dataset.renderMs} ms, painted after ${page.dataset.paintMs} ms, ${page.dataset.totalMs} ms with the request`);
  }));
  return wf;
}

/**
 * The marker of a trace cut at the server's bound (TRACE_READ_MAX_SPANS): how many spans are shown
 * of how many, and where the rest are (the flat span list, paged by cursor).
 */
function truncated(detail, model) {
  if (!detail.truncated) return null;
  const rest = `api/traces/${detail.trace_id}/spans${detail.next_cursor ? `?cursor=${encodeURIComponent(detail.next_cursor)}` : ''}`;
  return h('p', { class: 'message truncated', id: 'truncated', role: 'status' },
    h('strong', {}, 'Trace cut. '),
    `Showing ${count(model.nodes.length)} of ${count(detail.span_count)} spans: the first by start time, as many as one read returns (TRACE_READ_MAX_SPANS). `,
    h('a', { href: rest, target: '_blank', rel: 'noopener' }, 'The rest as JSON'),
    ', page by page.');
}

function item(label, value, title, ...more) {
  return h('div', {}, h('dt', {}, label), h('dd', { title }, value, ...more));
}

/**
 * "Compare with…": a field for the other trace's id, offering the other traces of the same task
 * (fetched when the field opens); submitting opens the compare page with this trace as A.
 */
function compareWith(detail) {
  const list = h('datalist', { id: 'compare-candidates' });
  const input = h('input', {
    name: 'other', id: 'compare-other', list: 'compare-candidates', placeholder: 'Other trace id', 'aria-label': 'Trace id to compare with',
    autocomplete: 'off', spellcheck: 'false', required: true, pattern: '\\s*[0-9a-fA-F]{32}\\s*', title: '32 hexadecimal characters',
  });
  const form = h('form', { class: 'compare-with', id: 'compare-with-form', hidden: true },
    input, list, h('button', { type: 'submit', class: 'primary' }, 'Compare'),
    detail.task_id ? h('a', { href: link('session', {}, detail.task_id) }, 'or pick two runs of the task') : null);
  let offered = false;
  const button = h('button', { type: 'button', id: 'compare-with', 'aria-expanded': 'false', onclick: () => {
    form.hidden = !form.hidden;
    button.setAttribute('aria-expanded', String(!form.hidden));
    if (form.hidden) return;
    input.focus();
    if (offered || !detail.task_id) return;
    offered = true;
    getJson('api/traces/', new URLSearchParams({ task_id: detail.task_id, limit: '100' }))
      .then((page) => {
        for (const t of page.traces) {
          if (t.trace_id !== detail.trace_id) {
            list.append(h('option', { value: t.trace_id, label: `${t.root_operation} · ${localTime(t.start_time)}${t.error_count ? ' · errors' : ''}` }));
          }
        }
      })
      .catch(() => {
        // Only suggestions: an id can still be typed.
      });
  } }, 'Compare with…');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = link('compare', { a: detail.trace_id, b: input.value.trim().toLowerCase() });
  });
  return h('div', { class: 'trace-actions' }, button, form);
}
