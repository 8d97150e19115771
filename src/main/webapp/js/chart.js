// A latency chart in SVG: per group, the p50, p95 and p99 durations as nested horizontal bars on
// a shared axis.

import { esc, duration, niceStep } from './dom.js';

const BAR = 22;
const GAP = 8;
const AXIS = 26;

/**
 * The chart's markup for `rows` ({label, p50, p95, p99, avg}) at `width` pixels. Values are
 * milliseconds; a row without values is drawn empty.
 */
export function latencyChart(rows, width) {
  const labelWidth = Math.min(220, Math.max(96, Math.round(width * 0.28)));
  const plot = Math.max(60, width - labelWidth - 64);
  const max = Math.max(...rows.map((r) => r.p99 || r.p95 || r.p50 || 0), 0.001);
  const step = niceStep(max, plot < 300 ? 3 : 6);
  const top = Math.ceil(max / step) * step;
  const x = (v) => labelWidth + (Math.max(0, v || 0) / top) * plot;
  const height = rows.length * (BAR + GAP) + AXIS + 4;
  let svg = `<svg class="latency-chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-label="Latency per group: p50, p95 and p99">`;
  for (let t = 0; t <= top + step / 2; t += step) {
    const tx = x(t).toFixed(1);
    svg += `<line class="grid" x1="${tx}" x2="${tx}" y1="0" y2="${height - AXIS}"/>`;
    svg += `<text class="tick" x="${tx}" y="${height - AXIS + 16}" text-anchor="middle">${t === 0 ? '0' : esc(duration(t))}</text>`;
  }
  rows.forEach((r, i) => {
    const y = i * (BAR + GAP) + 2;
    const label = r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label;
    svg += `<g class="group" data-key="${esc(r.key)}"><title>${esc(r.label)}: p50 ${esc(duration(r.p50))}, p95 ${esc(duration(r.p95))}, p99 ${esc(duration(r.p99))}, average ${esc(duration(r.avg))}</title>`;
    svg += `<text class="label" x="${labelWidth - 8}" y="${y + BAR / 2 + 4}" text-anchor="end">${esc(label)}</text>`;
    for (const [key, cls] of [['p99', 'p99'], ['p95', 'p95'], ['p50', 'p50']]) {
      if (r[key] === null || r[key] === undefined) continue;
      const w = Math.max(1, x(r[key]) - labelWidth);
      const inset = cls === 'p50' ? 5 : cls === 'p95' ? 2 : 0;
      svg += `<rect class="${cls}" x="${labelWidth}" y="${y + inset}" width="${w.toFixed(1)}" height="${BAR - 2 * inset}" rx="2"/>`;
    }
    if (r.p99 !== null && r.p99 !== undefined) {
      svg += `<text class="value" x="${(x(r.p99) + 4).toFixed(1)}" y="${y + BAR / 2 + 4}">${esc(duration(r.p99))}</text>`;
    }
    svg += '</g>';
  });
  svg += `<line class="axis" x1="${labelWidth}" x2="${labelWidth + plot}" y1="${height - AXIS}" y2="${height - AXIS}"/>`;
  return `${svg}</svg>`;
}
