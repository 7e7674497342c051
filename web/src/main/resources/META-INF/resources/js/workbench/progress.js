// The contractor's own numbers: what they did in this browser session, and their totals.
import { api } from '../api.js';
import { h, replace } from '../dom.js';

let doneThisSession = 0;

export function countSubmission() {
  doneThisSession += 1;
}

export async function renderProgress(el) {
  const s = await api('/api/me/statistics');
  const minutes = Math.round((s.timeSpentMs || 0) / 60000);
  replace(
    el,
    h('span', {}, h('strong', { class: 'session-count' }, String(doneThisSession)), ' this session'),
    h(
      'span',
      { class: 'totals' },
      `All time: ${s.demonstrations} responses, ${s.rankings} rankings, ${s.skipped} skipped, ${minutes} min`,
    ),
  );
}
