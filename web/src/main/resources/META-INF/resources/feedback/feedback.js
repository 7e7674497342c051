// A contractor's feedback: their reviewed labels with the outcome, the reason and any correction.
import { api } from '/js/api.js';
import { h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe } from '/js/session.js';

const OUTCOMES = { ACCEPTED: 'accepted', REJECTED: 'rejected', CORRECTED: 'corrected' };

async function start() {
  const me = await requireMe(['contractor']);
  renderAccount(document.getElementById('account'), me);
  const reviews = await api('/api/me/reviews');
  // data-title labels each cell where a phone shows the rows as cards (see /css/app.css).
  const cell = (title, value, cls) => h('td', { 'data-title': title, class: cls }, value ?? '');
  replace(document.getElementById('reviews'), ...reviews.map((r) => h('tr', { 'data-label': r.labelId },
    cell('Reviewed', new Date(r.reviewedAt).toLocaleString()),
    cell('Project', r.projectName),
    cell('Prompt', r.prompt, 'untrusted'),
    cell('Your answer', r.answer, 'untrusted'),
    cell('Outcome', OUTCOMES[r.outcome] ?? r.outcome, `outcome outcome-${r.outcome.toLowerCase()}`),
    cell('Reason', r.reason, 'untrusted reason'),
    cell('Correction', r.correctedResponse ?? (r.correctedRanks ? 'a new order of the completions' : ''),
      'untrusted'))));
  announce(reviews.length ? '' : 'None of your labels has been reviewed yet.');
}

start().catch((e) => announce(e.message, 'error'));
