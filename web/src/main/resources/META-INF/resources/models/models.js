// The model registry: every version with its parent, cycle and snapshot counts; the labels that
// made a version and the versions a label influenced; promotion of a policy to the served default.
import { api } from '/js/api.js';
import { formatDate, h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe, CONSOLE_ROLES } from '/js/session.js';

const WRITERS = ['researcher', 'admin'];
const lineage = document.getElementById('lineage');
const enc = encodeURIComponent;
let mayPromote = false;

async function showLabels(version) {
  const labels = await api(`/api/models/${enc(version)}/labels`);
  const headings = ['Label event', 'Type', 'Trained into', 'Prompt', 'Response', 'Contractor'];
  replace(lineage,
    h('h3', {}, `Labels that made ${version} (${labels.length})`),
    h('div', { class: 'table-wrap' }, h('table', { id: 'version-labels' },
      h('thead', {}, h('tr', {}, headings.map((t) => h('th', {}, t)))),
      h('tbody', {}, labels.map((l) => h('tr', {},
        h('td', { 'data-title': headings[0] }, h('button', {
          type: 'button', class: 'link', title: 'Which versions did this label influence?',
          onclick: () => trace(l.eventId).catch((e) => announce(e.message, 'error')),
        }, l.eventId)),
        h('td', { 'data-title': headings[1] }, l.type || ''),
        h('td', { 'data-title': headings[2] }, l.trainedVersion || ''),
        h('td', { 'data-title': headings[3], class: 'untrusted' }, l.prompt || ''),
        h('td', { 'data-title': headings[4], class: 'untrusted' }, l.response || ''),
        h('td', { 'data-title': headings[5] }, l.contractor || '')))))));
}

async function trace(eventId) {
  document.getElementById('event-id').value = eventId;
  const versions = await api(`/api/labels/${enc(eventId)}/versions`);
  replace(lineage,
    h('h3', {}, `Versions label ${eventId} influenced (${versions.length})`),
    h('ul', { id: 'influenced' }, versions.map((v) =>
      h('li', {}, h('strong', {}, v.version), ` (${v.kind}, ${v.direct ? 'trained on it' : 'through its lineage'})`))));
}

async function promote(version) {
  if (!confirm(`Serve ${version} as the default policy?`)) return;
  const done = await api(`/api/models/${enc(version)}/promote`, { method: 'POST' });
  await load();
  const where = done.projects.length
    ? done.projects.map((p) => `${p.name} (${p.completionRequests})`).join(', ')
    : 'no project: no labels of a project trained it';
  announce(`${done.version} promoted; prompts that get fresh completions to rank: ${where}.`);
}

function metrics(values) {
  return Object.entries(values || {}).map(([k, x]) => `${k} ${Number(x).toPrecision(3)}`).join(', ');
}

async function load() {
  const versions = await api('/api/models');
  const rows = versions.map((v) => h('tr', { 'data-version': v.version },
    h('td', { 'data-title': 'Version' }, h('span', { class: 'version' }, v.version),
      v.served ? h('strong', { class: 'state-served' }, ' (served)') : null),
    h('td', { 'data-title': 'Kind' }, v.kind),
    h('td', { 'data-title': 'Parent' }, v.parentVersion || ''),
    h('td', { 'data-title': 'Reward model' }, v.rewardVersion || ''),
    h('td', { 'data-title': 'Made by' }, v.stage || '',
      v.cycleId ? h('div', {}, h('a', { href: `/cycles/cycle.html?id=${enc(v.cycleId)}` }, 'its cycle')) : null),
    h('td', { 'data-title': 'Labels' }, `${v.labels.demonstrations} demonstrations, ${v.labels.rankings} rankings `,
      h('button', {
        type: 'button', class: 'link', 'aria-label': `List the labels that made ${v.version}`,
        onclick: () => showLabels(v.version).catch((e) => announce(e.message, 'error')),
      }, 'list')),
    h('td', { 'data-title': 'Metrics' }, metrics(v.metrics)),
    h('td', { 'data-title': 'Published' }, formatDate(v.publishedAt)),
    h('td', {}, mayPromote && v.kind === 'POLICY' && !v.served
      ? h('button', {
        type: 'button', 'aria-label': `Promote ${v.version}`,
        onclick: () => promote(v.version).catch((e) => announce(e.message, 'error')),
      }, 'Promote')
      : '')));
  replace(document.getElementById('versions'),
    rows.length ? rows : h('tr', {}, h('td', { colspan: 9, class: 'empty' }, 'No versions published yet.')));
}

document.getElementById('label-lookup').addEventListener('submit', (event) => {
  event.preventDefault();
  trace(document.getElementById('event-id').value.trim()).catch((e) => announce(e.message, 'error'));
});

async function start() {
  const me = await requireMe(CONSOLE_ROLES);
  renderAccount(document.getElementById('account'), me);
  mayPromote = WRITERS.some((r) => me.roles.includes(r));
  await load();
  const wanted = new URLSearchParams(location.search).get('version');
  if (wanted) await showLabels(wanted);
}

start().catch((e) => announce(e.message, 'error'));
