// The model registry: every version with its parent, cycle and snapshot counts; its evaluation
// and warnings; the labels that made a version and the versions a label influenced; promotion of a
// policy to the served default, which needs a passing evaluation or a reason.
import { api } from '/js/api.js';
import { formatDate, h, replace, uid } from '/js/dom.js';
import { announce, renderAccount, requireMe, CONSOLE_ROLES } from '/js/session.js';
import { evaluationBlock, warningList } from '/cycles/evaluation.js';

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

/** The version's evaluation, warnings and, for a policy a writer may promote, the promote form. */
function showVersion(v) {
  const panel = document.getElementById('version-detail');
  const canPromote = mayPromote && v.kind === 'POLICY' && !v.served;
  const passed = v.evaluation && v.evaluation.passed;
  const reasonId = uid('override');
  replace(panel,
    h('h2', { tabindex: '-1' }, v.version),
    v.promotionOverride ? h('p', { class: 'warnings' }, `Promoted without a passing evaluation; reason: ${v.promotionOverride}`) : null,
    warningList(v.warnings, 'Warnings from its trainer:'),
    v.kind === 'POLICY' ? evaluationBlock(v.version, v.evaluation) : null,
    canPromote ? h('form', {
      class: 'panel promote-form',
      onsubmit: (event) => {
        event.preventDefault();
        const reason = passed ? null : document.getElementById(reasonId).value.trim();
        promote(v.version, reason).catch((e) => announce(e.message, 'error'));
      },
    },
    passed ? null : h('div', { class: 'field' },
      h('label', { for: reasonId }, 'It did not pass its evaluation. Why promote it anyway? (kept in its lineage)'),
      h('textarea', { id: reasonId, name: 'override', rows: 2, required: true })),
    h('button', { class: 'primary', type: 'submit' }, passed ? `Promote ${v.version}` : `Promote ${v.version} anyway`)) : null);
  panel.hidden = false;
  panel.firstChild.focus();
}

async function promote(version, override) {
  if (!override && !confirm(`Serve ${version} as the default policy?`)) return;
  const done = await api(`/api/models/${enc(version)}/promote`, {
    method: 'POST',
    body: override ? { override } : {},
  });
  document.getElementById('version-detail').hidden = true;
  await load();
  const where = done.projects.length
    ? done.projects.map((p) => `${p.name} (${p.completionRequests})`).join(', ')
    : 'no project: no labels of a project trained it';
  announce(`${done.version} promoted; prompts that get fresh completions to rank: ${where}.`);
}

function evaluationSummary(v) {
  if (v.kind !== 'POLICY') return '';
  const e = v.evaluation;
  if (!e) return 'none';
  return `${e.passed ? 'passed' : 'did not pass'}: ${e.wins}/${e.ties}/${e.losses} vs ${e.parentVersion} `;
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
      }, 'list'),
      laterReviewed(v.labels)),
    h('td', { 'data-title': 'Metrics' }, metrics(v.metrics)),
    h('td', { 'data-title': 'Evaluation' }, evaluationSummary(v),
      v.warnings.length ? h('div', { class: 'error' }, `${v.warnings.length} warning(s)`) : null,
      h('button', {
        type: 'button', class: 'link', 'aria-label': `Show the evaluation and warnings of ${v.version}`,
        onclick: () => showVersion(v),
      }, 'details')),
    h('td', { 'data-title': 'Published' }, formatDate(v.publishedAt)),
    h('td', {}, mayPromote && v.kind === 'POLICY' && !v.served
      ? h('button', {
        type: 'button', 'aria-label': `Promote ${v.version}`,
        onclick: () => showVersion(v),
      }, 'Promote…')
      : '')));
  replace(document.getElementById('versions'),
    rows.length ? rows : h('tr', {}, h('td', { colspan: 10, class: 'empty' }, 'No versions published yet.')));
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

/** What review found, since the version trained, in the labels it trained on. */
function laterReviewed(labels) {
  if (!labels.laterRejected && !labels.laterCorrected) return null;
  return h('div', { class: 'error later-reviewed' },
    `since trained: ${labels.laterRejected} rejected, ${labels.laterCorrected} corrected by review`);
}
