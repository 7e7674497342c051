// The data browser: labels with filters, newest first. Label texts (and a rating's completion) are
// untrusted text.
import { api, query } from '../api.js';
import { field, formatDate, h, replace } from '../dom.js';
import { announce } from '../session.js';
import { currentProject, projectName } from './context.js';
import { table } from './table.js';

const PAGE_SIZE = 50;

export function labelsPage(el) {
  // Pages go by cursor (the last label's createdAt_id), which costs the same on any page; the
  // cursors of the pages before this one take the browser back.
  let cursors = [];
  const type = h('select', {}, h('option', { value: '' }, 'Any'), h('option', { value: 'DEMONSTRATION' }, 'Demonstrations'), h('option', { value: 'RANKING' }, 'Rankings'), h('option', { value: 'RATING' }, 'Ratings'));
  const from = h('input', { type: 'date' });
  const to = h('input', { type: 'date' });
  const contractor = h('input', { placeholder: 'username' });
  const version = h('input', { type: 'number', min: '1' });
  const filters = h(
    'form',
    { class: 'filters' },
    field('Type', type),
    field('From', from),
    field('To', to),
    field('Contractor', contractor),
    field('Guideline version', version),
    h('button', { type: 'submit', class: 'primary' }, 'Filter'),
  );
  const results = h('section', { class: 'results' });
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    cursors = [];
    load().catch((e) => announce(e.message, 'error'));
  });

  async function load() {
    const labels = await api(
      `/api/labels${query({
        project: currentProject(),
        type: type.value,
        from: from.value,
        to: to.value,
        contractor: contractor.value.trim(),
        guidelineVersion: version.value,
        limit: PAGE_SIZE,
        after: cursors.length ? cursors[cursors.length - 1] : '',
      })}`,
    );
    const first = cursors.length * PAGE_SIZE;
    replace(
      results,
      table('Labels, newest first', [
        { title: 'When', value: (l) => formatDate(l.createdAt) },
        { title: 'Type', value: (l) => (l.allBad ? 'ranking (all bad)' : l.type.toLowerCase()) },
        { title: 'Project', value: (l) => projectName(l.projectId) },
        { title: 'Contractor', value: (l) => l.contractor },
        { title: 'Guidelines', value: (l) => `v${l.guidelineVersion}` },
        { title: 'Time', value: (l) => (l.timeSpentMs == null ? '' : `${Math.round(l.timeSpentMs / 1000)} s`) },
        { title: 'Text', value: (l) => h('div', { class: 'untrusted clamp', text: l.text || '' }) },
        { title: 'Details', value: (l) => (l.rating ? rating(l.rating) : ranks(l)) },
      ], labels, 'No labels match.'),
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', disabled: cursors.length === 0, onclick: () => { cursors.pop(); load(); } }, 'Newer'),
        h('span', {}, `${first + 1}–${first + labels.length}`),
        h('button', { type: 'button', disabled: labels.length < PAGE_SIZE, onclick: () => { cursors.push(cursor(labels[labels.length - 1])); load(); } }, 'Older'),
      ),
    );
  }

  el.append(filters, results);
  return { ready: load() };
}

/** Where a label stands in the newest-first order (the service's LabelQueries.cursor). */
function cursor(label) {
  return `${label.createdAt}_${label.id}`;
}

function ranks(label) {
  if (!label.ranks) return '';
  return h('ol', { class: 'ranks' }, label.ranks.map((r) => h('li', { text: `#${r.rank} ${String(r.completionId).slice(0, 8)}` })));
}

/** A rating's scores (– when not given), its flags and the policy version of the completion. */
function rating(r) {
  const score = (v) => (v == null ? '–' : String(v));
  return h(
    'dl',
    { class: 'rating' },
    h('dt', {}, 'Helpful'), h('dd', { text: score(r.helpful) }),
    h('dt', {}, 'Truthful'), h('dd', { text: score(r.truthful) }),
    h('dt', {}, 'Harmless'), h('dd', { text: score(r.harmless) }),
    h('dt', {}, 'Flags'), h('dd', { class: 'flags', text: r.flags.length ? r.flags.join(', ') : 'none' }),
    h('dt', {}, 'Policy'), h('dd', { text: r.policyVersion || '' }),
  );
}
