// Volume, queue depth and who is working: GET /api/statistics, charted with Chart.js.
import { api, query } from '../api.js';
import { h } from '../dom.js';
import { currentProject } from './context.js';
import { table } from './table.js';

const TYPES = ['DEMONSTRATION', 'RANKING'];

export function dashboardPage(el) {
  const charts = [];
  const ready = api(`/api/statistics${query({ project: currentProject() })}`).then((s) => {
    const agreement =
      s.rankingAgreement?.meanAgreement == null
        ? 'not measured yet'
        : `${(s.rankingAgreement.meanAgreement * 100).toFixed(0)}% over ${s.rankingAgreement.tasksMeasured} tasks`;
    el.append(
      h(
        'dl',
        { class: 'tiles' },
        tile('Prompts', s.prompts),
        tile('Demonstrations', s.demonstrations),
        tile('Rankings', s.rankings),
        tile('Informative preference pairs', s.informativePairs),
        tile('Ratings', s.ratings),
        tile('Active contractors (24 h)', s.activeContractorsLast24h),
        tile('Ranking agreement', agreement),
      ),
    );
    const days = [...new Set(s.perDay.map((d) => d.day))];
    const perDay = h('canvas', { role: 'img', 'aria-label': 'Labels per day and type, table below' });
    const queue = h('canvas', { role: 'img', 'aria-label': 'Queue depth per task type, table below' });
    el.append(
      h(
        'div',
        { class: 'charts' },
        h(
          'section',
          { class: 'chart' },
          h('h2', {}, 'Labels per day'),
          h('div', { class: 'chart-box' }, perDay),
          h(
            'details',
            {},
            h('summary', {}, 'As a table'),
            table('Labels per day and type', [
              { title: 'Day', value: (d) => d.day },
              { title: 'Type', value: (d) => d.type },
              { title: 'Labels', value: (d) => String(d.count) },
            ], s.perDay, 'No labels yet.'),
          ),
        ),
        h(
          'section',
          { class: 'chart' },
          h('h2', {}, 'Queue depth'),
          h('div', { class: 'chart-box' }, queue),
          table('Open tasks per type', [
            { title: 'Type', value: (q) => q.type },
            { title: 'Open tasks', value: (q) => String(q.openTasks) },
            { title: 'Answers still wanted', value: (q) => String(q.openSlots) },
          ], s.queue, 'The queue is empty.'),
        ),
      ),
      h(
        'section',
        { class: 'flag-counts' },
        h('h2', {}, 'Flags'),
        table('Ratings carrying each flag', [
          { title: 'Flag', value: ([flag]) => flag },
          { title: 'Ratings', value: ([, count]) => String(count) },
        ], Object.entries(s.flags || {}), 'No flags yet.'),
      ),
    );
    if (!window.Chart) return;
    charts.push(
      new window.Chart(perDay, {
        type: 'bar',
        data: {
          labels: days,
          datasets: TYPES.map((type) => ({
            label: type.toLowerCase(),
            data: days.map((day) => s.perDay.find((d) => d.day === day && d.type === type)?.count || 0),
          })),
        },
        options: { maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
      }),
      new window.Chart(queue, {
        type: 'bar',
        data: {
          labels: s.queue.map((q) => q.type.toLowerCase()),
          datasets: [
            { label: 'open tasks', data: s.queue.map((q) => q.openTasks) },
            { label: 'answers still wanted', data: s.queue.map((q) => q.openSlots) },
          ],
        },
        options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
      }),
    );
  });
  return { ready, dispose: () => charts.forEach((c) => c.destroy()) };
}

function tile(label, value) {
  return h('div', { class: 'tile' }, h('dt', {}, label), h('dd', { text: String(value) }));
}
