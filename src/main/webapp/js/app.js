// The viewer's router: the page and its parameters live in the URL's hash, so that every view
// (a search, a trace with a selected span, a statistics window) is a link that can be shared.
//   #/search?<filters>       #/trace/<trace_id>?span=<span_id>       #/stats?<window and filters>
//   #/session/<task or session id>?open=<trace ids>                 #/compare?a=<trace>&b=<trace>

import { h } from './dom.js';
import { parseRoute, link } from './route.js';
import * as search from './search.js';
import * as trace from './trace.js';
import * as stats from './stats.js';
import * as session from './session.js';
import * as compare from './compare.js';

const page = document.getElementById('page');
let current = null;

const pages = { search, trace, stats, session, compare };

/** The menu entry a page belongs to. */
const SECTION = { trace: 'search', compare: 'search' };

function route() {
  const r = parseRoute(location.hash);
  if (current && current.cleanup) current.cleanup();
  const module = pages[r.name];
  for (const a of document.querySelectorAll('nav a[data-page]')) {
    a.classList.toggle('active', a.dataset.page === (SECTION[r.name] || r.name));
  }
  page.replaceChildren();
  if (!module) {
    page.append(
      h('div', { class: 'message' }, 'There is no page here. ', h('a', { href: '#/search' }, 'Search traces')),
    );
    current = null;
    return;
  }
  const controller = new AbortController();
  const cleanup = module.render(page, r, controller.signal);
  current = {
    cleanup: () => {
      controller.abort();
      if (typeof cleanup === 'function') cleanup();
    },
  };
}

document.getElementById('jump').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = e.target.elements.trace_id;
  const id = input.value.trim().toLowerCase();
  if (id) location.hash = link('trace', {}, id);
  input.value = '';
});

window.addEventListener('hashchange', route);
route();
