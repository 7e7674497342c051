// The prompt as a conversation. Every turn is untrusted text, shown with textContent only.
import { h } from '../dom.js';

const ROLE_NAMES = { SYSTEM: 'System', USER: 'User', ASSISTANT: 'Assistant' };

export function conversationView(turns) {
  return h(
    'ol',
    { class: 'conversation', 'aria-label': 'Conversation' },
    (turns || []).map((turn) =>
      h(
        'li',
        { class: `turn turn-${String(turn.role).toLowerCase()}` },
        h('span', { class: 'role', text: ROLE_NAMES[turn.role] || turn.role }),
        h('div', { class: 'text untrusted', text: turn.text }),
      ),
    ),
  );
}

const LONG = 700;

/** A long text collapses to a few lines with a button to expand it. */
export function collapsibleText(text, label) {
  const body = h('div', { class: 'text untrusted', text });
  if (text.length <= LONG) return body;
  body.classList.add('collapsed');
  const toggle = h('button', { type: 'button', class: 'link toggle', 'aria-expanded': 'false' }, `Show all of ${label}`);
  toggle.addEventListener('click', () => {
    const collapsed = body.classList.toggle('collapsed');
    toggle.setAttribute('aria-expanded', String(!collapsed));
    toggle.textContent = collapsed ? `Show all of ${label}` : `Show less of ${label}`;
  });
  return h('div', {}, body, toggle);
}
