// Signs in with the form login (POST /j_security_check sets the session cookie), then opens the
// page the account works in.
import { homeFor } from './session.js';

const form = document.getElementById('signin');
const status = document.getElementById('status');

async function me() {
  const response = await fetch('/api/me', { headers: { Accept: 'application/json' } });
  return response.ok ? response.json() : null;
}

function go(account) {
  const next = new URLSearchParams(location.search).get('next');
  // Only same-site paths: an open redirect would let a link send people anywhere after sign-in.
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : homeFor(account);
  location.assign(target);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = form.j_username.value.trim();
  const password = form.j_password.value;
  if (!username || !password) {
    status.dataset.kind = 'error';
    status.textContent = 'Enter your username and password.';
    return;
  }
  status.dataset.kind = 'info';
  status.textContent = 'Signing in…';
  const response = await fetch('/j_security_check', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ j_username: username, j_password: password }),
    credentials: 'same-origin',
  });
  const account = response.ok ? await me() : null;
  if (!account) {
    status.dataset.kind = 'error';
    status.textContent = 'Wrong username or password.';
    form.j_password.value = '';
    form.j_password.focus();
    return;
  }
  go(account);
});

me().then((account) => {
  if (account) go(account);
});
