// The cycles list and the start form: stages, versions, whose labels, and each stage's
// hyper-parameters pre-filled with the trainers' defaults (only changed ones are sent).
import { api } from '/js/api.js';
import { formatDate, h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe, CONSOLE_ROLES } from '/js/session.js';

const WRITERS = ['researcher', 'admin'];
const form = document.getElementById('start');

async function showForm() {
  const [defaults, projects, versions] = await Promise.all([
    api('/api/cycles/defaults'),
    api('/api/projects'),
    api('/api/models'),
  ]);
  const hyper = document.getElementById('hyper');
  for (const [stage, values] of Object.entries(defaults)) {
    const fields = Object.entries(values).map(([name, value]) =>
      h('label', { class: 'hyper-parameter' }, h('span', {}, name),
        h('input', { name: `hp:${stage}:${name}`, value, 'data-default': value, size: 8 })));
    hyper.appendChild(h('details', { 'data-stage': stage },
      h('summary', {}, `${stage} hyper-parameters`), h('div', { class: 'grid' }, fields)));
  }
  document.getElementById('project-id').append(...projects.map((p) => h('option', { value: p.id }, p.name)));
  const options = (kind) => versions.filter((v) => v.kind === kind).map((v) => h('option', { value: v.version }));
  replace(document.getElementById('policy-versions'), options('POLICY'));
  replace(document.getElementById('reward-versions'), options('REWARD'));
  document.getElementById('start-section').hidden = false;
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
        baseVersion: data.get('baseVersion').trim(),
        rewardVersion: data.get('rewardVersion').trim() || null,
        projectId: data.get('projectId') || null,
        hyperParameters,
        rewardGateOverride: data.get('rewardGateOverride').trim() || null,
        snapshot: {
          reviewedOnly: data.get('reviewedOnly') === 'on',
          includeArenaVotes: data.get('includeArenaVotes') === 'on',
          guidelineVersion: data.get('guidelineVersion') ? Number(data.get('guidelineVersion')) : null,
          from: data.get('from') || null,
          to: data.get('to') || null,
          contractors: data.get('contractors').split(',').map((c) => c.trim()).filter((c) => c),
          minAgreement: data.get('minAgreement') ? Number(data.get('minAgreement')) : null,
          minGoldAccuracy: data.get('minGoldAccuracy') ? Number(data.get('minGoldAccuracy')) : null,
        },
        consensus: data.get('consensusMethod')
          ? { method: data.get('consensusMethod'), belowThreshold: data.get('consensusBelow') }
          : null,
      },
    });
    location.assign(`/cycles/cycle.html?id=${encodeURIComponent(cycle.id)}`);
  } catch (error) {
    announce(error.message, 'error');
  }
});

async function showCycles() {
  const rows = (await api('/api/cycles')).map((c) => h('tr', {},
    h('td', { 'data-title': 'Started' },
      h('a', { href: `/cycles/cycle.html?id=${encodeURIComponent(c.id)}` }, formatDate(c.createdAt))),
    h('td', { 'data-title': 'By' }, c.createdBy),
    h('td', { 'data-title': 'Stages' }, c.runs.map((r) => r.stage).join(' → ')),
    h('td', { 'data-title': 'State', class: `state-${c.state}`, title: c.failureReason || '' }, c.state),
    h('td', { 'data-title': 'Snapshot' }, `${c.snapshot.demonstrations} demonstrations, ${c.snapshot.rankings} rankings, ${c.snapshot.informativePairs} informative pairs`,
      c.warnings.length ? h('div', { class: 'error', title: c.warnings.join('\n') }, 'warned at start') : null),
    h('td', { 'data-title': 'Versions' }, c.runs.map((r) => r.producedVersion).filter(Boolean).join(', '))));
  replace(document.getElementById('cycles'),
    rows.length ? rows : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No cycles yet.')));
}

async function start() {
  const me = await requireMe(CONSOLE_ROLES);
  renderAccount(document.getElementById('account'), me);
  await Promise.all([WRITERS.some((r) => me.roles.includes(r)) ? showForm() : null, showCycles()]);
}

start().catch((e) => announce(e.message, 'error'));
