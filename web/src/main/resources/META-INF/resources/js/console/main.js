// The researcher console: one page per hash (#dashboard, #projects, ...), chosen by role.
import { h, replace } from '../dom.js';
import { announce, renderAccount, requireMe, CONSOLE_ROLES } from '../session.js';
import { loadProjects, onProjectChange } from './context.js';
import { dashboardPage } from './dashboard.js';
import { projectsPage } from './projects.js';
import { importPage } from './import.js';
import { completionsPage } from './completions.js';
import { labelsPage } from './labels.js';
import { exportsPage } from './exports.js';
import { workersPage } from './workers.js';
import { qualityPage } from './quality.js';
import { goldPage } from './gold.js';

const WRITERS = ['researcher', 'admin'];
const PAGES = [
  { id: 'dashboard', title: 'Dashboard', page: dashboardPage, roles: CONSOLE_ROLES },
  { id: 'projects', title: 'Projects', page: projectsPage, roles: WRITERS },
  { id: 'import', title: 'Import prompts', page: importPage, roles: WRITERS },
  { id: 'completions', title: 'Request completions', page: completionsPage, roles: WRITERS },
  { id: 'labels', title: 'Data', page: labelsPage, roles: CONSOLE_ROLES },
  { id: 'quality', title: 'Contractor quality', page: qualityPage, roles: CONSOLE_ROLES },
  { id: 'gold', title: 'Gold tasks', page: goldPage, roles: CONSOLE_ROLES },
  { id: 'exports', title: 'Exports', page: exportsPage, roles: WRITERS },
  { id: 'workers', title: 'Workers', page: workersPage, roles: CONSOLE_ROLES },
];

const pageEl = document.getElementById('page');
const nav = document.getElementById('sections');
let allowed = [];
let me = null;
let active = null;

function route() {
  const id = location.hash.slice(1) || 'dashboard';
  const entry = allowed.find((p) => p.id === id) || allowed[0];
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.page === entry.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  active?.dispose?.();
  document.title = `${entry.title} · RLHF labeling`;
  // Each visit renders into its own container: a slow answer for a page left behind lands in a
  // detached node instead of the page now shown.
  const container = h('div');
  replace(pageEl, h('h1', {}, entry.title), container);
  active = entry.page(container, me) || null;
  Promise.resolve(active?.ready).catch((e) => announce(e.message, 'error'));
}

async function init() {
  me = await requireMe(CONSOLE_ROLES);
  renderAccount(document.getElementById('account'), me);
  allowed = PAGES.filter((p) => p.roles.some((r) => me.roles.includes(r)));
  replace(nav, h('ul', {}, allowed.map((p) => h('li', {}, h('a', { href: `#${p.id}`, 'data-page': p.id }, p.title)))));
  await loadProjects(localStorage.getItem('console.project') || '');
  onProjectChange(() => route());
  window.addEventListener('hashchange', () => {
    route();
    pageEl.focus();
  });
  route();
}

init().catch((e) => announce(e.message, 'error'));
