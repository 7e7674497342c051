// The reviewer queue: reports by state, accept (a correction task, optionally a ranking task of
// fresh samples) or reject with a reason, and the dashboard figures.
import { api, ApiError, element, showSignIn, categoryName } from './api.js';

const page = document.getElementById('page');
const list = document.getElementById('reports');
const message = document.getElementById('queue-message');
const projectSelect = document.getElementById('project');
let state = 'NEW';

async function start() {
  try {
    const projects = await api('GET', '/api/projects');
    projectSelect.replaceChildren(
      ...projects.map((p) => element('option', { value: p.id, textContent: p.name })));
    for (const tab of document.querySelectorAll('.tabs button')) {
      tab.addEventListener('click', () => {
        state = tab.dataset.state;
        document.querySelectorAll('.tabs button')
          .forEach((b) => b.setAttribute('aria-pressed', String(b === tab)));
        refresh();
      });
    }
    await refresh();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showSignIn(page);
    else if (error instanceof ApiError && error.status === 403) {
      page.replaceChildren(element('p', { className: 'error', textContent: 'Reviewers and admins only.' }));
    } else message.textContent = error.message;
  }
}

async function refresh() {
  const [reports, summary] = await Promise.all([
    api('GET', `/api/reports?state=${state}&size=100`),
    api('GET', '/api/reports/summary'),
  ]);
  renderFigures(summary);
  list.replaceChildren(...reports.map(renderReport));
  message.textContent = reports.length ? '' : `No ${state.toLowerCase()} reports.`;
}

function renderFigures(summary) {
  const states = ['NEW', 'ACCEPTED', 'REJECTED'];
  const table = (title, figures, keyName) => element('div', {}, [
    element('h3', { textContent: title }),
    element('table', {}, [
      element('thead', {}, [element('tr', {}, [
        element('th', { textContent: keyName }),
        element('th', { textContent: 'Reports' }),
        element('th', { textContent: 'Sightings' }),
        ...states.map((s) => element('th', { textContent: s.toLowerCase() })),
      ])]),
      element('tbody', {}, figures.map((f) => element('tr', {}, [
        element('td', { textContent: keyName === 'Category' ? categoryName(f.key) : f.key }),
        element('td', { className: 'number', textContent: f.reports }),
        element('td', { className: 'number', textContent: f.sightings }),
        ...states.map((s) => element('td', { className: 'number', textContent: f.byState[s] })),
      ]))),
    ]),
  ]);
  const totals = element('div', {}, [
    element('h3', { textContent: 'By state' }),
    element('table', {}, [element('tbody', {}, [
      ...states.map((s) => element('tr', {}, [
        element('td', { textContent: s.toLowerCase() }),
        element('td', { className: 'number', textContent: summary.byState[s] }),
      ])),
      element('tr', {}, [
        element('td', { textContent: 'sightings (repeats included)' }),
        element('td', { className: 'number', textContent: summary.sightings }),
      ]),
    ])]),
  ]);
  document.getElementById('figures').replaceChildren(
    totals,
    table('By category', summary.byCategory, 'Category'),
    table('By model version', summary.byModelVersion, 'Model version'));
}

function renderReport(report) {
  const card = element('article', { className: 'panel report', dataset: { id: report.id } });
  card.append(
    element('div', {}, [
      element('span', { className: 'badge', textContent: categoryName(report.category) }),
      ' ',
      element('strong', { textContent: `severity ${report.severity}` }),
      ' ',
      element('span', { className: 'badge', textContent: `reported ${report.reportCount}×` }),
    ]),
    element('p', {
      className: 'meta',
      textContent: `${report.source} · model ${report.modelVersion ?? 'unknown'} · last ${new Date(report.lastReportedAt).toLocaleString()}`,
    }),
    ...report.conversation.map((turn) => element('div', { className: `turn ${turn.role.toLowerCase()}` }, [
      element('span', { className: 'role', textContent: turn.role.toLowerCase() }),
      turn.text,
    ])),
  );
  if (report.text) card.append(element('p', { textContent: `Note: ${report.text}` }));
  card.append(report.state === 'NEW' ? decisionControls(report) : status(report));
  return card;
}

function status(report) {
  const lines = [`${report.state.toLowerCase()} by ${report.triagedBy} on ${new Date(report.triagedAt).toLocaleString()}`];
  if (report.rejectReason) lines.push(`Reason: ${report.rejectReason}`);
  if (report.correctionTaskId) lines.push(`Correction task ${report.correctionTaskId}`);
  if (report.completionRequestId) {
    lines.push(report.rankingTaskId
      ? `Ranking task ${report.rankingTaskId}`
      : `Fresh samples requested (${report.completionRequestId}); the ranking task opens when they arrive`);
  }
  return element('div', { className: 'meta' }, lines.map((l) => element('div', { textContent: l })));
}

function decisionControls(report) {
  const rank = element('input', { type: 'checkbox' });
  const samples = element('input', { type: 'number', min: 2, max: 9, value: 4, size: 2 });
  const reason = element('input', { placeholder: 'why no work is needed', size: 30 });
  const error = element('p', { className: 'error', role: 'alert' });
  const accept = element('button', { className: 'primary', type: 'button', textContent: 'Accept' });
  const reject = element('button', { type: 'button', textContent: 'Reject' });
  const decide = async (path, body) => {
    accept.disabled = reject.disabled = true;
    try {
      await api('POST', `/api/reports/${report.id}/${path}`, body);
      await refresh();
    } catch (e) {
      error.textContent = e.message;
      accept.disabled = reject.disabled = false;
    }
  };
  accept.addEventListener('click', () => decide('accept', {
    projectId: projectSelect.value || null,
    rankingSamples: rank.checked ? Number(samples.value) : null,
  }));
  reject.addEventListener('click', () => decide('reject', { reason: reason.value }));
  return element('div', {}, [
    element('div', {}, [
      accept,
      element('label', {}, [rank, element('span', { textContent: 'and rank' }), samples,
        element('span', { textContent: 'fresh samples of the current policy' })]),
    ]),
    element('div', {}, [reject, reason]),
    error,
  ]);
}

start();
