// The admin's page: accounts and their roles, the API tokens production systems send reports
// with, and the keys clients of the model runtime call it with. It calls the same JSON API scripts use (/api/admin/...); a refused request shows the
// problem's detail beside the field it names.
import { api } from '/js/api.js';
import { formatDate, h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe } from '/js/session.js';

const ROLES = ['contractor', 'reviewer', 'researcher', 'admin'];
const enc = encodeURIComponent;
const userForm = document.getElementById('new-user');
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

/**
 * A list of secrets admins issue and revoke: report tokens (named by the source that sends
 * reports) and runtime keys (named by who calls the model runtime). Both work alike.
 */
function secretList({ path, nameField, nameTitle, tbody, form, what }) {
  function row(item) {
    const name = item[nameField];
    const revoke = item.revokedAt ? null : h('button', {
      type: 'button',
      'aria-label': `Revoke the ${what} of ${name}`,
      onclick: attempt(async () => {
        if (!confirm(`Revoke the ${what} of ${name}? It is refused from now on.`)) return;
        await api(`${path}/${enc(item.id)}/revoke`, { method: 'POST' });
        await show();
        announce(`The ${what} of ${name} is revoked.`);
      }),
    }, 'Revoke');
    return h('tr', { 'data-token': item.id },
      h('td', { 'data-title': nameTitle }, name),
      h('td', { 'data-title': 'Issued by' }, item.createdBy),
      h('td', { 'data-title': 'Issued' }, formatDate(item.createdAt)),
      h('td', { 'data-title': 'State', class: item.revokedAt ? 'revoked' : 'live' },
        item.revokedAt ? `Revoked ${formatDate(item.revokedAt)}` : 'Live'),
      h('td', {}, revoke));
  }

  async function show() {
    const items = await api(path);
    replace(document.getElementById(tbody),
      items.length ? items.map(row) : h('tr', {}, h('td', { colspan: 5, class: 'empty' }, `No ${what}s issued yet.`)));
  }

  const formEl = document.getElementById(form);
  formEl.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(formEl);
    try {
      const issued = await api(path, {
        method: 'POST',
        body: { [nameField]: new FormData(formEl).get(nameField).trim() },
      });
      formEl.reset();
      showSecret(`${what[0].toUpperCase()}${what.slice(1)} for ${issued[nameField]}`, issued.token || issued.key);
      await show();
      announce(`A ${what} for ${issued[nameField]} is issued: copy it now.`);
    } catch (error) {
      showProblem(formEl, error);
    }
  });
  return show;
}

const showTokens = secretList({
  path: '/api/admin/report-tokens', nameField: 'source', nameTitle: 'Source', tbody: 'tokens', form: 'new-token', what: 'token',
});
const showRuntimeKeys = secretList({
  path: '/api/admin/runtime-keys', nameField: 'name', nameTitle: 'Name', tbody: 'runtime-keys', form: 'new-runtime-key', what: 'key',
});

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
  await Promise.all([showUsers(), showTokens(), showRuntimeKeys()]);
}

start().catch((e) => announce(e.message, 'error'));
