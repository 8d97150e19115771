// The compare page (#/compare?a=<trace>&b=<trace>): two runs side by side, their span trees aligned
// by operation path (align.js), with each span's duration, tokens, status and cost, and what
// differs marked: slower by more than 20 %, failed on one side only, present on one side only.

import { h, count, duration, localTime, shortId, sumDecimal, usd, hasCost } from './dom.js';
import { getJson, errorBox, ApiError } from './api.js';
import { alignTrees, change, SLOWER_RATIO, SLOWER_MIN_MS } from './align.js';
import { link } from './route.js';

const TRACE_ID = /^[0-9a-f]{32}$/;

const LABELS = {
  'only-a': 'only in A',
  'only-b': 'only in B',
  'failed-a': 'failed in A only',
  'failed-b': 'failed in B only',
  'slower-a': 'A slower',
  'slower-b': 'B slower',
};

/** Renders the page for `route` into `root`. */
export function render(root, route, signal) {
  const a = (route.params.get('a') || '').trim().toLowerCase();
  const b = (route.params.get('b') || '').trim().toLowerCase();
  const only = route.params.get('only') === 'differences';
  root.append(h('h1', {}, 'Compare two traces'), pickForm(a, b));
  const bad = [['a', a], ['b', b]].filter(([, id]) => id && !TRACE_ID.test(id));
  if (!a || !b || bad.length) {
    root.append(
      bad.length
        ? h('div', { class: 'message error', id: 'bad-trace-id', role: 'alert' },
            h('strong', {}, 'Not a trace id. '),
            bad.map(([side, id]) => `${side.toUpperCase()}: “${id}”. `),
            'A trace id is 32 hexadecimal characters.')
        : h('div', { class: 'message empty', id: 'pick-two' },
            h('strong', {}, 'Pick two traces. '),
            'Enter their ids above, use “Compare with…” on a trace, or pick two executions on a task’s page.'),
    );
    return;
  }
  const out = h('section', { class: 'comparison', 'aria-live': 'polite' }, h('p', { class: 'message loading' }, 'Loading both traces…'));
  root.append(out);
  const fetchSide = (id, side) =>
    getJson(`api/traces/${id}`, null, signal).catch((e) => {
      if (e instanceof ApiError && e.status === 404) e.side = side;
      throw e;
    });
  Promise.all([fetchSide(a, 'A'), fetchSide(b, 'B')])
    .then(([ta, tb]) => {
      if (!signal.aborted) show(out, ta, tb, only);
    })
    .catch((e) => {
      if (e.name === 'AbortError') return;
      out.replaceChildren(
        e.side
          ? h('div', { class: 'message empty', id: 'not-found', role: 'alert' },
              h('strong', {}, `No such trace ${e.side}. `),
              `No span of trace ${e.side === 'A' ? a : b} is stored (yet, or any more).`)
          : errorBox(e, 'Loading the traces'),
      );
    });
  return undefined;
}

/** The two trace id fields, filled with the current pair; submitting opens the comparison. */
function pickForm(a, b) {
  const field = (name, value, label) =>
    h('label', { class: 'field' }, h('span', { class: 'label' }, label),
      h('input', { name, value, placeholder: '32 hexadecimal characters', autocomplete: 'off', spellcheck: 'false', pattern: '\\s*[0-9a-fA-F]{32}\\s*', required: true }));
  const form = h('form', { class: 'filters', id: 'compare-form', 'aria-label': 'Traces to compare' },
    h('div', { class: 'fields' }, field('a', a, 'Trace A'), field('b', b, 'Trace B')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Compare'),
      h('button', { type: 'button', id: 'swap', onclick: () => {
        const { a: fa, b: fb } = form.elements;
        [fa.value, fb.value] = [fb.value, fa.value];
        form.requestSubmit();
      } }, 'Swap A and B')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = link('compare', { a: form.elements.a.value.toLowerCase(), b: form.elements.b.value.toLowerCase() });
  });
  return form;
}

function show(out, ta, tb, only) {
  const rows = alignTrees(ta.spans || [], tb.spans || []);
  const withCost = rows.some((r) => hasCost(r.a) || hasCost(r.b));
  const tally = (code) => rows.filter((r) => r.diffs.includes(code)).length;
  const oneSide = tally('only-a') + tally('only-b');
  const failed = tally('failed-a') + tally('failed-b');
  const slower = tally('slower-a') + tally('slower-b');
  const differing = rows.filter((r) => r.diffs.length).length;

  // With "only differences", a differing span's ancestors stay in view so that its place reads.
  const onPath = [];
  for (const r of rows) {
    onPath.length = r.depth;
    onPath.push(r);
    if (r.diffs.length) for (const up of onPath.slice(0, -1)) up.context = true;
  }
  const body = h('tbody', {}, rows.map((r) => row(r, ta, tb, withCost)));
  const table = h('table', { class: 'compare', id: 'compare-table', dataset: { onlyDifferences: String(only) } },
    h('thead', {},
      h('tr', {},
        h('th', { rowspan: '2' }, 'Operation path'),
        h('th', { colspan: withCost ? '4' : '3', class: 'side-a' }, 'A'),
        h('th', { colspan: withCost ? '4' : '3', class: 'side-b' }, 'B'),
        h('th', { rowspan: '2', class: 'num' }, 'B vs A'),
        h('th', { rowspan: '2' }, 'Differences')),
      h('tr', {}, ['a', 'b'].map((side) => [
        h('th', { class: `num side-${side}` }, 'Duration'),
        h('th', { class: `num side-${side}` }, 'Tokens'),
        h('th', { class: `side-${side}` }, 'Status'),
        withCost ? h('th', { class: `num side-${side}` }, 'Cost') : null]))),
    body);
  const toggle = h('input', { type: 'checkbox', id: 'only-differences', checked: only });
  toggle.addEventListener('change', () => {
    table.dataset.onlyDifferences = String(toggle.checked);
    history.replaceState(history.state, '', link('compare', { a: ta.trace_id, b: tb.trace_id, only: toggle.checked ? 'differences' : null }));
  });
  const summary = h('p', { class: 'diff-summary', id: 'diff-summary' },
    h('strong', {}, `${count(differing)} of ${count(rows.length)} span path${rows.length === 1 ? '' : 's'} differ: `),
    h('span', { class: 'mark one-side' }, `${count(oneSide)} on one side only`), ', ',
    h('span', { class: 'mark failed' }, `${count(failed)} failed on one side only`), ', ',
    h('span', { class: 'mark slower' }, `${count(slower)} slower by more than ${Math.round(SLOWER_RATIO * 100)} %`),
    h('small', {}, ` (and by ${SLOWER_MIN_MS} ms at least)`));
  out.replaceChildren(
    h('div', { class: 'sides' }, side('A', ta, tb, withCost), side('B', tb, ta, withCost)),
    h('div', { class: 'toolbar' }, summary,
      h('label', { class: 'check' }, toggle, ' Only differences')),
    h('div', { class: 'table-wrap' }, table));
  out.dataset.rows = String(rows.length);
  out.classList.add('rendered');
}

/** A trace's card: what it is and its totals, with its duration against the other's. */
function side(label, t, other, withCost) {
  const spans = flatten(t.spans || []);
  const input = spans.reduce((n, s) => n + (Number(s.input_tokens) || 0), 0);
  const output = spans.reduce((n, s) => n + (Number(s.output_tokens) || 0), 0);
  const rel = change(other, t);
  return h('section', { class: `side side-${label.toLowerCase()}`, id: `side-${label.toLowerCase()}`, dataset: { traceId: t.trace_id } },
    h('h2', {}, h('span', { class: 'side-label' }, label), ' ',
      h('a', { href: link('trace', {}, t.trace_id), title: `Open trace ${t.trace_id}` }, t.root_operation || '(no root span)'),
      t.error_count > 0 ? h('span', { class: 'badge status-error' }, `${count(t.error_count)} error${t.error_count === 1 ? '' : 's'}`) : null),
    h('dl', { class: 'facts inline' },
      item('Trace', h('code', {}, shortId(t.trace_id)), t.trace_id),
      item('Start', localTime(t.start_time), t.start_time),
      item('Duration', [duration(t.duration_ms), label === 'B' && rel !== null ? h('small', {}, ` ${signed(rel)} vs A`) : null]),
      item('Spans', count(t.span_count)),
      item('Tokens', `${count(input)} in · ${count(output)} out`),
      withCost ? item('Cost', usd(sumDecimal(spans.map((s) => s.cost_usd)))) : null,
      t.task_id ? item('Task', h('a', { href: link('session', {}, t.task_id), title: `Task ${t.task_id}` }, h('code', {}, shortId(t.task_id)))) : null));
}

function row(r, ta, tb, withCost) {
  const rel = change(r.a, r.b);
  const failedSide = r.diffs.includes('failed-a') ? 'a' : r.diffs.includes('failed-b') ? 'b' : null;
  const classes = [...r.diffs];
  if (r.diffs.length) classes.push('differs');
  else if (r.context) classes.push('context');
  const db = (r.a || r.b).attributes && (r.a || r.b).attributes['db.system.name'];
  return h('tr', { class: classes.join(' ') || null, dataset: { path: r.path, diff: r.diffs.join(' ') } },
    h('td', { class: 'path', title: r.path },
      h('span', { class: 'indent', style: `padding-left:${Math.min(r.depth, 24) * 14}px` },
        db ? h('span', { class: 'dbl', title: `database statement (${db})` }, 'DB') : null,
        h('span', { class: 'o' }, r.name),
        r.repeated ? h('span', { class: 'idx', title: `the ${ordinal(r.index + 1)} ${r.name} here` }, `[${r.index}]`) : null)),
    cells(r.a, ta, 'a', r.diffs, failedSide === 'a', withCost),
    cells(r.b, tb, 'b', r.diffs, failedSide === 'b', withCost),
    h('td', { class: `num rel${r.diffs.includes('slower-b') ? ' worse' : r.diffs.includes('slower-a') ? ' better' : ''}` }, rel === null ? '' : signed(rel)),
    h('td', { class: 'diffs' }, r.diffs.map((d) => h('span', { class: `diff ${d}` }, diffLabel(d, rel)))));
}

/** One side's cells of a row; a missing span reads "not in A". */
function cells(span, trace, side, diffs, failedHere, withCost) {
  if (!span) {
    return h('td', { class: `missing side-${side}`, colspan: withCost ? '4' : '3' }, `not in ${side.toUpperCase()}`);
  }
  const status = span.status || 'UNSET';
  const tokens = span.input_tokens == null && span.output_tokens == null ? '–' : `${count(span.input_tokens ?? 0)} / ${count(span.output_tokens ?? 0)}`;
  return [
    h('td', { class: `num dur side-${side}${diffs.includes(`slower-${side}`) ? ' slow' : ''}` },
      h('a', { href: link('trace', { span: span.span_id }, trace.trace_id), title: `This span in trace ${side.toUpperCase()}` }, duration(span.duration_ms))),
    h('td', { class: `num side-${side}` }, tokens),
    h('td', { class: `side-${side}`, title: span.status_message || null },
      h('span', { class: `badge status-${status.toLowerCase()}${failedHere ? ' failed-here' : ''}` }, status)),
    withCost ? h('td', { class: `num side-${side}` }, hasCost(span) ? usd(span.cost_usd) : '–') : null,
  ];
}

function diffLabel(code, rel) {
  if (code === 'slower-b' || code === 'slower-a') {
    const ratio = code === 'slower-b' ? rel : 1 / (1 + rel) - 1;
    return `${LABELS[code]} ${signed(ratio)}`;
  }
  return LABELS[code];
}

function signed(ratio) {
  if (ratio === null || !Number.isFinite(ratio)) return '';
  const p = Math.round(ratio * 100);
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p)} %`;
}

function ordinal(n) {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

function flatten(roots) {
  const out = [];
  const stack = [...roots];
  while (stack.length) {
    const s = stack.pop();
    out.push(s);
    if (Array.isArray(s.children)) stack.push(...s.children);
  }
  return out;
}

function item(label, value, title) {
  return h('div', {}, h('dt', {}, label), h('dd', { title }, value));
}

