// Small DOM and formatting helpers shared by the pages.

/**
 * Creates an element. `attrs` keys: `class`, `text`, `html` (trusted markup only), `dataset`,
 * `on<event>` listeners, `style` (a string), anything else as an attribute (skipped when null,
 * undefined or false). Children may be nodes, strings, numbers, arrays or null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'html') el.innerHTML = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for markup built as a string (the waterfall's rows). */
export function esc(value) {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * Microseconds since the epoch of an ISO-8601 instant, exactly: the API writes microsecond
 * fractions, which Date.parse would cut to milliseconds.
 */
export function micros(iso) {
  if (!iso) return NaN;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(iso);
  if (!m) return Date.parse(iso) * 1000;
  const fraction = (m[2] || '').padEnd(6, '0').slice(0, 6);
  return Date.parse(m[1] + m[3]) * 1000 + Number(fraction);
}

/** A duration in milliseconds, with units a reader can take in at a glance. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** A local date and time to the millisecond: 2025-06-01 14:03:07.123. */
export function localTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso || '–';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** How long ago an instant was, roughly: "5 min ago". */
export function ago(iso, now = Date.now()) {
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(s)) return '';
  if (s < 0) return 'in the future';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** An integer with thousands separators. */
export function count(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}

/** A ratio as a percentage. */
export function percent(ratio) {
  if (ratio === null || ratio === undefined) return '–';
  const p = ratio * 100;
  if (p > 0 && p < 0.1) return '< 0.1 %';
  return `${p === 0 || p >= 10 ? p.toFixed(0) : p.toFixed(1)} %`;
}

/** The first eight characters of an id, for tables; the full id goes in the title. */
export function shortId(id) {
  return id ? String(id).slice(0, 8) : '';
}

/** The value of a datetime-local input for an ISO instant, in the browser's zone. */
export function toLocalInput(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** The ISO instant (UTC) of a datetime-local input's value. */
export function fromLocalInput(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString().replace('.000Z', 'Z');
}

/** A "nice" step for an axis spanning `range` with about `ticks` ticks (1, 2, 5 × 10ⁿ). */
export function niceStep(range, ticks) {
  if (!(range > 0)) return 1;
  const raw = range / Math.max(1, ticks);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const n = raw / magnitude;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * magnitude;
}

/** Decimal places kept when amounts of money are added: a millionth of a millionth of a dollar. */
const MONEY_SCALE = 12;

/**
 * The exact sum of decimal amounts (JSON numbers or strings such as "0.000125"), as a decimal
 * string, or null when there is none: adding prices as binary floats would drift.
 */
export function sumDecimal(values) {
  let total = 0n;
  let any = false;
  for (const v of values) {
    if (v === null || v === undefined || v === '') continue;
    let s = typeof v === 'number' ? v.toFixed(MONEY_SCALE) : String(v).trim();
    if (/e/i.test(s)) s = Number(s).toFixed(MONEY_SCALE);
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
    if (!m || (!m[2] && !m[3])) continue;
    const units = BigInt((m[2] || '0') + (m[3] || '').padEnd(MONEY_SCALE, '0').slice(0, MONEY_SCALE));
    total += m[1] === '-' ? -units : units;
    any = true;
  }
  if (!any) return null;
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(MONEY_SCALE + 1, '0');
  const fraction = digits.slice(-MONEY_SCALE).replace(/0+$/, '');
  return `${negative ? '-' : ''}${digits.slice(0, -MONEY_SCALE)}${fraction ? `.${fraction}` : ''}`;
}

/** Significant digits of an amount of money shown: enough for the cost of a few tokens. */
const MONEY_DIGITS = 6;

/**
 * An amount in US dollars to six significant digits, never fewer than the cents: $0.000123,
 * $0.00021, $0.50, $1,234.57. A model call costs fractions of a cent, which a float rounded to
 * cents would show as $0.00. A dash for no amount (null: nothing priced).
 */
export function usd(value) {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  if (n === 0) return '$0';
  const abs = Math.abs(n);
  if (abs >= 1e15) return `${n < 0 ? '-' : ''}$${plainDecimal(abs)}`;
  const places = Math.min(20, Math.max(2, MONEY_DIGITS - 1 - Math.floor(Math.log10(abs))));
  const [whole, fraction] = abs.toFixed(places).replace(/(\.\d\d\d*?)0+$/, '$1').split('.');
  return `${n < 0 ? '-' : ''}$${Number(whole).toLocaleString('en-US')}.${fraction}`;
}

/**
 * An amount as plain decimal digits, as the API wrote it (a JSON number's shortest form, without
 * the exponent JavaScript gives below 1e-6): the exact cost, for a title.
 */
export function plainDecimal(value) {
  if (value === null || value === undefined || value === '') return '';
  const s = String(value);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/i.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] || '');
  const point = 1 + Number(m[4]);
  if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return m[1] + digits + '0'.repeat(point - digits.length);
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** An amount of money for a page: six significant digits, the exact amount in its title. */
export function money(value, attrs = {}) {
  const exact = plainDecimal(value);
  return h('span', { class: 'usd', title: exact ? `${exact} USD` : 'not priced', ...attrs }, usd(value));
}

/** Whether a row of the API carries a cost: absent before prices exist, null when unpriced. */
export function hasCost(row) {
  return row !== null && typeof row === 'object' && row.cost_usd !== undefined && row.cost_usd !== null;
}
