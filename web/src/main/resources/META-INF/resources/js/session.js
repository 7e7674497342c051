// Who is signed in, the page header and signing out.
import { api, toSignIn } from './api.js';
import { h, replace } from './dom.js';

export const CONSOLE_ROLES = ['researcher', 'admin', 'reviewer'];

/** The signed-in account, or a redirect to sign in. */
export async function requireMe(roles) {
  const me = await api('/api/me');
  if (roles && !roles.some((r) => me.roles.includes(r))) {
    location.assign(homeFor(me));
    throw new Error('wrong page for this account');
  }
  return me;
}

export function homeFor(me) {
  if (me.roles.includes('contractor') && !CONSOLE_ROLES.some((r) => me.roles.includes(r))) {
    return '/workbench.html';
  }
  if (CONSOLE_ROLES.some((r) => me.roles.includes(r))) return '/console.html';
  return '/workbench.html';
}

/** Fills the header's account area: links to the other page where allowed, and sign out. */
export function renderAccount(el, me) {
  const links = [];
  if (me.roles.includes('contractor') && location.pathname !== '/workbench.html') {
    links.push(h('a', { href: '/workbench.html' }, 'Workbench'));
  }
  if (CONSOLE_ROLES.some((r) => me.roles.includes(r)) && location.pathname !== '/console.html') {
    links.push(h('a', { href: '/console.html' }, 'Console'));
  }
  // Pages of later capabilities, each for the roles its API admits.
  const pages = [
    ['/cycles/', 'Training cycles', CONSOLE_ROLES],
    ['/models/', 'Model versions', CONSOLE_ROLES],
    ['/arena/', 'Arena', CONSOLE_ROLES],
    ['/reports/', 'Reports', ['reviewer', 'admin']],
    ['/review/', 'Label review', ['reviewer', 'admin']],
    ['/feedback/', 'Your feedback', ['contractor']],
    ['/chat/', 'Chat', null],
    ['/admin/', 'Users and tokens', ['admin']],
  ];
  for (const [href, label, roles] of pages) {
    const allowed = roles === null || roles.some((r) => me.roles.includes(r));
    if (allowed && !location.pathname.startsWith(href)) links.push(h('a', { href }, label));
  }
  replace(
    el,
    ...links,
    // The name leads to the account page (password change).
    location.pathname.startsWith('/account/')
      ? h('span', { class: 'who', text: me.username })
      : h('a', { class: 'who', href: '/account/', title: 'Your account' }, me.username),
    h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'),
  );
}

async function signOut() {
  try {
    await api('/api/me/logout', { method: 'POST' });
  } finally {
    toSignIn();
  }
}

/** Writes a status message into the page's aria-live region. */
export function announce(message, kind = 'info') {
  const el = document.getElementById('status');
  if (!el) return;
  el.dataset.kind = kind;
  el.textContent = message;
}
