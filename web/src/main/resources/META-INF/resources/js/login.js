// Signs in with the form login (POST /j_security_check sets the session cookie), then opens the
// page the account works in.
import { homeFor } from './session.js';

const form = document.getElementById('signin');
const status = document.getElementById('status');

async function me() {
  const response = await fetch('/api/me', { headers: { Accept: 'application/json' } });
  return response.ok ? response.json() : null;
}

/**
 * Where `next` leads, if it stays on this site; else null. The URL parser decides, as the browser
 * will: by hand, `/\evil.example` or `/<tab>/evil.example` look like paths and lead elsewhere.
 */
export function sameOriginPath(next) {
  if (!next || !next.startsWith('/')) return null;
  let url;
  try {
    url = new URL(next, location.origin);
  } catch {
    return null;
  }
  return url.origin === location.origin ? url.pathname + url.search + url.hash : null;
}

function go(account) {
  // An open redirect would let a link send people anywhere after sign-in.
  const next = sameOriginPath(new URLSearchParams(location.search).get('next'));
  location.assign(next || homeFor(account));
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
    // The header is what a page of another site cannot send without asking first (CSRF).
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'rlhf-web' },
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
