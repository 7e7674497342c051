// The signed-in person's own account: who they are, and changing their password.
import { api } from '/js/api.js';
import { announce, renderAccount, requireMe } from '/js/session.js';

const form = document.getElementById('password-change');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
  const data = new FormData(form);
  try {
    await api('/api/me/password', {
      method: 'POST',
      body: { currentPassword: data.get('currentPassword'), newPassword: data.get('newPassword') },
    });
    form.reset();
    announce('Your password is changed; your other sign-ins have ended.');
  } catch (error) {
    announce(error.message, 'error');
    const field = error.problem?.field;
    const slot = field && form.querySelector(`.field-error[data-field="${CSS.escape(field)}"]`);
    if (slot) slot.textContent = error.problem.detail;
    form.querySelector(`[name="${CSS.escape(field || 'currentPassword')}"]`)?.focus();
  }
});

async function start() {
  const me = await requireMe();
  renderAccount(document.getElementById('account'), me);
  document.getElementById('username').textContent = me.username;
  document.getElementById('roles').textContent = me.roles.join(', ');
}

start().catch((e) => announce(e.message, 'error'));
