// Which trainers and runtimes are up, and on which device (GET /api/workers), refreshed.
import { api, query } from '../api.js';
import { formatDate, h, replace } from '../dom.js';
import { table } from './table.js';

export function workersPage(el) {
  const offline = h('input', { type: 'checkbox', id: 'include-offline' });
  const list = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const workers = await api(`/api/workers${query({ includeOffline: offline.checked ? 'true' : '' })}`);
    replace(
      list,
      table('Workers', [
        { title: 'Service', value: (w) => w.service },
        { title: 'Device', value: (w) => w.device },
        { title: 'Worker', value: (w) => w.workerId },
        { title: 'Started', value: (w) => formatDate(w.startedAt) },
        { title: 'Last seen', value: (w) => formatDate(w.lastSeenAt) },
      ], workers, offline.checked ? 'No worker has ever reported.' : 'No worker is online.'),
    );
  };
  offline.addEventListener('change', () => load());
  el.append(h('label', { class: 'check' }, offline, ' Include workers gone offline'), list);
  const timer = setInterval(() => load().catch(() => {}), 10000);
  return { ready: load(), dispose: () => clearInterval(timer) };
}
