// Contractor quality (GET /api/quality/contractors): the project's agreement figures, one row per
// contractor, and one contractor's gold accuracy and agreement per day, charted.
import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { currentProject } from './context.js';
import { table } from './table.js';

const percent = (x) => (x == null ? '–' : `${(x * 100).toFixed(0)}%`);
const number = (x, digits = 2) => (x == null ? '–' : x.toFixed(digits));

export function qualityPage(el) {
  let chart = null;
  const ready = api(`/api/quality/contractors${query({ project: currentProject() })}`).then((q) => {
    const p = q.project;
    const rule = q.rule;
    el.append(
      h(
        'dl',
        { class: 'tiles' },
        tile('Contractors', String(p.contractors)),
        tile('Rankings (gold answers apart)', String(p.rankings)),
        tile('Tasks ranked by two or more', String(p.sharedTasks)),
        tile('Pairwise agreement', percent(p.pairwiseAgreement)),
        tile("Kendall's tau", number(p.kendallTau)),
        tile('Gold accuracy', `${percent(p.goldAccuracy)} of ${p.goldAnswers} answers`),
        ...Object.entries(p.ratingAlpha || {}).map(([axis, a]) => tile(`Alpha, ${axis} (ordinal)`, number(a))),
        tile('Median time per task', p.medianSecondsPerTask == null ? '–' : `${p.medianSecondsPerTask.toFixed(0)} s`),
      ),
      h(
        'p',
        { class: 'notice' },
        `Under threshold: gold accuracy below ${percent(rule.minGoldAccuracy)} or agreement below ${percent(rule.minAgreement)}, `
          + `with ${percent(rule.confidence)} confidence given the gold answers and comparisons behind the figure; `
          + (rule.belowThreshold === 'EXCLUDE'
            ? 'such contractors are left out of consensus.'
            : `their rankings count at most ${rule.downWeight} in consensus, less the further under they are (0 at chance).`),
      ),
      table('Contractor quality', [
        { title: 'Contractor', value: (c) => c.username },
        { title: 'Rankings', value: (c) => String(c.rankings) },
        { title: 'Demonstrations', value: (c) => String(c.demonstrations) },
        { title: 'Gold answers', value: (c) => String(c.goldAnswers) },
        { title: 'Gold accuracy', value: (c) => percent(c.goldAccuracy) },
        { title: 'Agreement with peers', value: (c) => percent(c.pairwiseAgreement) },
        { title: "Kendall's tau", value: (c) => number(c.kendallTau) },
        { title: 'Median s / task', value: (c) => number(c.medianSecondsPerTask, 0) },
        { title: 'Review acceptance', value: (c) => percent(c.reviewAcceptanceRate) },
        { title: 'Trust weight', value: (c) => number(c.trustWeight) },
        { title: 'Status', value: (c) => (c.underThreshold ? `under threshold: ${(c.underThresholdOn || []).map(figureName).join(', ')}` : 'ok') },
      ], q.contractors, 'No contractor has answered here yet.'),
    );
    if (!q.contractors.length) return;
    const who = h('select', { id: 'quality-contractor' }, q.contractors.map((c) => h('option', { value: c.contractorId, text: c.username })));
    const canvas = h('canvas', { role: 'img', 'aria-label': 'Gold accuracy and agreement per day, table below' });
    const days = h('div');
    const show = () => {
      const c = q.contractors.find((x) => x.contractorId === who.value);
      replace(days, table(`${c.username} per day`, [
        { title: 'Day', value: (d) => d.day },
        { title: 'Answers', value: (d) => String(d.rankings) },
        { title: 'Gold accuracy', value: (d) => percent(d.goldAccuracy) },
        { title: 'Agreement', value: (d) => percent(d.pairwiseAgreement) },
      ], c.history, 'No rankings yet.'));
      chart?.destroy();
      if (!window.Chart) return;
      chart = new window.Chart(canvas, {
        type: 'line',
        data: {
          labels: c.history.map((d) => d.day),
          datasets: [
            { label: 'gold accuracy', data: c.history.map((d) => d.goldAccuracy), spanGaps: true },
            { label: 'agreement', data: c.history.map((d) => d.pairwiseAgreement), spanGaps: true },
          ],
        },
        options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 1 } } },
      });
    };
    who.addEventListener('change', show);
    el.append(
      h(
        'section',
        { class: 'chart' },
        h('h2', {}, 'Over time'),
        h('div', { class: 'field inline' }, h('label', { for: 'quality-contractor' }, 'Contractor'), who),
        h('div', { class: 'chart-box' }, canvas),
        h('details', {}, h('summary', {}, 'As a table'), days),
      ),
    );
    show();
  });
  return { ready, dispose: () => chart?.destroy() };
}

function figureName(figure) {
  return figure === 'goldAccuracy' ? 'gold accuracy' : figure === 'pairwiseAgreement' ? 'agreement' : figure;
}

function tile(label, value) {
  return h('div', { class: 'tile' }, h('dt', {}, label), h('dd', { text: value }));
}
