// The admin page's event outbox: how many events wait for the broker, and the ones it refused for
// good (too large, say), parked with the reason so that they block nothing. Once the cause is
// fixed, an admin sends a parked event again. Loaded beside admin.js; reads /api/admin/outbox.
import { api } from '/js/api.js';
import { formatDate, h, replace } from '/js/dom.js';
import { announce } from '/js/session.js';

function parkedRow(event) {
  const again = h('button', {
    type: 'button',
    'aria-label': `Send event ${event.eventId} again`,
    onclick: async () => {
      try {
        show(await api(`/api/admin/outbox/${encodeURIComponent(event.id)}/send-again`, { method: 'POST' }));
        announce(`Event ${event.eventId} is back in line for the broker.`);
      } catch (e) {
        announce(e.message, 'error');
      }
    },
  }, 'Send again');
  return h('tr', { 'data-event': event.eventId },
    h('td', { 'data-title': 'Event' }, `${event.eventType} ${event.eventId}`),
    h('td', { 'data-title': 'Topic' }, event.topic),
    h('td', { 'data-title': 'Size' }, `${Math.ceil(event.payloadBytes / 1024)} KB`),
    h('td', { 'data-title': 'Parked' }, formatDate(event.parkedAt)),
    h('td', { 'data-title': 'Reason' }, event.reason),
    h('td', {}, again));
}

function show(backlog) {
  document.getElementById('outbox-summary').textContent =
    `${backlog.unsent} event(s) waiting for the broker; ${backlog.parked} parked.`;
  replace(document.getElementById('parked'), backlog.parkedEvents.length
    ? backlog.parkedEvents.map(parkedRow)
    : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, 'No parked events.')));
}

api('/api/admin/outbox').then(show).catch((e) => announce(e.message, 'error'));
