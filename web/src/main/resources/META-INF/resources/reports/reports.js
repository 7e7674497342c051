// The reviewer queue: reports by state, accept (a correction task, optionally a ranking task of
// fresh samples from the current policy) or reject with a reason; and the dashboard figures.
import { api } from '/js/api.js';
import { h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe } from '/js/session.js';
import { categoryName } from '/reports/reports-format.js';

const STATES = ['NEW', 'ACCEPTED', 'REJECTED'];
const list = document.getElementById('reports');
const projectSelect = document.getElementById('project');
let state = 'NEW';

async function start() {
  const me = await requireMe(['reviewer', 'admin']);
  renderAccount(document.getElementById('account'), me);
  const projects = await api('/api/projects');
  replace(projectSelect, ...projects.map((p) => h('option', { value: p.id }, p.name)));
  const tabs = document.querySelectorAll('button[data-state]');
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      state = tab.dataset.state;
      tabs.forEach((b) => b.setAttribute('aria-pressed', String(b === tab)));
      refresh().catch((e) => announce(e.message, 'error'));
    });
  }
  await refresh();
}

async function refresh() {
  const [reports, summary] = await Promise.all([
    api(`/api/reports?state=${state}&size=100`),
    api('/api/reports/summary'),
  ]);
  renderFigures(summary);
  replace(list, ...reports.map(renderReport));
  announce(reports.length ? '' : `No ${state.toLowerCase()} reports.`);
}

function renderFigures(summary) {
  // data-title labels each cell where a phone shows the rows as cards (see /css/app.css).
  const cell = (title, value, number = true) => h('td', { class: number ? 'number' : null, 'data-title': title }, value);
  const header = (first) => h('thead', {}, h('tr', {},
    h('th', {}, first), h('th', { class: 'number' }, 'Reports'), h('th', { class: 'number' }, 'Sightings'),
    ...STATES.map((s) => h('th', { class: 'number' }, s.toLowerCase()))));
  const table = (title, first, figures, name) => h('div', {},
    h('h3', {}, title),
    h('div', { class: 'table-wrap' }, h('table', {}, header(first), h('tbody', {},
      ...figures.map((f) => h('tr', {},
        cell(first, name(f.key), false),
        cell('Reports', f.reports),
        cell('Sightings', f.sightings),
        ...STATES.map((s) => cell(s.toLowerCase(), f.byState[s]))))))));
  const totals = h('div', {},
    h('h3', {}, 'By state'),
    h('table', {}, h('tbody', {},
      ...STATES.map((s) => h('tr', {}, cell('State', s.toLowerCase(), false), cell('Reports', summary.byState[s]))),
      h('tr', {}, cell('Total', 'sightings, repeats included', false), cell('Sightings', summary.sightings)))));
  replace(document.getElementById('figures'),
    totals,
    table('By category', 'Category', summary.byCategory, categoryName),
    table('By model version', 'Model version', summary.byModelVersion, (k) => k));
}

function renderReport(report) {
  return h('article', { class: 'card report', 'data-id': report.id },
    h('div', { class: 'row' },
      h('span', { class: 'badge' }, categoryName(report.category)),
      h('strong', {}, `severity ${report.severity}`),
      h('span', { class: 'badge' }, `reported ${report.reportCount}×`)),
    h('p', { class: 'meta' },
      `${report.source} · model ${report.modelVersion ?? 'unknown'} · last reported ${new Date(report.lastReportedAt).toLocaleString()}`),
    h('div', { class: 'conversation' }, ...report.conversation.map((turn) =>
      h('div', { class: `turn turn-${turn.role.toLowerCase()}` },
        h('span', { class: 'role' }, turn.role.toLowerCase()),
        h('div', { class: 'untrusted' }, turn.text)))),
    report.text ? h('p', { class: 'untrusted' }, `Note: ${report.text}`) : null,
    report.state === 'NEW' ? decisionControls(report) : status(report));
}

function status(report) {
  const lines = [`${report.state.toLowerCase()} by ${report.triagedBy}, ${new Date(report.triagedAt).toLocaleString()}`];
  if (report.rejectReason) lines.push(`Reason: ${report.rejectReason}`);
  if (report.correctionTaskId) lines.push(`Correction task ${report.correctionTaskId}`);
  if (report.completionRequestId) {
    lines.push(report.rankingTaskId
      ? `Ranking task ${report.rankingTaskId}`
      : `Fresh samples requested (${report.completionRequestId}); their ranking task opens when they arrive`);
  }
  return h('div', { class: 'meta' }, ...lines.map((line) => h('div', {}, line)));
}

function decisionControls(report) {
  const rank = h('input', { type: 'checkbox', 'aria-label': 'Also rank fresh samples' });
  const samples = h('input', { type: 'number', min: 2, max: 9, value: 4, 'aria-label': 'How many fresh samples' });
  const reason = h('input', { type: 'text', placeholder: 'why no work is needed', 'aria-label': 'Reason to reject' });
  const decide = async (path, body, buttons) => {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await api(`/api/reports/${report.id}/${path}`, { method: 'POST', body });
      await refresh();
      announce(`Report ${path === 'accept' ? 'accepted' : 'rejected'}.`);
    } catch (e) {
      announce(e.message, 'error');
      buttons.forEach((b) => { b.disabled = false; });
    }
  };
  const accept = h('button', { type: 'button', class: 'primary' }, 'Accept');
  const reject = h('button', { type: 'button' }, 'Reject');
  accept.addEventListener('click', () => decide('accept', {
    projectId: projectSelect.value || null,
    rankingSamples: rank.checked ? Number(samples.value) : null,
  }, [accept, reject]));
  reject.addEventListener('click', () => decide('reject', { reason: reason.value }, [accept, reject]));
  return h('div', {},
    h('div', { class: 'row' }, accept, h('label', {}, rank, ' and rank '), samples, ' fresh samples of the current policy'),
    h('div', { class: 'row' }, reject, reason));
}

start().catch((e) => announce(e.message, 'error'));
