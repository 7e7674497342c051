// The arena's leaderboard, and (for researchers) putting random prompts to two versions: each pair
// of answers becomes a blind comparison task in the contractors' workbench.
import { api } from '/js/api.js';
import { h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe, CONSOLE_ROLES } from '/js/session.js';

const WRITERS = ['researcher', 'admin'];
const REFRESH_MS = 30000;

async function showBoard() {
  const entries = await api('/api/arena/leaderboard');
  const rows = entries.map((e) => h('tr', { 'data-version': e.version },
    h('td', { 'data-title': '#' }, e.rank),
    h('td', { 'data-title': 'Version', class: 'version' }, e.version),
    h('td', { 'data-title': 'Score', class: 'score' }, e.score.toFixed(0)),
    h('td', { 'data-title': '95% interval', class: 'interval' }, `${e.lower.toFixed(0)} – ${e.upper.toFixed(0)}`),
    h('td', { 'data-title': 'Votes' }, e.games),
    h('td', { 'data-title': 'Won' }, e.wins),
    h('td', { 'data-title': 'Lost' }, e.losses),
    h('td', { 'data-title': 'Tied' }, e.ties)));
  replace(document.getElementById('board'),
    rows.length ? rows : h('tr', {}, h('td', { colspan: 8, class: 'empty' }, 'No votes yet.')));
}

async function showForm() {
  const [projects, versions] = await Promise.all([api('/api/projects'), api('/api/models?kind=POLICY')]);
  replace(document.getElementById('arena-project'), projects.map((p) => h('option', { value: p.id }, p.name)));
  replace(document.getElementById('arena-versions'), versions.map((v) => h('option', { value: v.version })));
  document.getElementById('match-section').hidden = false;
}

document.getElementById('matches').addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  try {
    const made = await api('/api/arena/matches', {
      method: 'POST',
      body: {
        projectId: data.get('projectId'),
        versionA: data.get('versionA').trim(),
        versionB: data.get('versionB').trim(),
        prompts: Number(data.get('prompts')),
      },
    });
    announce(`${made.length} prompts sent to both versions; comparison tasks open as the answers arrive.`);
  } catch (error) {
    announce(error.message, 'error');
  }
});

async function start() {
  const me = await requireMe(CONSOLE_ROLES);
  renderAccount(document.getElementById('account'), me);
  await Promise.all([showBoard(), WRITERS.some((r) => me.roles.includes(r)) ? showForm() : null]);
  setInterval(() => showBoard().catch((e) => announce(e.message, 'error')), REFRESH_MS);
}

start().catch((e) => announce(e.message, 'error'));
