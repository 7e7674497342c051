import { api, h, showError, when } from '/cycles/ui.js';

const message = document.getElementById('message');
const lineage = document.getElementById('lineage');
const enc = encodeURIComponent;

async function showLabels(version) {
  try {
    const labels = await api(`/api/models/${enc(version)}/labels`);
    lineage.replaceChildren(
      h('h3', {}, `Labels that made ${version} (${labels.length})`),
      h('table', {}, h('thead', {}, h('tr', {}, ['Event', 'Type', 'Trained into', 'Prompt', 'Response', 'Contractor'].map((t) => h('th', {}, t)))),
        h('tbody', {}, labels.map((l) => h('tr', {},
          h('td', {}, h('code', {}, l.eventId)), h('td', {}, l.type || ''), h('td', {}, l.trainedVersion || ''),
          h('td', {}, l.prompt || ''), h('td', {}, l.response || ''), h('td', {}, l.contractor || ''))))));
  } catch (error) {
    showError(lineage, error);
  }
}

async function promote(version) {
  if (!confirm(`Serve ${version} as the default policy?`)) return;
  try {
    const done = await api(`/api/models/${enc(version)}/promote`, { method: 'POST' });
    message.textContent = `${done.version} promoted; ${done.completionRequests} prompts get fresh completions to rank.`;
    await load();
  } catch (error) {
    showError(message, error);
  }
}

async function load() {
  const body = document.getElementById('versions');
  try {
    const versions = await api('/api/models');
    body.replaceChildren(...versions.map((v) => h('tr', {},
      h('td', {}, v.version, v.served ? h('strong', {}, ' (served)') : null),
      h('td', {}, v.kind), h('td', {}, v.parentVersion || ''), h('td', {}, v.rewardVersion || ''),
      h('td', {}, v.stage || '', v.cycleId ? h('div', {}, h('a', { href: `/cycles/cycle.html?id=${enc(v.cycleId)}` }, 'cycle')) : null),
      h('td', {}, `${v.labels.demonstrations} demonstrations, ${v.labels.rankings} rankings `,
        h('button', { type: 'button', onclick: () => showLabels(v.version) }, 'list')),
      h('td', {}, Object.entries(v.metrics || {}).map(([k, x]) => `${k} ${Number(x).toPrecision(3)}`).join(', ')),
      h('td', {}, when(v.publishedAt)),
      h('td', {}, v.kind === 'POLICY' ? h('button', { type: 'button', onclick: () => promote(v.version) }, 'Promote') : ''))));
  } catch (error) {
    showError(body, error);
  }
}

document.getElementById('label-lookup').addEventListener('submit', async (event) => {
  event.preventDefault();
  const eventId = new FormData(event.target).get('eventId').trim();
  try {
    const versions = await api(`/api/labels/${enc(eventId)}/versions`);
    lineage.replaceChildren(h('h3', {}, `Versions label ${eventId} influenced`),
      h('ul', {}, versions.map((v) => h('li', {}, `${v.version} (${v.kind}, ${v.direct ? 'trained on it' : 'through its lineage'})`))));
  } catch (error) {
    showError(lineage, error);
  }
});

await load();
const wanted = new URLSearchParams(location.search).get('version');
if (wanted) await showLabels(wanted);
