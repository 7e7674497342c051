// The reviewer's queue: each label with its task and the guidelines it was made under; accept,
// reject with a reason, or correct it (a new response, or a new order of the completions). And the
// contractors under watch, whose every label comes to review. An answer to a gold demonstration task
// is scored on its checklist, item by item (met / not met), before the decision.
import { api, query } from '/js/api.js';
import { h, replace, uid } from '/js/dom.js';
import { announce, renderAccount, requireMe } from '/js/session.js';

const queueEl = document.getElementById('queue');
const projectSelect = document.getElementById('project');

async function start() {
  const me = await requireMe(['reviewer', 'admin']);
  renderAccount(document.getElementById('account'), me);
  const projects = await api('/api/projects');
  replace(projectSelect, h('option', { value: '' }, 'All projects'),
    ...projects.map((p) => h('option', { value: p.id }, p.name)));
  // ?project= opens one project's queue (the console links it so).
  const wanted = new URLSearchParams(location.search).get('project');
  if (wanted && projects.some((p) => p.id === wanted)) projectSelect.value = wanted;
  projectSelect.addEventListener('change', () => refresh().catch((e) => announce(e.message, 'error')));
  document.getElementById('watch-form').addEventListener('submit', (event) => {
    event.preventDefault();
    watch().catch((e) => announce(e.message, 'error'));
  });
  await Promise.all([refresh(), refreshWatched()]);
}

async function refresh() {
  const items = await api(`/api/reviews/queue${query({ project: projectSelect.value, limit: 20 })}`);
  replace(queueEl, ...items.map(renderItem));
  announce(items.length ? `${items.length} ${items.length === 1 ? 'label' : 'labels'} to review.` : 'Nothing to review.');
}

function renderItem(item) {
  const turns = item.conversation.map((turn) =>
    h('div', { class: `turn turn-${turn.role.toLowerCase()}` },
      h('span', { class: 'role' }, turn.role.toLowerCase()),
      h('div', { class: 'untrusted' }, turn.text)));
  const guidelines = h('details', {},
    h('summary', {}, `Guidelines version ${item.guidelineVersion}`),
    h('pre', { class: 'untrusted' }, item.guidelines ?? '(not found)'));
  return h('article', { class: 'card review-item', 'data-label': item.labelId },
    h('div', { class: 'row' },
      h('span', { class: 'badge' }, item.labelType.toLowerCase()),
      h('span', { class: 'badge' }, WHY[item.why] || 'sampled'),
      item.gold ? h('span', { class: 'badge gold' }, 'gold task') : null,
      h('strong', {}, item.contractor),
      h('span', { class: 'meta' }, `${item.projectName} · ${new Date(item.createdAt).toLocaleString()}`)),
    guidelines,
    h('div', { class: 'conversation' }, ...turns),
    item.labelType === 'DEMONSTRATION' ? demonstrationAnswer(item) : rankingAnswer(item),
    controls(item));
}

const WHY = { WATCHED: 'contractor under watch', GOLD: 'gold answer to score', SAMPLED: 'sampled' };

function demonstrationAnswer(item) {
  return h('div', {},
    h('h3', {}, 'Response'),
    h('div', { class: 'untrusted response' }, item.response));
}

function rankingAnswer(item) {
  const ranked = [...item.completions].sort((a, b) => a.rank - b.rank);
  return h('div', {},
    h('h3', {}, item.allBad ? 'Ranking: all bad' : 'Ranking, best first'),
    h('ol', {}, ...ranked.map((c) => h('li', {},
      h('span', { class: 'badge' }, `rank ${c.rank}`), ' ', h('span', { class: 'untrusted' }, c.text)))),
    item.betterResponse ? h('p', { class: 'untrusted' }, `Better response: ${item.betterResponse}`) : null);
}

function controls(item) {
  const reasonId = uid('reason');
  const reason = h('input', { id: reasonId, type: 'text', class: 'reason' });
  const accept = h('button', { type: 'button', class: 'primary' }, 'Accept');
  const reject = h('button', { type: 'button', class: 'reject' }, 'Reject');
  const correct = h('button', { type: 'button', class: 'correct' }, 'Correct');
  const buttons = [accept, reject, correct];
  const correction = item.labelType === 'DEMONSTRATION'
    ? h('textarea', { rows: 5, class: 'corrected', 'aria-label': 'Corrected response', value: item.response })
    : h('div', { class: 'corrected' }, ...item.completions.map((c) => {
      const id = uid('rank');
      return h('div', { class: 'row' },
        h('input', { id, type: 'number', min: 1, max: item.completions.length, value: c.rank ?? 1, 'data-completion': c.id }),
        h('label', { for: id, class: 'untrusted' }, c.text));
    }));
  const checklist = item.checklist ? checklistScores(item.checklist) : null;
  const decide = async (body) => {
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const scores = checklist ? { checklist: checklist.scores() } : {};
      await api('/api/reviews', { method: 'POST', body: { labelId: item.labelId, ...body, ...scores } });
      await refresh();
      announce(`Label ${body.decision.toLowerCase()}ed.`);
    } catch (e) {
      announce(e.message, 'error');
      buttons.forEach((b) => { b.disabled = false; });
    }
  };
  accept.addEventListener('click', () => decide({ decision: 'ACCEPT', reason: reason.value || null }));
  reject.addEventListener('click', () => decide({ decision: 'REJECT', reason: reason.value }));
  correct.addEventListener('click', () => decide(item.labelType === 'DEMONSTRATION'
    ? { decision: 'CORRECT', reason: reason.value || null, correctedResponse: correction.value }
    : { decision: 'CORRECT', reason: reason.value || null, correctedOrder: order(correction) }));
  return h('div', { class: 'decision' },
    checklist?.element,
    h('div', { class: 'row' }, h('label', { for: reasonId }, 'Reason (required to reject)'), reason),
    h('details', {}, h('summary', {}, 'Correction'), correction),
    h('div', { class: 'row' }, ...buttons));
}

/**
 * The gold checklist, one met / not met choice per item (the researcher's text, shown as text).
 * scores() answers one boolean per item, or null for an item not scored yet (the service refuses).
 */
function checklistScores(items) {
  const groups = items.map((text, i) => {
    const name = uid('item');
    const met = h('input', { type: 'radio', name, value: 'met', id: `${name}-met` });
    const notMet = h('input', { type: 'radio', name, value: 'not-met', id: `${name}-not` });
    const li = h('li', { class: 'checklist-item', 'data-item': i },
      h('span', { class: 'untrusted item-text' }, text), ' ',
      met, h('label', { for: met.id }, 'met'), ' ',
      notMet, h('label', { for: notMet.id }, 'not met'));
    return { li, met, notMet };
  });
  return {
    element: h('fieldset', { class: 'checklist' }, h('legend', {}, 'Gold checklist'), h('ol', {}, ...groups.map((g) => g.li))),
    scores: () => groups.map((g) => (g.met.checked ? true : g.notMet.checked ? false : null)),
  };
}

/** The rank inputs as groups of completion ids, best first; equal numbers tie. */
function order(correction) {
  const byRank = new Map();
  for (const input of correction.querySelectorAll('input[data-completion]')) {
    const rank = Number(input.value);
    if (!byRank.has(rank)) byRank.set(rank, []);
    byRank.get(rank).push(input.dataset.completion);
  }
  return [...byRank.keys()].sort((a, b) => a - b).map((rank) => byRank.get(rank));
}

async function refreshWatched() {
  const watched = await api('/api/watched-contractors');
  replace(document.getElementById('watched'), ...watched.map((w) =>
    h('li', {},
      h('strong', {}, w.username), ` since ${new Date(w.watchedAt).toLocaleDateString()} (${w.watchedBy}): `,
      h('span', { class: 'untrusted' }, w.reason), ' ',
      h('button', { type: 'button', class: 'link', onclick: () => unwatch(w.username) }, 'Stop watching'))));
}

async function watch() {
  const name = document.getElementById('watch-name');
  const reason = document.getElementById('watch-reason');
  await api(`/api/watched-contractors/${encodeURIComponent(name.value.trim())}`,
    { method: 'PUT', body: { reason: reason.value } });
  name.value = '';
  reason.value = '';
  await Promise.all([refreshWatched(), refresh()]);
}

async function unwatch(username) {
  try {
    await api(`/api/watched-contractors/${encodeURIComponent(username)}`, { method: 'DELETE' });
    await Promise.all([refreshWatched(), refresh()]);
  } catch (e) {
    announce(e.message, 'error');
  }
}

start().catch((e) => announce(e.message, 'error'));
