// Dataset downloads as JSON Lines: SFT conversations, preference pairs, ratings of completions.
// SFT and preferences take the filter training snapshots take (rejected labels and gold answers are
// always left out; arena votes unless asked for).
import { query } from '../api.js';
import { field, h } from '../dom.js';
import { currentProject, projectName } from './context.js';

export function exportsPage(el) {
  const project = currentProject();
  el.append(
    h('p', {}, project ? h('span', {}, 'From ', h('strong', { text: projectName(project) }), '.') : 'From every project.'),
    exportForm('SFT demonstrations', 'sft', 'sft.jsonl', { dataset: true }, project),
    exportForm('Preference pairs', 'preferences', 'preferences.jsonl', { dataset: true, rankings: true }, project),
    exportForm('Ratings and flags', 'ratings', 'ratings.jsonl', {}, project),
  );
  return {};
}

function exportForm(title, kind, filename, { dataset = false, rankings = false }, project) {
  const from = h('input', { type: 'date' });
  const to = h('input', { type: 'date' });
  const version = h('input', { type: 'number', min: '1' });
  const agreement = rankings ? h('input', { type: 'number', min: '0', max: '1', step: '0.05' }) : null;
  const arena = rankings ? h('input', { type: 'checkbox', class: 'include-arena' }) : null;
  const contractors = dataset ? h('input', { type: 'text', class: 'contractors' }) : null;
  const reviewed = dataset ? h('input', { type: 'checkbox', class: 'reviewed-only' }) : null;
  const gold = dataset ? h('input', { type: 'number', min: '0', max: '1', step: '0.05', class: 'min-gold' }) : null;
  const link = h('a', { class: 'button primary', download: filename }, `Download ${filename}`);
  const update = () => {
    link.href = `/api/exports/${kind}${query({
      project,
      from: from.value,
      to: to.value,
      guidelineVersion: version.value,
      minAgreement: agreement?.value,
      contractor: contractors?.value.trim(),
      reviewedOnly: reviewed?.checked ? 'true' : '',
      includeArenaVotes: arena?.checked ? 'true' : '',
      minGoldAccuracy: gold?.value,
    })}`;
  };
  const form = h(
    'form',
    { class: 'export' },
    h('h2', {}, title),
    h('div', { class: 'grid' }, field('From', from), field('To', to), field('Guideline version', version),
      agreement ? field('Minimum ranker agreement (0–1)', agreement) : null,
      contractors ? field('Contractors (comma-separated; empty: all)', contractors) : null,
      gold ? field('Leave out contractors with gold accuracy below (0–1)', gold) : null,
      reviewed ? field('Reviewed labels only', reviewed) : null,
      arena ? field('Include blind arena votes', arena) : null),
    link,
  );
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  update();
  return form;
}
