// The details of one span: what went wrong first, then the model call, then everything stored.

import { h, count, duration, localTime, micros, money } from './dom.js';
import { link } from './route.js';

const EXCEPTION = 'exception';

/** The panel for `node` of `model`; `names` maps agent and tool ids to names. */
export function spanDetails(node, model, names, ...actions) {
  const s = node.span;
  const attributes = object(s.attributes);
  const events = Array.isArray(s.events) ? s.events : [];
  const resource = object(s.resource);
  const status = s.status || 'UNSET';
  return h(
    'article',
    { class: 'span-details', id: 'span-details', dataset: { span: s.span_id } },
    h('header', {},
      h('h2', {}, s.operation_name),
      h('div', { class: 'badges' },
        h('span', { class: `badge status-${status.toLowerCase()}` }, status),
        h('span', { class: 'badge' }, s.span_kind || 'INTERNAL'),
        attributes['db.system.name'] ? h('span', { class: 'badge db', title: 'A database statement' }, `database · ${attributes['db.system.name']}`) : null,
        h('span', { class: 'badge' }, s.service_name),
        node.crit ? h('span', { class: 'badge crit', title: 'This span is on the critical path of the trace' }, 'critical path') : null),
      actions.length ? h('div', { class: 'span-actions' }, actions) : null),
    status === 'ERROR' || s.status_message
      ? h('div', { class: status === 'ERROR' ? 'message error status-message' : 'message status-message' }, h('strong', {}, 'Status: '), s.status_message || status)
      : null,
    llm(s, attributes),
    h('dl', { class: 'facts' },
      fact('Duration', duration(s.duration_ms)),
      fact('Starts at', `+${duration(node.start / 1000)}`, localTime(s.start_time), s.start_time),
      fact('Span id', h('code', {}, s.span_id)),
      fact('Parent', s.parent_span_id ? h('code', {}, s.parent_span_id) : 'none (root)'),
      node.children.length ? fact('Children', `${count(node.children.length)} (${count(node.descendants)} below)`) : null,
      s.task_id ? fact('Task', h('a', { href: link('session', {}, s.task_id), class: 'task-link', title: 'The task: its traces, plans and totals' }, h('code', {}, s.task_id))) : null,
      s.session_id && s.session_id !== s.task_id ? fact('Session', h('a', { href: link('session', {}, s.session_id), class: 'session-link' }, h('code', {}, s.session_id))) : null,
      s.plan_id ? fact('Plan', h('a', { href: link('search', { plan_id: s.plan_id }) }, h('code', {}, s.plan_id))) : null,
      s.agent_id ? fact('Agent', named(names.agents, s.agent_id, 'agent_id')) : null,
      s.tool_id ? fact('Tool', named(names.tools, s.tool_id, 'tool_id')) : null),
    section(`Events (${events.length})`, events.length ? h('ol', { class: 'events' }, events.map((e) => event(e, s))) : h('p', { class: 'none' }, 'No events.'), 'events'),
    section(`Attributes (${Object.keys(attributes).length})`, table(attributes), 'attributes'),
    section(`Resource (${Object.keys(resource).length})`, table(resource), 'resource', false),
  );
}

function object(value) {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function fact(label, value, extra, title) {
  return [h('dt', {}, label), h('dd', { title }, value, extra ? h('small', {}, ` ${extra}`) : null)];
}

function named(registry, id, key) {
  const name = registry.get(id);
  return h('a', { href: link('search', { [key]: id }), title: id }, name ? h('strong', {}, name) : null, ' ', h('code', {}, id.slice(0, 8)));
}

function section(title, content, id, open = true) {
  return h('details', { class: 'section', open, dataset: { section: id } }, h('summary', {}, title), content);
}

/** The model, provider, tokens and cost of a GenAI span, before everything else. */
function llm(s, a) {
  const keys = Object.keys(a).filter((k) => k.startsWith('gen_ai.'));
  if (!keys.length && !s.model) return null;
  // The stored column is the name the span was priced by; the attributes when it is absent.
  const model = s.model || a['gen_ai.response.model'] || a['gen_ai.request.model'];
  const input = s.input_tokens ?? a['gen_ai.usage.input_tokens'];
  const output = s.output_tokens ?? a['gen_ai.usage.output_tokens'];
  if (!model && input === undefined && output === undefined) {
    // An agent or tool span: only gen_ai.agent.id / gen_ai.tool.name.
    return a['gen_ai.tool.name']
      ? h('p', { class: 'llm-tool' }, 'Tool ', h('strong', {}, a['gen_ai.tool.name']))
      : null;
  }
  const content = [];
  for (const key of ['gen_ai.input.messages', 'gen_ai.output.messages']) {
    if (a[key] !== undefined) {
      content.push(h('details', { class: 'content' }, h('summary', {}, key.endsWith('input.messages') ? 'Prompt' : 'Completion'), h('pre', {}, pretty(a[key]))));
    }
  }
  return h(
    'section',
    { class: 'llm', id: 'llm', 'aria-label': 'Model call' },
    h('div', { class: 'llm-model' }, h('span', { class: 'label' }, 'Model'), h('strong', {}, model || 'unknown'),
      a['gen_ai.provider.name'] ? h('small', {}, ` via ${a['gen_ai.provider.name']}`) : null,
      a['gen_ai.operation.name'] ? h('small', {}, ` · ${a['gen_ai.operation.name']}`) : null),
    h('div', { class: 'tokens' },
      h('div', {}, h('span', { class: 'label' }, 'Input tokens'), h('strong', { class: 'in' }, count(input))),
      h('div', {}, h('span', { class: 'label' }, 'Output tokens'), h('strong', { class: 'out' }, count(output))),
      h('div', { title: 'Priced when the span was stored, by the price table (GET /api/prices), unless the span carried gen_ai.usage.cost' },
        h('span', { class: 'label' }, 'Cost'), h('strong', { class: 'cost' }, money(s.cost_usd)))),
    content,
  );
}

/** One event; an exception reads as type, message and stack trace. */
function event(e, s) {
  const a = object(e.attributes);
  // An event's time as an offset into its span; as a date when it lies outside the span.
  const offset = (micros(e.time) - micros(s.start_time)) / 1000;
  const at = !e.time ? '' : offset >= 0 && offset <= s.duration_ms + 1 ? `+${duration(offset)}` : localTime(e.time);
  if (e.name === EXCEPTION) {
    const rest = Object.fromEntries(Object.entries(a).filter(([k]) => !k.startsWith('exception.')));
    return h(
      'li',
      { class: 'event exception' },
      h('div', { class: 'event-head' }, h('strong', {}, 'exception'), h('small', {}, ` ${at}`)),
      h('p', { class: 'exception-line' },
        h('code', { class: 'exception-type' }, a['exception.type'] || 'Exception'),
        a['exception.message'] ? [': ', h('span', { class: 'exception-message' }, a['exception.message'])] : null),
      a['exception.stacktrace']
        ? h('details', { class: 'stacktrace', open: true }, h('summary', {}, 'Stack trace'), h('pre', {}, String(a['exception.stacktrace'])))
        : null,
      Object.keys(rest).length ? table(rest) : null,
    );
  }
  return h(
    'li',
    { class: 'event' },
    h('div', { class: 'event-head' }, h('strong', {}, e.name || '(unnamed)'), h('small', {}, ` ${at}`)),
    Object.keys(a).length ? table(a) : null,
  );
}

function table(o) {
  const keys = Object.keys(o).sort();
  if (!keys.length) return h('p', { class: 'none' }, 'None.');
  return h('table', { class: 'kv' }, h('tbody', {}, keys.map((k) => h('tr', {}, h('th', { scope: 'row' }, breakable(k)), h('td', {}, value(o[k]))))));
}

/** A dotted key that may wrap after its dots rather than inside a word. */
function breakable(key) {
  return key.split('.').flatMap((part, i, all) => (i < all.length - 1 ? [`${part}.`, h('wbr')] : [part]));
}

function value(v) {
  if (typeof v === 'string') return v.includes('\n') || v.length > 120 ? h('pre', {}, v) : v;
  if (v === null || v === undefined) return h('span', { class: 'none' }, 'null');
  return h('code', {}, typeof v === 'object' ? JSON.stringify(v) : String(v));
}

function pretty(v) {
  if (typeof v !== 'string') return JSON.stringify(v, null, 2);
  try {
    return JSON.stringify(JSON.parse(v), null, 2);
  } catch {
    return v;
  }
}
