// Two span trees side by side: spans are matched by their operation path, the operation names
// from the root down to the span, each with its index among its same-named siblings (the second
// `execution.execute_step` under the request is `execution.execute_step[1]` in both runs, whatever
// its span id). Pure functions, no DOM: the compare page draws what they return.

/** A span is slower when it took more than this fraction longer than its counterpart… */
export const SLOWER_RATIO = 0.2;

/** …and at least this many milliseconds longer: below a millisecond, timing noise dominates. */
export const SLOWER_MIN_MS = 1;

/** The separator of an operation path's segments, in `path` and in what the page shows. */
export const PATH_SEPARATOR = ' › ';

/**
 * The rows of two trees (the `spans` of GET /api/traces/{id}, children nested and ordered by start
 * time), depth-first: each `{path, name, index, repeated, depth, a, b, diffs}` with `a` and `b` the
 * spans at that path (one of them null when only one side has it; then so is every span below),
 * `index` the span's rank among its same-named siblings, `repeated` whether either side has more
 * than one of them, and `diffs` what {@link differences} marks. Iterative: deep trees cannot
 * overflow the stack.
 */
export function alignTrees(rootsA, rootsB) {
  const rows = [];
  const stack = pairSiblings(rootsA || [], rootsB || [], '', 0).reverse();
  while (stack.length) {
    const row = stack.pop();
    row.diffs = differences(row.a, row.b);
    rows.push(row);
    const kids = pairSiblings(childrenOf(row.a), childrenOf(row.b), row.path, row.depth + 1);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return rows;
}

/**
 * What differs between the spans at one path: `only-a` / `only-b` (present on one side only),
 * `failed-a` / `failed-b` (ERROR on that side only), `slower-a` / `slower-b` (that side took more
 * than {@link SLOWER_RATIO} longer, and at least {@link SLOWER_MIN_MS} more).
 */
export function differences(a, b) {
  if (!a && !b) return [];
  if (!b) return ['only-a'];
  if (!a) return ['only-b'];
  const out = [];
  const failedA = a.status === 'ERROR';
  const failedB = b.status === 'ERROR';
  if (failedA && !failedB) out.push('failed-a');
  if (failedB && !failedA) out.push('failed-b');
  const da = Number(a.duration_ms) || 0;
  const db = Number(b.duration_ms) || 0;
  if (db > da * (1 + SLOWER_RATIO) && db - da >= SLOWER_MIN_MS) out.push('slower-b');
  if (da > db * (1 + SLOWER_RATIO) && da - db >= SLOWER_MIN_MS) out.push('slower-a');
  return out;
}

/** How much longer `b` took than `a`, as a ratio (0.25 = 25 % slower); null without both. */
export function change(a, b) {
  if (!a || !b) return null;
  const da = Number(a.duration_ms) || 0;
  const db = Number(b.duration_ms) || 0;
  if (da === 0) return db === 0 ? 0 : null;
  return (db - da) / da;
}

function childrenOf(span) {
  return span && Array.isArray(span.children) ? span.children : [];
}

/** Each span of a sibling list with its key: its operation name and its rank among namesakes. */
function keyed(spans) {
  const seen = new Map();
  return spans.map((span) => {
    const name = span.operation_name || '';
    const index = seen.get(name) || 0;
    seen.set(name, index + 1);
    return { key: `${name}[${index}]`, name, index, span };
  });
}

/**
 * Two sibling lists paired by key, in A's order; a span only B has goes right after the B span
 * before it that was already placed, so each run's own order stays readable.
 */
function pairSiblings(listA, listB, parentPath, depth) {
  const a = keyed(listA);
  const b = keyed(listB);
  const counts = new Map();
  for (const side of [a, b]) {
    const own = new Map();
    for (const x of side) own.set(x.name, (own.get(x.name) || 0) + 1);
    for (const [name, n] of own) counts.set(name, Math.max(counts.get(name) || 0, n));
  }
  const inA = new Set(a.map((x) => x.key));
  const positionInB = new Map(b.map((x, i) => [x.key, i]));
  const out = [];
  const row = (x, y) => {
    const first = x || y;
    return {
      path: (parentPath ? parentPath + PATH_SEPARATOR : '') + first.key,
      name: first.name,
      index: first.index,
      repeated: counts.get(first.name) > 1,
      depth,
      a: x ? x.span : null,
      b: y ? y.span : null,
    };
  };
  let next = 0;
  for (const x of a) {
    const at = positionInB.get(x.key);
    if (at === undefined) {
      out.push(row(x, null));
      continue;
    }
    for (; next < at; next++) if (!inA.has(b[next].key)) out.push(row(null, b[next]));
    if (at >= next) next = at + 1;
    out.push(row(x, b[at]));
  }
  for (; next < b.length; next++) if (!inA.has(b[next].key)) out.push(row(null, b[next]));
  return out;
}
