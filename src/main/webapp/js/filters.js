// The span-level filters of docs/api.md §6, as form fields that read from and write to URL parameters.
// The search and the statistics pages share them.

import { h, fromLocalInput, toLocalInput } from './dom.js';
import { names } from './api.js';

/** Every filter parameter of GET /api/traces/ except limit and cursor. */
export const FILTERS = [
  'operation_name',
  'service_name',
  'status',
  'start_time_from',
  'start_time_to',
  'min_duration_ms',
  'max_duration_ms',
  'task_id',
  'plan_id',
  'agent_id',
  'tool_id',
  'session_id',
  'attribute',
];

const TIME = new Set(['start_time_from', 'start_time_to']);

function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), control, hint ? h('small', {}, hint) : null);
}

function text(name, params, attrs = {}) {
  return h('input', { name, value: params.get(name) || '', autocomplete: 'off', spellcheck: 'false', ...attrs });
}

/** A datalist of agents or tools, labelled by name, for the id fields. */
function registryList(id, kind) {
  const list = h('datalist', { id });
  names().then((registry) => {
    for (const [uuid, name] of registry[kind]) list.append(h('option', { value: uuid, label: name }));
  });
  return list;
}

/**
 * The filter fields, filled from `params`. `main` fields are always shown; the others sit in a
 * disclosure that opens by itself when one of them is set.
 */
export function filterFields(params, { withTimes = true } = {}) {
  const status = h(
    'select',
    { name: 'status' },
    ['', 'OK', 'ERROR', 'UNSET'].map((s) =>
      h('option', { value: s, selected: (params.get('status') || '') === s }, s || 'any'),
    ),
  );
  const main = [
    field('Operation', text('operation_name', params, { placeholder: 'e.g. execution.execute_step' })),
    field('Service', text('service_name', params, { placeholder: 'e.g. aard' })),
    field('Status', status),
  ];
  if (withTimes) {
    main.push(
      field('From', h('input', { type: 'datetime-local', step: '1', name: 'start_time_from', value: toLocalInput(params.get('start_time_from')) })),
      field('To', h('input', { type: 'datetime-local', step: '1', name: 'start_time_to', value: toLocalInput(params.get('start_time_to')) })),
    );
  }
  const more = [
    field('Task id', text('task_id', params, { placeholder: 'uuid' })),
    field('Plan id', text('plan_id', params, { placeholder: 'uuid' })),
    field('Agent', text('agent_id', params, { placeholder: 'uuid', list: 'agent-ids' })),
    field('Tool', text('tool_id', params, { placeholder: 'uuid', list: 'tool-ids' })),
    field('Session', text('session_id', params, { placeholder: 'conversation id or task id' })),
    field('Min duration (ms)', text('min_duration_ms', params, { inputmode: 'decimal', placeholder: 'e.g. 250' })),
    field('Max duration (ms)', text('max_duration_ms', params, { inputmode: 'decimal', placeholder: 'e.g. 2000' })),
    field(
      'Attributes',
      h('textarea', { name: 'attribute', rows: '2', placeholder: 'key=value, one a line', spellcheck: 'false' }, params.getAll('attribute').join('\n')),
      'a span must carry every one',
    ),
    registryList('agent-ids', 'agents'),
    registryList('tool-ids', 'tools'),
  ];
  const moreSet = ['task_id', 'plan_id', 'agent_id', 'tool_id', 'session_id', 'min_duration_ms', 'max_duration_ms', 'attribute'].some((k) => params.get(k));
  return [
    h('div', { class: 'fields' }, main),
    h('details', { class: 'more-filters', open: moreSet }, h('summary', {}, 'More filters'), h('div', { class: 'fields' }, more)),
  ];
}

/** The parameters a filter form holds, as ordered [name, value] pairs. */
export function readFilters(form) {
  const out = [];
  for (const name of FILTERS) {
    const el = form.elements[name];
    if (!el) continue;
    if (name === 'attribute') {
      for (const line of el.value.split('\n')) if (line.trim()) out.push([name, line.trim()]);
    } else if (TIME.has(name)) {
      if (el.value) out.push([name, fromLocalInput(el.value)]);
    } else if (el.value.trim()) {
      out.push([name, el.value.trim()]);
    }
  }
  return out;
}

/** The API parameters of a page's URL parameters: the filters only, in the URL's order. */
export function apiParams(params, extra = []) {
  const out = new URLSearchParams();
  for (const [k, v] of params) if (FILTERS.includes(k)) out.append(k, v);
  for (const [k, v] of extra) out.append(k, v);
  return out;
}

/** Marks the field that the API named in a 400 as invalid, opening its disclosure. */
export function markInvalid(form, error) {
  const name = error && error.parameter;
  const el = name && form.elements[name];
  if (!el || !el.setAttribute) return;
  el.setAttribute('aria-invalid', 'true');
  el.title = error.message;
  const details = el.closest('details');
  if (details) details.open = true;
}
