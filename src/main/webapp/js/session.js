// The task page (#/session/<id>): a task's whole story on one page. Every trace of the task — its
// create, plan and execute requests, and any trace received by OTLP with the task as its
// conversation — on one time axis, each expandable into its waterfall; the task's plans with their
// steps' inputs, outputs and errors; the totals. An id that is no task shows the traces of that
// session alone. Without an id: the latest tasks.

import { h, count, duration, localTime, ago, micros, shortId, niceStep, sumDecimal, usd, hasCost } from './dom.js';
import { getJson, errorBox, names, sessionTraces, ApiError } from './api.js';
import { buildModel, Waterfall } from './waterfall.js';
import { spanDetails } from './details.js';
import { link, replaceParams } from './route.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Renders the page for `route` into `root`; returns its cleanup. */
export function render(root, route, signal) {
  const raw = (route.segments[0] || '').trim();
  if (!raw) {
    latestTasks(root, signal);
    return undefined;
  }
  // AARD's own ids are stored in lower case; another system's session id is kept as it came.
  const id = UUID.test(raw) ? raw.toLowerCase() : raw;
  const open = new Set((route.params.get('open') || '').split(',').filter(Boolean));
  const waterfalls = new Map();
  root.append(h('p', { class: 'message loading' }, `Loading task ${id}…`));
  load(id, signal)
    .then((data) => {
      if (!signal.aborted) show(root, data, open, waterfalls, signal);
    })
    .catch((e) => {
      if (e.name !== 'AbortError') root.replaceChildren(errorBox(e, 'Loading the task'));
    });
  return () => {
    for (const wf of waterfalls.values()) wf.destroy();
  };
}

/** The task (null when the id is no task), its plans, its traces and their token totals. */
async function load(id, signal) {
  const task = UUID.test(id)
    ? getJson(`api/tasks/${id}`, null, signal).catch((e) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      })
    : Promise.resolve(null);
  const [t, found, registry] = await Promise.all([task, sessionTraces(id, signal), names()]);
  const plans = t
    ? (await Promise.all((t.plan_ids || []).map((p) => getJson(`api/plans/${p}`, null, signal))))
        .sort((a, b) => micros(a.created_at) - micros(b.created_at))
    : [];
  const tokens = await tokenTotals(id, found.traces, signal);
  return { id, task: t, plans, registry, tokens, ...found };
}

/**
 * The input and output tokens of the traces: summed from their rows where the server gives them
 * per trace, else from the statistics of the task's spans over the traces' time span. Null (shown
 * as "–") when neither answers: the totals must not keep the page from showing.
 */
async function tokenTotals(id, traces, signal) {
  if (!traces.length) return { input: 0, output: 0 };
  if (traces.every((t) => t.input_tokens !== undefined)) {
    return {
      input: traces.reduce((n, t) => n + (Number(t.input_tokens) || 0), 0),
      output: traces.reduce((n, t) => n + (Number(t.output_tokens) || 0), 0),
    };
  }
  const from = Math.min(...traces.map((t) => micros(t.start_time)));
  const to = Math.max(...traces.map((t) => micros(t.end_time)));
  const params = new URLSearchParams({
    task_id: id,
    start_time_from: new Date(Math.floor(from / 1000)).toISOString(),
    start_time_to: new Date(Math.floor(to / 1000) + 1).toISOString(),
    group_by: 'status',
  });
  try {
    const stats = await getJson('api/traces/stats/summary', params, signal);
    return { input: stats.gen_ai?.input_tokens ?? 0, output: stats.gen_ai?.output_tokens ?? 0 };
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return null;
  }
}

/** What a trace did for the task, from its root operation: create, plan, execute or cancel. */
function kind(t) {
  const op = t.root_operation || '';
  if (/^POST \/api\/tasks\/?$/.test(op)) return 'create';
  if (/^POST .*\/plan$/.test(op)) return 'plan';
  if (/^POST .*\/execute$/.test(op)) return 'execute';
  if (/^POST .*\/cancel$/.test(op)) return 'cancel';
  return null;
}

function show(root, data, open, waterfalls, signal) {
  const { id, task, plans, traces, registry } = data;
  if (!task && traces.length === 0) {
    root.replaceChildren(
      h('div', { class: 'message empty', id: 'not-found', role: 'alert' },
        h('strong', {}, 'No such task or session. '),
        `No task has the id ${id}, and no stored trace belongs to it. Its traces may not be written yet, `,
        'they may have been dropped by retention, or the id may be wrong. ',
        h('a', { href: '#/session' }, 'Latest tasks')),
    );
    return;
  }
  const executions = traces.filter((t) => kind(t) === 'execute');
  let n = 0;
  const runNumber = new Map(executions.map((t) => [t.trace_id, ++n]));
  const page = h('div', { class: 'session', id: 'session', dataset: { sessionId: id, traces: String(traces.length) } },
    header(data),
    totals(data),
    h('section', { class: 'session-traces', 'aria-label': 'Traces' },
      h('div', { class: 'section-head' },
        h('h2', {}, `Traces (${count(traces.length)})`),
        compareForm(traces, executions, runNumber)),
      data.more ? h('p', { class: 'message empty' }, 'More than 5,000 traces: the oldest are not shown.') : null,
      traces.length
        ? timeline(id, traces, open, registry, waterfalls, runNumber, signal)
        : h('p', { class: 'message empty', id: 'no-traces' }, 'No trace of this task is stored yet: spans reach the table when TRACING_EXPORTER includes "database".')),
    plans.length ? h('section', { class: 'plans', 'aria-label': 'Plans' }, h('h2', {}, `Plans (${count(plans.length)})`), plans.map((p, i) => planCard(p, i, traces))) : null,
  );
  root.replaceChildren(page);
  page.classList.add('rendered');
}

function header({ id, task, traces }) {
  const search = link('search', { task_id: id });
  if (!task) {
    return h('header', { class: 'trace-head' },
      h('h1', {}, h('span', { class: 'badge' }, 'Session'), h('code', {}, id)),
      h('dl', { class: 'facts inline' },
        item('Search', h('a', { href: search }, 'its traces')),
        item('Started', traces.length ? localTime(traces[0].start_time) : '–', traces[0]?.start_time)));
  }
  const status = task.status || 'CREATED';
  return h('header', { class: 'trace-head' },
    h('h1', { id: 'task-description' }, h('span', { class: 'badge' }, 'Task'), task.description,
      h('span', { class: `badge task-status status-${statusClass(status)}`, id: 'task-status' }, status)),
    h('dl', { class: 'facts inline' },
      item('Task', h('code', { class: 'task-id' }, task.id)),
      item('Created', localTime(task.created_at), task.created_at, h('small', {}, ` ${ago(task.created_at)}`)),
      item('Updated', localTime(task.updated_at), task.updated_at),
      item('Plans', count((task.plan_ids || []).length)),
      item('Search', h('a', { href: search }, 'its traces'), null, ' · ',
        h('a', { href: link('stats', { task_id: id, window: '30d' }) }, 'statistics'), ' · ',
        h('a', { href: `api/tasks/${task.id}`, target: '_blank', rel: 'noopener' }, 'JSON'))));
}

/** The totals: from the first trace's start to the last one's end, and every trace's spans. */
function totals({ traces, tokens }) {
  const start = traces.length ? Math.min(...traces.map((t) => micros(t.start_time))) : 0;
  const end = traces.length ? Math.max(...traces.map((t) => micros(t.end_time))) : 0;
  const spans = traces.reduce((s, t) => s + (t.span_count || 0), 0);
  const errors = traces.reduce((s, t) => s + (t.error_count || 0), 0);
  const failedTraces = traces.filter((t) => t.error_count > 0 || t.status === 'ERROR').length;
  const priced = traces.filter(hasCost);
  return h('div', { class: 'cards', id: 'session-totals' },
    card('total-duration', 'Duration', traces.length ? duration((end - start) / 1000) : '–', 'first start to last end'),
    card('total-traces', 'Traces', count(traces.length)),
    card('total-spans', 'Spans', count(spans)),
    card('total-errors', 'Errors', count(errors), failedTraces ? `in ${count(failedTraces)} trace${failedTraces === 1 ? '' : 's'}` : null, errors > 0 ? 'error' : null),
    card('total-input-tokens', 'Input tokens', tokens ? count(tokens.input) : '–'),
    card('total-output-tokens', 'Output tokens', tokens ? count(tokens.output) : '–'),
    // Shown once the server prices model calls (a trace row's cost_usd); absent before.
    priced.length
      ? card('total-cost', 'Cost', usd(sumDecimal(priced.map((t) => t.cost_usd))), priced.length < traces.length ? `${count(priced.length)} of ${count(traces.length)} traces priced` : null)
      : null);
}

function card(id, title, value, note, cls) {
  return h('div', { class: cls ? `card ${cls}` : 'card', id },
    h('span', { class: 'label' }, title), h('strong', {}, value), note ? h('small', {}, note) : null);
}

/** Two of the task's traces to compare, executions first: the earlier one as A, the latest as B. */
function compareForm(traces, executions, runNumber) {
  const choices = executions.length >= 2 ? executions : traces;
  if (choices.length < 2) return null;
  const option = (t, selected) =>
    h('option', { value: t.trace_id, selected },
      `${kind(t) === 'execute' ? `execution ${runNumber.get(t.trace_id)}` : t.root_operation} · ${localTime(t.start_time).slice(11, 19)}` +
        `${t.plan_id ? ` · plan ${shortId(t.plan_id)}` : ''}${t.error_count > 0 ? ` · ${t.error_count} error${t.error_count === 1 ? '' : 's'}` : ''}`);
  const select = (name, pick) => h('select', { name, 'aria-label': `Trace ${name.toUpperCase()}` }, choices.map((t, i) => option(t, i === pick)));
  const a = select('a', choices.length - 2);
  const b = select('b', choices.length - 1);
  const form = h('form', { class: 'pick', id: 'pick-runs', 'aria-label': 'Compare two runs' },
    h('span', {}, 'Compare'), a, h('span', {}, 'with'), b,
    h('button', { type: 'submit', class: 'primary' }, 'Compare'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = link('compare', { a: a.value, b: b.value });
  });
  return form;
}

/** Every trace as a bar on the session's time axis; a row opens into the trace's waterfall. */
function timeline(id, traces, open, registry, waterfalls, runNumber, signal) {
  const base = Math.min(...traces.map((t) => micros(t.start_time)));
  const total = Math.max(1, Math.max(...traces.map((t) => micros(t.end_time))) - base);
  const totalMs = total / 1000;
  const step = niceStep(totalMs, 5);
  const ticks = [];
  for (let t = 0; t <= totalMs * 1.0001 && ticks.length < 20; t += step) ticks.push(t);
  const axis = h('div', { class: 'tl-axis' },
    ticks.filter((t) => (t / totalMs) * 100 <= 90)
      .map((t) => h('span', { class: 'tick', style: `left:${((t / totalMs) * 100).toFixed(3)}%` }, t === 0 ? '0' : `+${duration(t)}`)));
  const withCost = traces.some(hasCost);
  const items = traces.map((t) => {
    const start = micros(t.start_time) - base;
    const end = Math.max(start, micros(t.end_time) - base);
    const left = (start / total) * 100;
    const width = ((end - start) / total) * 100;
    const error = t.error_count > 0 || t.status === 'ERROR';
    const k = kind(t);
    const panel = h('div', { class: 'tl-panel', hidden: true });
    const toggle = h('button', { type: 'button', class: 't', 'aria-expanded': 'false', 'aria-label': `Show the waterfall of ${t.root_operation || 'the trace'}` }, '▸');
    const facts = [
      `${count(t.span_count)} span${t.span_count === 1 ? '' : 's'}`,
      t.error_count > 0 ? h('span', { class: 'errors' }, ` · ${count(t.error_count)} error${t.error_count === 1 ? '' : 's'}`) : null,
      t.input_tokens ? ` · ${count(t.input_tokens)}/${count(t.output_tokens)} tok` : null,
      withCost && hasCost(t) ? ` · ${usd(t.cost_usd)}` : null,
    ];
    const row = h('div', { class: `tl-row${error ? ' err' : ''}` },
      h('div', { class: 'tl-name' }, toggle,
        k ? h('span', { class: `kind kind-${k}` }, k === 'execute' ? `execute ${runNumber.get(t.trace_id)}` : k) : h('span', { class: 'kind' }, t.service_name || 'trace'),
        h('a', { href: link('trace', {}, t.trace_id), class: 'tl-op', title: `Open trace ${t.trace_id} (${t.service_name})` }, t.root_operation || '(no root span)')),
      h('div', { class: 'tl-lane', title: `${localTime(t.start_time)}, +${duration(start / 1000)} into the task, took ${duration(t.duration_ms)}` },
        h('div', { class: 'tl-bar', style: `left:${left.toFixed(3)}%;width:${width.toFixed(3)}%` }),
        h('span', { class: 'd', style: left + width < 75 ? `left:calc(${(left + width).toFixed(3)}% + 4px)` : `right:calc(${(100 - left).toFixed(3)}% + 4px)` }, duration(t.duration_ms))),
      h('div', { class: 'tl-facts' }, facts));
    const el = h('div', { class: 'tl-item', dataset: { traceId: t.trace_id, kind: k || 'other' } }, row, panel);
    const setOpen = (wanted) => {
      panel.hidden = !wanted;
      toggle.textContent = wanted ? '▾' : '▸';
      toggle.setAttribute('aria-expanded', String(wanted));
      el.classList.toggle('open', wanted);
      if (wanted) open.add(t.trace_id);
      else open.delete(t.trace_id);
      replaceParams(link('session', { open: [...open].join(',') }, id));
      if (wanted && !panel.dataset.loaded) {
        panel.dataset.loaded = 'loading';
        expand(panel, t, registry, waterfalls, signal);
      }
    };
    toggle.addEventListener('click', () => setOpen(panel.hidden));
    row.querySelector('.tl-lane').addEventListener('click', () => setOpen(panel.hidden));
    if (open.has(t.trace_id)) queueMicrotask(() => setOpen(true));
    return el;
  });
  return h('div', { class: 'tl', id: 'timeline', role: 'list' },
    h('div', { class: 'tl-head' }, h('div', { class: 'tl-name-head' }, 'Trace'), axis, h('div', { class: 'tl-facts-head' }, 'Spans')),
    items);
}

/** Loads a trace into its panel: the waterfall, and a selected span's details beside it. */
function expand(panel, t, registry, waterfalls, signal) {
  panel.replaceChildren(h('p', { class: 'message loading' }, `Loading trace ${t.trace_id}…`));
  getJson(`api/traces/${t.trace_id}`, null, signal)
    .then((detail) => {
      if (signal.aborted) return;
      const model = buildModel(detail.spans || []);
      const details = h('aside', { class: 'details', 'aria-label': 'Span details' },
        h('p', { class: 'hint' }, 'Select a span to see its attributes, events and resource.'));
      const host = h('section', { class: 'waterfall', 'aria-label': `Waterfall of ${t.root_operation}` });
      panel.replaceChildren(
        h('div', { class: 'toolbar' },
          h('a', { class: 'button', href: link('trace', {}, t.trace_id) }, 'Open the trace'),
          h('span', { class: 'legend' }, h('code', {}, t.trace_id))),
        h('div', { class: 'trace-layout' }, h('div', { class: 'trace-main' }, host), details));
      const wf = new Waterfall(host, model, {
        onSelect: (node) => details.replaceChildren(spanDetails(node, model, registry,
          h('a', { class: 'button', href: link('trace', { span: node.span.span_id }, t.trace_id) }, 'Open in its trace'))),
      });
      waterfalls.set(t.trace_id, wf);
      panel.dataset.loaded = 'true';
      panel.dataset.spans = String(model.nodes.length);
    })
    .catch((e) => {
      if (e.name === 'AbortError') return;
      delete panel.dataset.loaded;
      panel.replaceChildren(errorBox(e, 'Loading the trace'));
    });
}

/** A plan: its status, model and analysis, and each step with its input, output or error. */
function planCard(plan, i, traces) {
  const own = (k) => traces.find((t) => t.plan_id === plan.id && kind(t) === k);
  const planned = own('plan');
  const executed = own('execute');
  const status = plan.status || 'DRAFT';
  return h('article', { class: `plan plan-${status.toLowerCase()}`, dataset: { planId: plan.id, status } },
    h('header', {},
      h('h3', {}, `Plan ${i + 1} `, h('span', { class: `badge status-${statusClass(status)}` }, status)),
      h('dl', { class: 'facts inline' },
        item('Plan', h('a', { href: link('search', { plan_id: plan.id }), title: `Traces of plan ${plan.id}` }, h('code', {}, shortId(plan.id)))),
        item('Model', `${plan.provider || '?'} / ${plan.model || '?'}`),
        item('Created', localTime(plan.created_at), plan.created_at),
        plan.started_at && plan.finished_at ? item('Ran', duration((micros(plan.finished_at) - micros(plan.started_at)) / 1000)) : null,
        planned ? item('Planning', h('a', { href: link('trace', {}, planned.trace_id) }, 'trace')) : null,
        executed ? item('Execution', h('a', { href: link('trace', {}, executed.trace_id) }, 'trace')) : null)),
    plan.analysis?.summary ? h('p', { class: 'analysis' }, plan.analysis.summary,
      plan.analysis.complexity ? h('small', {}, ` · ${plan.analysis.complexity} complexity`) : null) : null,
    plan.error ? h('div', { class: 'message error plan-error' }, h('strong', {}, 'Error: '), plan.error) : null,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'steps' },
        h('thead', {}, h('tr', {}, h('th', { class: 'num' }, '#'), h('th', {}, 'Step'), h('th', {}, 'Input'), h('th', {}, 'Status'), h('th', {}, 'Output or error'), h('th', { class: 'num' }, 'Took'))),
        h('tbody', {}, (plan.steps || []).map(stepRow)))));
}

function stepRow(s) {
  const status = s.status || 'PENDING';
  const input = s.resolved_input ?? s.input;
  return h('tr', { class: status === 'FAILED' ? 'error' : null, dataset: { step: String(s.index), status } },
    h('td', { class: 'num', 'data-label': '#' }, String(s.index)),
    h('td', { class: 'step-desc', 'data-label': 'Step' }, s.description,
      h('small', {}, `${s.agent_name || shortId(s.agent_id)} · ${s.tool_name || shortId(s.tool_id)}`)),
    h('td', { class: 'step-input', 'data-label': 'Input' }, text(input),
      s.resolved_input != null && s.resolved_input !== s.input ? h('small', { title: s.input }, 'planned: ', s.input) : null),
    h('td', { 'data-label': 'Status' }, h('span', { class: `badge status-${statusClass(status)}` }, status)),
    h('td', { class: 'step-result', 'data-label': 'Output' },
      s.error ? h('div', { class: 'step-error' }, s.error) : null,
      s.output != null ? text(s.output, 'step-output') : s.error ? null : h('span', { class: 'none' }, '–')),
    h('td', { class: 'num', 'data-label': 'Took' }, s.started_at && s.finished_at ? duration((micros(s.finished_at) - micros(s.started_at)) / 1000) : '–'));
}

function text(value, cls) {
  if (value === null || value === undefined) return h('span', { class: 'none' }, '–');
  return h('pre', { class: cls || null }, String(value));
}

/** A task, plan or step status as one of the viewer's badge colours. */
function statusClass(status) {
  if (status === 'FAILED' || status === 'CANCELLED') return 'error';
  if (status === 'COMPLETED' || status === 'DONE') return 'ok';
  return status.toLowerCase();
}

function item(label, value, title, ...more) {
  return h('div', {}, h('dt', {}, label), h('dd', { title }, value, ...more));
}

/** The latest tasks (GET /api/tasks), each opening its page. */
function latestTasks(root, signal) {
  const out = h('section', { 'aria-live': 'polite' }, h('p', { class: 'message loading' }, 'Loading the latest tasks…'));
  root.append(h('h1', {}, 'Tasks'), out);
  getJson('api/tasks', new URLSearchParams({ limit: '100' }), signal)
    .then((body) => {
      const tasks = body.tasks || [];
      if (!tasks.length) {
        out.replaceChildren(h('div', { class: 'message empty', id: 'no-tasks' }, h('strong', {}, 'No tasks yet. '), 'Create one with POST /api/tasks.'));
        return;
      }
      out.replaceChildren(h('p', { class: 'summary' }, `The latest ${count(tasks.length)} tasks, newest first`),
        h('div', { class: 'table-wrap' }, h('table', { class: 'traces', id: 'tasks' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'Status'), h('th', {}, 'Created'), h('th', { class: 'num' }, 'Plans'))),
          h('tbody', {}, tasks.map((t) => h('tr', { class: statusClass(t.status || '') === 'error' ? 'error' : null, dataset: { taskId: t.id } },
            h('td', { class: 'op', 'data-label': 'Task' }, h('a', { href: link('session', {}, t.id), class: 'task-link' }, t.description), h('small', {}, shortId(t.id))),
            h('td', { 'data-label': 'Status' }, h('span', { class: `badge status-${statusClass(t.status || '')}` }, t.status)),
            h('td', { class: 'start', 'data-label': 'Created', title: t.created_at }, localTime(t.created_at), h('small', {}, ago(t.created_at))),
            h('td', { class: 'num', 'data-label': 'Plans' }, count((t.plan_ids || []).length))))))));
    })
    .catch((e) => {
      if (e.name !== 'AbortError') out.replaceChildren(errorBox(e, 'Loading the tasks'));
    });
}
