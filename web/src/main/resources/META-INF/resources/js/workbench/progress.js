// The contractor's own numbers: this browser session, today (UTC), and all time.
import { api } from '../api.js';
import { h, replace } from '../dom.js';

let doneThisSession = 0;

export function countSubmission() {
  doneThisSession += 1;
}

export async function renderProgress(el) {
  const s = await api('/api/me/statistics');
  const minutes = Math.round((s.timeSpentMs || 0) / 60000);
  const today = s.today;
  const todayMinutes = Math.round((today.timeSpentMs || 0) / 60000);
  replace(
    el,
    h('span', {}, h('strong', { class: 'session-count' }, String(doneThisSession)), ' this session'),
    h(
      'span',
      { class: 'today' },
      `Today: ${today.demonstrations} responses, ${today.rankings} rankings, ${today.skipped} skipped, ${todayMinutes} min`,
    ),
    h(
      'span',
      { class: 'totals' },
      `All time: ${s.demonstrations} responses, ${s.rankings} rankings, ${s.skipped} skipped, ${minutes} min`,
    ),
  );
}
