// A project's members, task caps and review rate (console, Projects page).
import { api } from '../api.js';
import { field, formatDate, h, replace } from '../dom.js';
import { announce } from '../session.js';
import { table } from './table.js';

/** The section for one project; re-renders itself after each change. */
export async function accessSection(projectId) {
  const section = h('section', { class: 'project-access', 'aria-label': 'Members, caps and review' });
  await render(section, projectId);
  return section;
}

async function render(section, projectId) {
  const [access, members, rate] = await Promise.all([
    api(`/api/projects/${projectId}/access`),
    api(`/api/projects/${projectId}/members`),
    api(`/api/projects/${projectId}/review-rate`),
  ]);
  const again = () => render(section, projectId).catch((e) => announce(e.message, 'error'));
  const run = (action, message) => async (event) => {
    event?.preventDefault();
    try {
      await action();
      announce(message);
      await again();
    } catch (e) {
      announce(e.message, 'error');
    }
  };

  const username = h('input', { autocomplete: 'off', required: true });
  const add = h('form', { class: 'inline-form add-member' },
    field('Add a contractor', username, 'The first member makes the project members-only.'),
    h('button', { type: 'submit' }, 'Add member'));
  add.addEventListener('submit', run(
    () => api(`/api/projects/${projectId}/members/${encodeURIComponent(username.value.trim())}`, { method: 'PUT' }),
    'Member added.'));

  const membersOnly = h('input', { type: 'checkbox', checked: access.membersOnly });
  const hourly = h('input', { type: 'number', min: '0', value: String(access.hourlyTaskCap ?? 0) });
  const daily = h('input', { type: 'number', min: '0', value: String(access.dailyTaskCap ?? 0) });
  const rules = h('form', { class: 'inline-form access-rules' },
    field('Members only', membersOnly),
    field('Tasks per contractor per hour (0: no cap)', hourly),
    field('Tasks per contractor per 24 hours (0: no cap)', daily),
    h('button', { type: 'submit' }, 'Save access'));
  rules.addEventListener('submit', run(() => api(`/api/projects/${projectId}/access`, {
    method: 'PATCH',
    body: { membersOnly: membersOnly.checked, hourlyTaskCap: Number(hourly.value), dailyTaskCap: Number(daily.value) },
  }), 'Access saved.'));

  const share = h('input', { type: 'number', min: '0', max: '100', step: '1', value: String(Math.round(rate.reviewRate * 100)) });
  const review = h('form', { class: 'inline-form review-rate' },
    field('Labels sampled for review (%)', share, rate.serviceDefault ? 'The service default until you set one.' : null),
    h('button', { type: 'submit' }, 'Save review rate'));
  review.addEventListener('submit', run(() => api(`/api/projects/${projectId}/review-rate`, {
    method: 'PUT', body: { reviewRate: Number(share.value) / 100 },
  }), 'Review rate saved.'));

  replace(section,
    h('h3', {}, 'Members and task caps'),
    h('p', {}, access.membersOnly
      ? `Only the ${access.members} members draw this project's tasks.`
      : 'Every contractor draws this project\'s tasks.'),
    table('Members', [
      { title: 'Contractor', value: (m) => m.username },
      { title: 'Added', value: (m) => `${formatDate(m.addedAt)} by ${m.addedBy}` },
      { title: '', value: (m) => h('button', {
        type: 'button',
        class: 'link',
        onclick: run(() => api(`/api/projects/${projectId}/members/${encodeURIComponent(m.username)}`, { method: 'DELETE' }), 'Member removed.'),
      }, 'Remove') },
    ], members, 'No members: open to every contractor unless members-only is set.'),
    add,
    rules,
    h('h3', {}, 'Review'),
    review,
    h('p', {}, h('a', { href: `/review/?project=${encodeURIComponent(projectId)}` }, 'Open this project\'s review queue')));
}
