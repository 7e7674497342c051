import { api, h, showError, when } from '/cycles/ui.js';

const form = document.getElementById('start');
const hyper = document.getElementById('hyper');
const result = document.getElementById('start-result');

// Each stage's hyper-parameters, pre-filled with the trainers' defaults; only changed ones are sent.
const defaults = await api('/api/cycles/defaults');
for (const [stage, values] of Object.entries(defaults)) {
  const rows = Object.entries(values).map(([name, value]) =>
    h('label', {}, name, ' ', h('input', { name: `hp:${stage}:${name}`, value, 'data-default': value, size: 8 })));
  hyper.appendChild(h('details', {}, h('summary', {}, `${stage} hyper-parameters`), h('div', { class: 'grid' }, rows)));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const stages = data.getAll('stage');
  const hyperParameters = {};
  for (const input of form.querySelectorAll('input[data-default]')) {
    const [, stage, name] = input.name.split(':');
    if (!stages.includes(stage) || input.value === input.dataset.default) continue;
    (hyperParameters[stage] ||= {})[name] = input.value;
  }
  try {
    const cycle = await api('/api/cycles', {
      method: 'POST',
      body: {
        stages,
        baseVersion: data.get('baseVersion'),
        rewardVersion: data.get('rewardVersion') || null,
        projectId: data.get('projectId') || null,
        hyperParameters,
      },
    });
    location.assign(`/cycles/cycle.html?id=${encodeURIComponent(cycle.id)}`);
  } catch (error) {
    showError(result, error);
  }
});

const body = document.getElementById('cycles');
try {
  for (const c of await api('/api/cycles')) {
    body.appendChild(h('tr', {},
      h('td', {}, h('a', { href: `/cycles/cycle.html?id=${encodeURIComponent(c.id)}` }, when(c.createdAt))),
      h('td', {}, c.createdBy),
      h('td', {}, c.runs.map((r) => r.stage).join(' → ')),
      h('td', { title: c.failureReason || '' }, c.state),
      h('td', {}, `${c.snapshot.demonstrations} demonstrations, ${c.snapshot.rankings} rankings`),
      h('td', {}, c.runs.map((r) => r.producedVersion).filter(Boolean).join(', '))));
  }
} catch (error) {
  showError(body, error);
}
