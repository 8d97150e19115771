// The statistics page: GET /api/traces/stats/summary per operation, agent, tool, status, service
// or model over a time window, as cards, a latency chart and a sortable table.

import { h, count, duration, localTime, percent, fromLocalInput, toLocalInput, money } from './dom.js';
import { getJson, errorBox, names } from './api.js';
import { filterFields, readFilters, apiParams, markInvalid } from './filters.js';
import { latencyChart } from './chart.js';
import { link } from './route.js';

const WINDOWS = [
  ['15m', 'last 15 minutes', 15 * 60_000],
  ['1h', 'last hour', 3_600_000],
  ['6h', 'last 6 hours', 6 * 3_600_000],
  ['24h', 'last 24 hours', 86_400_000],
  ['7d', 'last 7 days', 7 * 86_400_000],
  ['30d', 'last 30 days', 30 * 86_400_000],
  ['custom', 'from … to …', 0],
];
const GROUPS = [
  ['operation_name', 'Operation'],
  ['agent_id', 'Agent'],
  ['tool_id', 'Tool'],
  ['status', 'Status'],
  ['service_name', 'Service'],
  ['model', 'Model'],
];
const CHART_ROWS = 12;

/** Renders the page for `route` into `root`; returns its cleanup. */
export function render(root, route, signal) {
  const params = route.params;
  const custom = params.has('start_time_from') || params.has('start_time_to');
  const windowKey = custom ? 'custom' : params.get('window') || '24h';
  const groupBy = params.get('group_by') || 'operation_name';

  const windowSelect = h('select', { name: 'window', id: 'window' },
    WINDOWS.map(([key, label]) => h('option', { value: key, selected: key === windowKey }, label)));
  const from = h('input', { type: 'datetime-local', step: '1', name: 'start_time_from', value: toLocalInput(params.get('start_time_from')) });
  const to = h('input', { type: 'datetime-local', step: '1', name: 'start_time_to', value: toLocalInput(params.get('start_time_to')) });
  const customFields = h('div', { class: 'custom-window', hidden: windowKey !== 'custom' },
    h('label', { class: 'field' }, h('span', { class: 'label' }, 'From'), from),
    h('label', { class: 'field' }, h('span', { class: 'label' }, 'To'), to));
  windowSelect.addEventListener('change', () => {
    customFields.hidden = windowSelect.value !== 'custom';
    if (windowSelect.value !== 'custom') form.requestSubmit();
  });
  const groupSelect = h('select', { name: 'group_by', id: 'group-by', onchange: () => form.requestSubmit() },
    GROUPS.map(([key, label]) => h('option', { value: key, selected: key === groupBy }, label)));

  const form = h('form', { class: 'filters', id: 'stats-form', 'aria-label': 'Statistics window and filters' },
    h('div', { class: 'fields' },
      h('label', { class: 'field' }, h('span', { class: 'label' }, 'Group by'), groupSelect),
      h('label', { class: 'field' }, h('span', { class: 'label' }, 'Window'), windowSelect),
      customFields),
    filterFields(params, { withTimes: false }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Show'), h('a', { class: 'button', href: '#/stats' }, 'Reset')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = [['group_by', groupSelect.value]];
    if (windowSelect.value === 'custom') {
      if (from.value) next.push(['start_time_from', fromLocalInput(from.value)]);
      if (to.value) next.push(['start_time_to', fromLocalInput(to.value)]);
    } else {
      next.push(['window', windowSelect.value]);
    }
    next.push(...readFilters(form).filter(([k]) => k !== 'start_time_from' && k !== 'start_time_to'));
    const hash = link('stats', new URLSearchParams(next));
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = hash;
  });

  const out = h('section', { class: 'stats-results', 'aria-live': 'polite' }, h('p', { class: 'message loading' }, 'Computing…'));
  root.append(h('h1', { class: 'visually-hidden' }, 'Statistics'), form, out);

  const query = apiParams(params, [['group_by', groupBy]]);
  if (!custom) {
    const span = (WINDOWS.find(([k]) => k === windowKey) || WINDOWS[3])[2];
    query.set('start_time_from', new Date(Date.now() - span).toISOString());
  }
  let observer = null;
  Promise.all([getJson('api/traces/stats/summary', query, signal), names()])
    .then(([summary, registry]) => {
      if (signal.aborted) return;
      observer = show(out, summary, registry, groupBy, query);
    })
    .catch((e) => {
      if (e.name === 'AbortError') return;
      out.replaceChildren(errorBox(e, 'The statistics'));
      markInvalid(form, e);
    });
  return () => observer && observer.disconnect();
}

function show(out, s, registry, groupBy, query) {
  const label = (key) => {
    if (key === null || key === undefined || key === '') return '(none)';
    if (groupBy === 'agent_id') return registry.agents.get(key) || key;
    if (groupBy === 'tool_id') return registry.tools.get(key) || key;
    return key;
  };
  const d = s.duration_ms || {};
  const g = s.gen_ai || {};
  const cards = h('div', { class: 'cards', id: 'stat-cards' },
    card('Spans', count(s.span_count)),
    card('Traces', count(s.trace_count)),
    card('Errors', count(s.error_count), percent(s.error_rate), s.error_count > 0 ? 'error' : null),
    card('p50', duration(d.p50)),
    card('p95', duration(d.p95)),
    card('p99', duration(d.p99), `max ${duration(d.max)}`),
    card('Input tokens', count(g.input_tokens)),
    card('Output tokens', count(g.output_tokens)),
    card('Cost', money(s.cost_usd, { id: 'stats-cost' })));
  const window = h('p', { class: 'summary', id: 'stats-window', title: `${s.from} – ${s.to}` },
    `Spans that started from ${localTime(s.from)} to ${localTime(s.to)}`);
  if (!s.groups || s.groups.length === 0) {
    out.replaceChildren(window, cards,
      h('div', { class: 'message empty', id: 'no-stats' }, h('strong', {}, 'No spans in this window. '), 'Choose a longer window or fewer filters.'));
    return null;
  }
  const groups = s.groups.map((x) => ({ ...x, label: label(x.key) }));
  const chartHost = h('div', { class: 'chart', id: 'latency-chart' });
  const ranked = [...groups].sort((a, b) => (b.duration_ms?.p95 ?? -1) - (a.duration_ms?.p95 ?? -1)).slice(0, CHART_ROWS);
  const drawChart = () => {
    const width = Math.max(280, chartHost.clientWidth || 600);
    chartHost.innerHTML = latencyChart(ranked.map((x) => ({ key: x.key, label: x.label, ...x.duration_ms })), width);
  };
  const chart = h('figure', { class: 'chart-figure' },
    h('figcaption', {}, h('strong', {}, 'Latency'),
      ` by ${GROUPS.find(([k]) => k === groupBy)[1].toLowerCase()}, slowest ${ranked.length} by p95 `,
      h('span', { class: 'legend' }, h('span', { class: 'key p50' }), 'p50 ', h('span', { class: 'key p95' }), 'p95 ', h('span', { class: 'key p99' }), 'p99')),
    chartHost);

  const columns = [
    ['label', GROUPS.find(([k]) => k === groupBy)[1], (x) => x.label, false],
    ['span_count', 'Spans', (x) => x.span_count, true],
    ['error_count', 'Errors', (x) => x.error_count, true],
    ['error_rate', 'Error rate', (x) => x.error_rate, true],
    ['avg', 'Avg', (x) => x.duration_ms?.avg, true],
    ['p50', 'p50', (x) => x.duration_ms?.p50, true],
    ['p95', 'p95', (x) => x.duration_ms?.p95, true],
    ['p99', 'p99', (x) => x.duration_ms?.p99, true],
    ['max', 'Max', (x) => x.duration_ms?.max, true],
    ['in', 'Tokens in', (x) => x.gen_ai?.input_tokens, true],
    ['out', 'Tokens out', (x) => x.gen_ai?.output_tokens, true],
    ['cost', 'Cost', (x) => (x.cost_usd === null || x.cost_usd === undefined ? null : Number(x.cost_usd)), true],
  ];
  let sort = { key: 'span_count', desc: true };
  const tbody = h('tbody');
  const headRow = h('tr');
  const drawTable = () => {
    const col = columns.find(([k]) => k === sort.key);
    const sorted = [...groups].sort((a, b) => {
      const va = col[2](a);
      const vb = col[2](b);
      const c = typeof va === 'string' ? String(va).localeCompare(String(vb)) : (va ?? -1) - (vb ?? -1);
      return sort.desc ? -c : c;
    });
    headRow.replaceChildren(...columns.map(([key, title, , numeric]) =>
      h('th', { class: numeric ? 'num' : null, 'aria-sort': sort.key === key ? (sort.desc ? 'descending' : 'ascending') : null },
        h('button', { type: 'button', class: 'sort', onclick: () => { sort = { key, desc: sort.key === key ? !sort.desc : numeric }; drawTable(); } },
          title, sort.key === key ? (sort.desc ? ' ▾' : ' ▴') : ''))));
    tbody.replaceChildren(...sorted.map((x) => groupRow(x, groupBy, query)));
  };
  drawTable();
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'stats', id: 'stats-table' }, h('thead', {}, headRow), tbody));
  out.replaceChildren(window, cards, chart, table);
  drawChart();
  let lastWidth = chartHost.clientWidth;
  const observer = new ResizeObserver(() => {
    if (chartHost.clientWidth !== lastWidth) {
      lastWidth = chartHost.clientWidth;
      drawChart();
    }
  });
  observer.observe(chartHost);
  return observer;
}

function card(title, value, note, cls) {
  return h('div', { class: cls ? `card ${cls}` : 'card' }, h('span', { class: 'label' }, title), h('strong', {}, value), note ? h('small', {}, note) : null);
}

/** A group's row; its name searches the traces of that group in the same window. */
function groupRow(x, groupBy, query) {
  const d = x.duration_ms || {};
  const g = x.gen_ai || {};
  const search = new URLSearchParams(query);
  search.delete('group_by');
  if (x.key !== null && x.key !== undefined) search.set(groupBy, x.key);
  // The search has no model filter: a model's name is no link.
  const name = groupBy === 'model'
    ? h('span', { title: x.key ? `Spans of the model ${x.key}` : 'Spans without a model' }, x.label)
    : h('a', { href: link('search', search), title: `Traces with ${groupBy} = ${x.key}` }, x.label);
  return h('tr', { class: x.error_count > 0 ? 'error' : null, dataset: { key: x.key ?? '' } },
    h('td', { class: 'key' }, name),
    h('td', { class: 'num' }, count(x.span_count)),
    h('td', { class: x.error_count > 0 ? 'num errors' : 'num' }, count(x.error_count)),
    h('td', { class: 'num' }, percent(x.error_rate)),
    h('td', { class: 'num' }, duration(d.avg)),
    h('td', { class: 'num' }, duration(d.p50)),
    h('td', { class: 'num' }, duration(d.p95)),
    h('td', { class: 'num' }, duration(d.p99)),
    h('td', { class: 'num' }, duration(d.max)),
    h('td', { class: 'num' }, count(g.input_tokens)),
    h('td', { class: 'num' }, count(g.output_tokens)),
    h('td', { class: 'num cost' }, money(x.cost_usd)));
}
