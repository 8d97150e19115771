// The waterfall of one trace: the span tree flattened into rows, a shared time axis, collapsible
// subtrees and the critical path. Only the rows in view are in the DOM, so a trace of thousands
// of spans opens and scrolls as fast as a small one.

import { esc, micros, duration, niceStep } from './dom.js';

/** Row height in pixels; the stylesheet reads it from --row. */
export const ROW = 26;
const OVERSCAN = 12;

/**
 * The rows of a trace from its span tree (GET /api/traces/{id} `spans`): depth-first, children by
 * start time, each with times in microseconds from the trace's start, its subtree's size and
 * errors, and whether (and where) it lies on the critical path.
 */
export function buildModel(roots) {
  const nodes = [];
  const stack = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push([roots[i], 0, -1]);
  let base = Infinity;
  while (stack.length) {
    const [span, depth, parent] = stack.pop();
    const index = nodes.length;
    const start = micros(span.start_time);
    let end = micros(span.end_time);
    if (!(end >= start)) end = start + (span.duration_ms || 0) * 1000;
    nodes.push({
      span, depth, parent, index, start, end,
      children: [],
      error: span.status === 'ERROR',
      errorBelow: false,
      descendants: 0,
      crit: false,
      segs: null,
    });
    if (start < base) base = start;
    if (parent >= 0) nodes[parent].children.push(index);
    const kids = span.children || [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1, index]);
  }
  let last = 0;
  for (const n of nodes) {
    n.start -= base;
    n.end -= base;
    if (n.end > last) last = n.end;
  }
  // Reverse pre-order visits every child before its parent.
  for (let i = nodes.length - 1; i > 0; i--) {
    const n = nodes[i];
    if (n.parent < 0) continue;
    const p = nodes[n.parent];
    p.descendants += 1 + n.descendants;
    if (n.error || n.errorBelow) p.errorBelow = true;
  }
  const rootIndexes = nodes.filter((n) => n.parent < 0).map((n) => n.index);
  const model = { nodes, roots: rootIndexes, total: Math.max(last, 1), base };
  markCriticalPath(model);
  return model;
}

/**
 * The critical path: walking back from the trace's end, the span that finished last, then within
 * it the child that finished last before that point, and so on; each span's own segments (where
 * no critical child runs) are kept for drawing. Iterative, so deep trees cannot overflow the stack.
 */
function markCriticalPath(model) {
  const { nodes } = model;
  const byEndDesc = (a, b) => nodes[b].end - nodes[a].end;
  const work = [];
  const walkChildren = (children, from, to, owner) => {
    let cursor = to;
    for (const c of [...children].sort(byEndDesc)) {
      const k = nodes[c];
      if (k.start >= cursor) continue;
      const end = Math.min(k.end, cursor);
      if (owner && end < cursor) owner.segs.push([end, cursor]);
      work.push([c, end]);
      cursor = Math.max(k.start, from);
      if (cursor <= from) break;
    }
    if (owner && cursor > from) owner.segs.push([from, cursor]);
  };
  walkChildren(model.roots, 0, model.total, null);
  while (work.length) {
    const [index, bound] = work.pop();
    const n = nodes[index];
    n.crit = true;
    n.segs = [];
    walkChildren(n.children, n.start, Math.min(n.end, bound), n);
  }
}

/** A virtualised, keyboard-operable waterfall of a model, inside `host`. */
export class Waterfall {
  constructor(host, model, { onSelect, selected = -1 } = {}) {
    this.model = model;
    this.onSelect = onSelect || (() => {});
    this.collapsed = new Set();
    this.selected = selected;
    this.first = -1;
    this.frame = 0;
    this.view = { from: 0, to: model.total };

    this.el = document.createElement('div');
    this.el.className = 'wf';
    this.el.tabIndex = 0;
    this.el.setAttribute('role', 'tree');
    this.el.setAttribute('aria-label', 'Spans of the trace');
    this.el.style.setProperty('--row', `${ROW}px`);
    this.el.innerHTML =
      `<div class="wf-head"><div class="wf-name-head">Span</div><div class="wf-axis">${this.axis()}</div></div>` +
      `<div class="wf-body"><div class="wf-grid">${this.gridLines()}</div><div class="wf-rows"></div></div>`;
    this.body = this.el.querySelector('.wf-body');
    this.rows = this.el.querySelector('.wf-rows');
    host.append(this.el);

    this.el.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.rows.addEventListener('click', (e) => this.click(e));
    this.el.addEventListener('keydown', (e) => this.key(e));
    this.resize = new ResizeObserver(() => {
      this.updateAxis();
      this.schedule(true);
    });
    this.resize.observe(this.el);
    this.relayout();
  }

  destroy() {
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
  }

  /** Axis ticks as [milliseconds from the trace's start, percent of the lane] in the view. */
  ticks() {
    const fromMs = this.view.from / 1000;
    const spanMs = (this.view.to - this.view.from) / 1000;
    const step = niceStep(spanMs, this.el.clientWidth < 600 ? 3 : 6);
    const out = [];
    for (let t = Math.ceil(fromMs / step - 1e-9) * step; t <= fromMs + spanMs * 1.0001; t += step) out.push(t);
    return out.map((t) => [t, ((t - fromMs) / spanMs) * 100]);
  }

  /** Shows [from, to] (microseconds from the trace's start) across the lane. */
  zoom(from, to) {
    this.view = to > from ? { from, to } : { from: 0, to: this.model.total };
    this.el.classList.toggle('zoomed', this.view.from > 0 || this.view.to < this.model.total);
    this.updateAxis();
    this.draw(true);
  }

  axis() {
    // Labels near the right edge would run out of the axis or into their neighbour.
    return this.ticks()
      .filter(([, p]) => p <= 90)
      .map(([t, p]) => `<span class="tick" style="left:${p.toFixed(3)}%">${t === 0 ? '0' : `${this.view.from > 0 ? '+' : ''}${esc(duration(t))}`}</span>`)
      .join('');
  }

  gridLines() {
    return this.ticks()
      .map(([, p]) => `<i style="left:${p.toFixed(3)}%"></i>`)
      .join('');
  }

  /** Redraws the axis and its grid lines, whose tick count follows the width. */
  updateAxis() {
    this.el.querySelector('.wf-axis').innerHTML = this.axis();
    this.el.querySelector('.wf-grid').innerHTML = this.gridLines();
  }

  /** The indexes of the rows shown: every node whose ancestors are all expanded. */
  computeVisible() {
    const { nodes, roots } = this.model;
    const out = [];
    const stack = [];
    for (let i = roots.length - 1; i >= 0; i--) stack.push(roots[i]);
    while (stack.length) {
      const i = stack.pop();
      out.push(i);
      if (this.collapsed.has(i)) continue;
      const kids = nodes[i].children;
      for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]);
    }
    this.visible = out;
    this.position = new Map();
    out.forEach((i, p) => this.position.set(i, p));
  }

  relayout() {
    this.computeVisible();
    this.body.style.height = `${this.visible.length * ROW}px`;
    this.draw(true);
  }

  schedule(force = false) {
    if (force) this.first = -1;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw(false);
    });
  }

  /** Puts the rows in view (and a margin either side) into the DOM. */
  draw(force) {
    const head = this.body.offsetTop;
    const top = Math.max(0, this.el.scrollTop - head);
    const height = this.el.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    if (!force && first === this.first) return;
    this.first = first;
    const last = Math.min(this.visible.length, Math.ceil((top + height) / ROW) + OVERSCAN);
    let html = '';
    for (let p = first; p < last; p++) html += this.rowHtml(this.visible[p]);
    this.rows.style.transform = `translateY(${first * ROW}px)`;
    this.rows.innerHTML = html;
  }

  rowHtml(i) {
    const n = this.model.nodes[i];
    const s = n.span;
    const span = this.view.to - this.view.from;
    const left = ((n.start - this.view.from) / span) * 100;
    const width = ((n.end - n.start) / span) * 100;
    const hasKids = n.children.length > 0;
    const collapsed = this.collapsed.has(i);
    const classes = ['r'];
    if (n.error) classes.push('err');
    if (n.crit) classes.push('crit');
    if (i === this.selected) classes.push('sel');
    const indent = Math.min(n.depth, 24) * 12;
    const toggle = hasKids
      ? `<button class="t" data-toggle tabindex="-1" aria-label="${collapsed ? 'Expand' : 'Collapse'}">${collapsed ? '▸' : '▾'}</button>`
      : '<span class="t"></span>';
    const hidden = collapsed
      ? `<span class="c${n.errorBelow ? ' eb' : ''}" title="${n.descendants} hidden span${n.descendants === 1 ? '' : 's'}${n.errorBelow ? ', with errors' : ''}">+${n.descendants}</span>`
      : '';
    const deep = n.depth > 24 ? `<span class="deep">${n.depth}</span>` : '';
    let segs = '';
    if (n.segs && n.end > n.start) {
      for (const [a, b] of n.segs) {
        segs += `<i class="cp" style="left:${(((a - n.start) / (n.end - n.start)) * 100).toFixed(3)}%;width:${(((b - a) / (n.end - n.start)) * 100).toFixed(3)}%"></i>`;
      }
    }
    // No label for a bar outside a zoomed view.
    const label = left + width < 0 || left > 100 ? '' : esc(duration(s.duration_ms));
    // The duration goes after the bar, else before it, else inside it.
    let labelPos;
    let labelClass = 'd';
    if (left + width < 72) labelPos = `left:calc(${(left + width).toFixed(3)}% + 4px)`;
    else if (left > 18) labelPos = `right:calc(${(100 - left).toFixed(3)}% + 4px)`;
    else {
      labelPos = `right:calc(${Math.max(0, 100 - left - width).toFixed(3)}% + 4px)`;
      labelClass = 'd in';
    }
    return (
      `<div class="${classes.join(' ')}" data-i="${i}" data-span="${esc(s.span_id)}" role="treeitem" aria-level="${n.depth + 1}"` +
      `${hasKids ? ` aria-expanded="${!collapsed}"` : ''} aria-selected="${i === this.selected}">` +
      `<div class="n" style="padding-left:${indent}px" title="${esc(s.operation_name)} · ${esc(s.service_name)}">${toggle}${deep}` +
      `${dbLabel(s)}<span class="o">${esc(s.operation_name)}</span>${hidden}</div>` +
      `<div class="l"><div class="b" style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%">${segs}</div>` +
      `<span class="${labelClass}" style="${labelPos}">${label}</span></div></div>`
    );
  }

  click(e) {
    const row = e.target.closest('.r');
    if (!row) return;
    const i = Number(row.dataset.i);
    if (e.target.closest('[data-toggle]')) this.toggle(i);
    else this.select(i);
    this.el.focus({ preventScroll: true });
  }

  toggle(i, open) {
    const isOpen = !this.collapsed.has(i);
    if (open === isOpen) return;
    if (isOpen) this.collapsed.add(i);
    else this.collapsed.delete(i);
    this.relayout();
  }

  /** Collapses every span that has children, leaving the roots and their children in view. */
  collapseAll() {
    for (const n of this.model.nodes) if (n.children.length && n.parent >= 0) this.collapsed.add(n.index);
    this.relayout();
  }

  expandAll() {
    this.collapsed.clear();
    this.relayout();
  }

  select(i, { scroll = false, center = false } = {}) {
    if (i < 0 || i >= this.model.nodes.length) return;
    this.selected = i;
    if (!this.position.has(i)) {
      for (let p = this.model.nodes[i].parent; p >= 0; p = this.model.nodes[p].parent) this.collapsed.delete(p);
      this.computeVisible();
      this.body.style.height = `${this.visible.length * ROW}px`;
    }
    if (scroll) this.scrollTo(i, center);
    this.draw(true);
    this.onSelect(this.model.nodes[i]);
  }

  /** Brings row `i` into view: just enough for a step of the keyboard, else to the middle. */
  scrollTo(i, center = false) {
    const y = this.position.get(i) * ROW;
    const view = this.el.clientHeight - this.body.offsetTop;
    const above = y < this.el.scrollTop;
    const below = y + ROW > this.el.scrollTop + view;
    if (center && (above || below)) this.el.scrollTop = Math.max(0, y - (view - ROW) / 2);
    else if (above) this.el.scrollTop = y;
    else if (below) this.el.scrollTop = y + ROW - view;
  }

  key(e) {
    const pos = this.position.has(this.selected) ? this.position.get(this.selected) : -1;
    const n = this.selected >= 0 ? this.model.nodes[this.selected] : null;
    let target = -1;
    switch (e.key) {
      case 'ArrowDown': target = this.visible[Math.min(this.visible.length - 1, pos + 1)]; break;
      case 'ArrowUp': target = this.visible[Math.max(0, pos - 1)]; break;
      case 'Home': target = this.visible[0]; break;
      case 'End': target = this.visible[this.visible.length - 1]; break;
      case 'ArrowRight':
        if (n && n.children.length) this.toggle(n.index, true);
        break;
      case 'ArrowLeft':
        if (n && n.children.length && !this.collapsed.has(n.index)) this.toggle(n.index, false);
        else if (n && n.parent >= 0) target = n.parent;
        break;
      case 'Enter':
      case ' ':
        if (n && n.children.length) this.toggle(n.index);
        break;
      default:
        return;
    }
    e.preventDefault();
    if (target !== undefined && target >= 0) this.select(target, { scroll: true });
  }
}

/** A "DB" label before a database statement's span (one with `db.system.name`). */
function dbLabel(s) {
  const system = s.attributes && typeof s.attributes === 'object' ? s.attributes['db.system.name'] : null;
  return system ? `<span class="dbl" title="database statement (${esc(String(system))})">DB</span>` : '';
}
