// Dataset downloads as JSON Lines: SFT conversations, preference pairs, ratings of completions.
import { query } from '../api.js';
import { field, h } from '../dom.js';
import { currentProject, projectName } from './context.js';

export function exportsPage(el) {
  const project = currentProject();
  el.append(
    h('p', {}, project ? h('span', {}, 'From ', h('strong', { text: projectName(project) }), '.') : 'From every project.'),
    exportForm('SFT demonstrations', 'sft', 'sft.jsonl', false, project),
    exportForm('Preference pairs', 'preferences', 'preferences.jsonl', true, project),
    exportForm('Ratings and flags', 'ratings', 'ratings.jsonl', false, project),
  );
  return {};
}

function exportForm(title, kind, filename, withAgreement, project) {
  const from = h('input', { type: 'date' });
  const to = h('input', { type: 'date' });
  const version = h('input', { type: 'number', min: '1' });
  const agreement = withAgreement ? h('input', { type: 'number', min: '0', max: '1', step: '0.05' }) : null;
  const link = h('a', { class: 'button primary', download: filename }, `Download ${filename}`);
  const update = () => {
    link.href = `/api/exports/${kind}${query({
      project,
      from: from.value,
      to: to.value,
      guidelineVersion: version.value,
      minAgreement: agreement?.value,
    })}`;
  };
  const form = h(
    'form',
    { class: 'export' },
    h('h2', {}, title),
    h('div', { class: 'grid' }, field('From', from), field('To', to), field('Guideline version', version),
      agreement ? field('Minimum ranker agreement (0–1)', agreement) : null),
    link,
  );
  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  update();
  return form;
}
