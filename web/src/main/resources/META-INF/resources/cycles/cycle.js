// One training cycle: its stages, live progress charts and samples (history first, so a reload
// shows everything, then server-sent events from the last point seen), cancel, and retry of a
// failed or cancelled cycle from the stage that did not finish.
import { api } from '/js/api.js';
import { h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe, CONSOLE_ROLES } from '/js/session.js';
import { lineChart } from '/cycles/chart.js';
import { evaluationBlock, warningList } from '/cycles/evaluation.js';

const WRITERS = ['researcher', 'admin'];
const MAX_SAMPLES = 12;
// The names the trainers report (events: dev.rlhf.events.contract.TrainingMetrics), by chart.
const METRIC_CHART = {
  train_loss: 'loss', val_loss: 'loss', loss: 'loss', heldout_loss: 'loss',
  accuracy: 'accuracy', heldout_accuracy: 'accuracy',
  reward_mean: 'reward',
  reward_margin: 'margin', heldout_reward_margin: 'margin',
  logp_chosen: 'logp', logp_rejected: 'logp', heldout_logp_chosen: 'logp', heldout_logp_rejected: 'logp',
  kl: 'kl',
};

const id = new URLSearchParams(location.search).get('id');
const path = `/api/cycles/${encodeURIComponent(id)}`;
const charts = {
  loss: lineChart('Loss'),
  accuracy: lineChart('Preference accuracy (reward model; DPO: implicit reward)'),
  reward: lineChart('Reward'),
  margin: lineChart('Implicit reward margin, chosen minus rejected (DPO)'),
  logp: lineChart('Log-probability of chosen and rejected responses (DPO)'),
  kl: lineChart('KL to the reference policy'),
};
const samples = document.getElementById('samples');
const live = document.getElementById('live');
const cancel = document.getElementById('cancel');
const retry = document.getElementById('retry');
let mayCancel = false;

function showCycle(c) {
  const state = document.getElementById('state');
  state.textContent = c.state;
  state.className = `state-${c.state}`;
  document.getElementById('reason').textContent = c.failureReason || '';
  document.getElementById('summary').textContent =
    `Started ${new Date(c.createdAt).toLocaleString()} by ${c.createdBy}; snapshot of ` +
    `${c.snapshot.demonstrations} demonstrations and ${c.snapshot.rankings} rankings ` +
    `(${c.snapshot.informativePairs} informative preference pairs).`;
  replace(document.getElementById('cycle-notes'),
    warningList(c.warnings, 'Warned when it started:'),
    c.rewardGateOverride
      ? h('p', { class: 'warnings' }, `PPO uses a reward model below the accuracy gate; reason given: ${c.rewardGateOverride}`)
      : null);
  cancel.hidden = !mayCancel || c.state !== 'RUNNING';
  retry.hidden = !mayCancel || !['FAILED', 'CANCELLED'].includes(c.state);
  const retryOf = document.getElementById('retry-of');
  retryOf.hidden = !c.retryOf;
  if (c.retryOf) retryOf.firstElementChild.href = `/cycles/cycle.html?id=${encodeURIComponent(c.retryOf)}`;
  replace(document.getElementById('runs'), c.runs.map((r) => h('tr', {},
    h('td', { 'data-title': 'Stage' }, r.stage),
    h('td', { 'data-title': 'State', class: `state-${r.state}` }, r.state),
    h('td', { 'data-title': 'Base' }, r.baseVersion || ''),
    h('td', { 'data-title': 'Reward' }, r.rewardVersion || ''),
    h('td', { 'data-title': 'Version made' }, r.producedVersion
      ? h('a', { href: `/models/?version=${encodeURIComponent(r.producedVersion)}` }, r.producedVersion)
      : ''),
    h('td', { 'data-title': 'Failure' }, r.failureReason || ''))));
  // What each version made says: its trainer's warnings and, for policies, its evaluation.
  replace(document.getElementById('stage-results'), c.runs.filter((r) => r.producedVersion).map((r) =>
    h('section', { class: 'stage-result', 'data-version': r.producedVersion },
      h('h3', {}, `${r.stage}: ${r.producedVersion}`),
      warningList(r.warnings, 'Warnings:'),
      r.stage === 'REWARD' ? null : evaluationBlock(r.producedVersion, r.evaluation))));
}

// DPO's known failure shows while it happens: the chosen responses losing probability.
function showWarning(p) {
  if (!('chosen_logp_falling' in p.metrics)) return;
  document.getElementById('warning').textContent = p.metrics.chosen_logp_falling
    ? `${p.stage} step ${p.step}: the held-out chosen responses are becoming less likely than `
      + 'under the reference (a known DPO failure: the probability goes to text nobody ranked).'
    : '';
}

function showProgress(p) {
  showWarning(p);
  for (const [name, value] of Object.entries(p.metrics)) {
    const chart = charts[METRIC_CHART[name]];
    if (chart) chart.add(`${p.stage} ${name}`, p.step, value);
  }
  for (const text of p.samples) {
    samples.prepend(h('li', {}, h('small', {}, `${p.stage} step ${p.step}`), h('span', { class: 'sample untrusted' }, text)));
  }
  while (samples.children.length > MAX_SAMPLES) samples.lastChild.remove();
  live.textContent = `${p.stage} step ${p.step} of ${p.totalSteps}`;
}

cancel.addEventListener('click', async () => {
  if (!confirm('Cancel this cycle? The running stage stops and publishes nothing.')) return;
  try {
    showCycle(await api(`${path}/cancel`, { method: 'POST' }));
    announce('The cycle is cancelled.');
  } catch (error) {
    announce(error.message, 'error');
  }
});

retry.addEventListener('click', async () => {
  try {
    const again = await api(`${path}/retry`, { method: 'POST' });
    location.assign(`/cycles/cycle.html?id=${encodeURIComponent(again.id)}`);
  } catch (error) {
    announce(error.message, 'error');
  }
});

async function start() {
  const me = await requireMe(CONSOLE_ROLES);
  renderAccount(document.getElementById('account'), me);
  mayCancel = WRITERS.some((r) => me.roles.includes(r));
  replace(document.getElementById('charts'), Object.values(charts).map((c) => c.element));
  document.getElementById('labels-link').href = `${path}/labels`;
  showCycle(await api(path));
  const history = await api(`${path}/progress`);
  history.forEach(showProgress);
  const after = history.length ? history[history.length - 1].id : 0;
  // On a dropped connection EventSource reconnects by itself with Last-Event-ID, which the
  // service resumes from.
  const stream = new EventSource(`${path}/events?after=${after}`);
  stream.addEventListener('progress', (e) => showProgress(JSON.parse(e.data)));
  stream.addEventListener('cycle', (e) => showCycle(JSON.parse(e.data)));
  stream.addEventListener('end', () => {
    stream.close();
    live.textContent = 'finished';
  });
}

start().catch((e) => announce(e.message, 'error'));
