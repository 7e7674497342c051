// The admin's page: accounts and their roles, and the API tokens production systems send reports
// with. It calls the same JSON API scripts use (/api/admin/...); a refused request shows the
// problem's detail beside the field it names.
import { api } from '/js/api.js';
import { formatDate, h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe } from '/js/session.js';

const ROLES = ['contractor', 'reviewer', 'researcher', 'admin'];
const enc = encodeURIComponent;
const userForm = document.getElementById('new-user');
const tokenForm = document.getElementById('new-token');
let me = null;

/** Runs an action; a failure goes to the status line instead of being lost. */
function attempt(action) {
  return () => action().catch((e) => announce(e.message, 'error'));
}

function userRow(user) {
  const self = user.username === me.username;
  const boxes = ROLES.map((role) => h('input', {
    type: 'checkbox', value: role, checked: user.roles.includes(role), 'aria-label': `${user.username}: ${role}`,
  }));
  const save = h('button', { type: 'button', disabled: true }, 'Save roles');
  const chosen = () => boxes.filter((b) => b.checked).map((b) => b.value);
  for (const box of boxes) {
    box.addEventListener('change', () => {
      save.disabled = chosen().join() === user.roles.join();
    });
  }
  save.addEventListener('click', attempt(async () => {
    const changed = await api(`/api/admin/users/${enc(user.username)}/roles`, { method: 'PUT', body: { roles: chosen() } });
    await showUsers();
    announce(`${changed.username} now has the roles ${changed.roles.join(', ')}.`);
  }));
  const toggle = self ? null : h('button', {
    type: 'button',
    onclick: attempt(async () => {
      const action = user.active ? 'deactivate' : 'activate';
      const changed = await api(`/api/admin/users/${enc(user.username)}/${action}`, { method: 'POST' });
      await showUsers();
      announce(`${changed.username} is ${changed.active ? 'active and can sign in' : 'deactivated and cannot sign in'}.`);
    }),
  }, user.active ? 'Deactivate' : 'Activate');
  const reset = self ? null : h('button', {
    type: 'button',
    onclick: attempt(async () => {
      if (!confirm(`Give ${user.username} a new temporary password? Their sign-ins end now.`)) return;
      const done = await api(`/api/admin/users/${enc(user.username)}/password-reset`, { method: 'POST' });
      showSecret(`Temporary password for ${done.username}`, done.temporaryPassword);
      announce(`${done.username} has a new temporary password: pass it on, they change it under their name.`);
    }),
  }, 'Reset password');
  return h('tr', { 'data-username': user.username },
    h('td', { 'data-title': 'Username' }, user.username, self ? h('span', { class: 'hint' }, ' (you)') : null),
    h('td', { 'data-title': 'Roles' }, h('div', { class: 'roles' },
      boxes.map((box) => h('label', { class: 'check' }, box, ' ', box.value)))),
    h('td', { 'data-title': 'State', class: user.active ? 'active' : 'inactive' }, user.active ? 'Active' : 'Deactivated'),
    h('td', { 'data-title': 'Created' }, formatDate(user.createdAt)),
    h('td', {}, h('div', { class: 'row' }, save, toggle, reset)));
}

async function showUsers() {
  const users = await api('/api/admin/users');
  replace(document.getElementById('users'), users.map(userRow));
}

function tokenRow(token) {
  const revoke = token.revokedAt ? null : h('button', {
    type: 'button',
    'aria-label': `Revoke the token of ${token.source}`,
    onclick: attempt(async () => {
      if (!confirm(`Revoke the token of ${token.source}? Reports sent with it are refused from now on.`)) return;
      await api(`/api/admin/report-tokens/${enc(token.id)}/revoke`, { method: 'POST' });
      await showTokens();
      announce(`The token of ${token.source} is revoked.`);
    }),
  }, 'Revoke');
  return h('tr', { 'data-token': token.id },
    h('td', { 'data-title': 'Source' }, token.source),
    h('td', { 'data-title': 'Issued by' }, token.createdBy),
    h('td', { 'data-title': 'Issued' }, formatDate(token.createdAt)),
    h('td', { 'data-title': 'State', class: token.revokedAt ? 'revoked' : 'live' },
      token.revokedAt ? `Revoked ${formatDate(token.revokedAt)}` : 'Live'),
    h('td', {}, revoke));
}

async function showTokens() {
  const tokens = await api('/api/admin/report-tokens');
  replace(document.getElementById('tokens'),
    tokens.length ? tokens.map(tokenRow) : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'No tokens issued yet.')));
}

function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Puts a refusal beside the field its problem names (or only in the status line). */
function showProblem(form, error) {
  announce(error.message, 'error');
  const field = error.problem?.field;
  const slot = field && form.querySelector(`.field-error[data-field="${CSS.escape(field)}"]`);
  if (!slot) return;
  slot.textContent = error.problem.detail || error.message;
  const control = form.querySelector(`[name="${CSS.escape(field)}"]`);
  control?.setAttribute('aria-invalid', 'true');
  control?.focus();
}

userForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(userForm);
  const data = new FormData(userForm);
  try {
    const made = await api('/api/admin/users', {
      method: 'POST',
      body: { username: data.get('username').trim(), password: data.get('password'), roles: data.getAll('roles') },
    });
    userForm.reset();
    await showUsers();
    announce(`${made.username} created with the roles ${made.roles.join(', ')}.`);
  } catch (error) {
    showProblem(userForm, error);
  }
});

tokenForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(tokenForm);
  try {
    const issued = await api('/api/admin/report-tokens', {
      method: 'POST',
      body: { source: new FormData(tokenForm).get('source').trim() },
    });
    tokenForm.reset();
    showSecret(`Token for ${issued.source}`, issued.token);
    await showTokens();
    announce(`A token for ${issued.source} is issued: copy it now.`);
  } catch (error) {
    showProblem(tokenForm, error);
  }
});

/** Shows a secret once (a token, a temporary password), selected for copying. */
function showSecret(label, secret) {
  document.getElementById('issued-label').textContent = label;
  const shown = document.getElementById('issued-token');
  shown.value = secret;
  document.getElementById('issued').hidden = false;
  shown.focus();
  shown.select();
}

document.getElementById('issued-done').addEventListener('click', () => {
  document.getElementById('issued-token').value = '';
  document.getElementById('issued').hidden = true;
});

async function start() {
  me = await requireMe(['admin']);
  renderAccount(document.getElementById('account'), me);
  await Promise.all([showUsers(), showTokens()]);
}

start().catch((e) => announce(e.message, 'error'));
