import { api, h, lineChart, showError, when } from '/cycles/ui.js';

const id = new URLSearchParams(location.search).get('id');
const charts = {
  loss: lineChart('Loss'),
  accuracy: lineChart('RM held-out accuracy'),
  reward: lineChart('Reward'),
  kl: lineChart('KL to the reference policy'),
};
// Trainers name metrics in their own words; each chart takes the names that mean its quantity.
const METRIC_CHART = {
  loss: 'loss', trainLoss: 'loss', validationLoss: 'loss', heldOutLoss: 'loss',
  accuracy: 'accuracy', heldOutAccuracy: 'accuracy', validationAccuracy: 'accuracy',
  reward: 'reward', meanReward: 'reward', score: 'reward',
  kl: 'kl', meanKl: 'kl', klDivergence: 'kl',
};
const chartsEl = document.getElementById('charts');
Object.values(charts).forEach((c) => chartsEl.appendChild(c.element));
const samples = document.getElementById('samples');
const live = document.getElementById('live');
const cancel = document.getElementById('cancel');
document.getElementById('labels-link').href = `/api/cycles/${encodeURIComponent(id)}/labels`;

function showCycle(c) {
  const state = document.getElementById('state');
  state.textContent = c.state;
  state.className = `state-${c.state}`;
  document.getElementById('reason').textContent = c.failureReason || '';
  document.getElementById('summary').textContent =
    `Started ${when(c.createdAt)} by ${c.createdBy}; snapshot of ${c.snapshot.demonstrations} demonstrations and ${c.snapshot.rankings} rankings.`;
  cancel.hidden = c.state !== 'RUNNING';
  document.getElementById('runs').replaceChildren(...c.runs.map((r) => h('tr', {},
    h('td', {}, r.stage), h('td', { class: `state-${r.state}` }, r.state), h('td', {}, r.baseVersion || ''),
    h('td', {}, r.rewardVersion || ''),
    h('td', {}, r.producedVersion ? h('a', { href: `/models/?version=${encodeURIComponent(r.producedVersion)}` }, r.producedVersion) : ''),
    h('td', {}, r.failureReason || ''))));
}

function showProgress(p) {
  for (const [name, value] of Object.entries(p.metrics)) {
    const chart = charts[METRIC_CHART[name]];
    if (chart) chart.add(`${p.stage} ${name}`, p.step, value);
  }
  for (const text of p.samples) {
    samples.prepend(h('li', {}, h('small', {}, `${p.stage} step ${p.step}: `), text));
  }
  while (samples.children.length > 12) samples.lastChild.remove();
  live.textContent = `${p.stage} step ${p.step} of ${p.totalSteps}`;
}

cancel.addEventListener('click', async () => {
  if (!confirm('Cancel this cycle? The running stage stops and publishes nothing.')) return;
  try {
    showCycle(await api(`/api/cycles/${encodeURIComponent(id)}/cancel`, { method: 'POST' }));
  } catch (error) {
    showError(document.getElementById('reason'), error);
  }
});

try {
  showCycle(await api(`/api/cycles/${encodeURIComponent(id)}`));
  // History first (a reload shows everything), then the live stream from the last row seen.
  const history = await api(`/api/cycles/${encodeURIComponent(id)}/progress`);
  history.forEach(showProgress);
  const after = history.length ? history[history.length - 1].id : 0;
  const stream = new EventSource(`/api/cycles/${encodeURIComponent(id)}/events?after=${after}`);
  stream.addEventListener('progress', (e) => showProgress(JSON.parse(e.data)));
  stream.addEventListener('cycle', (e) => showCycle(JSON.parse(e.data)));
  stream.addEventListener('end', () => {
    stream.close();
    live.textContent = 'finished';
  });
} catch (error) {
  showError(document.getElementById('reason'), error);
}
