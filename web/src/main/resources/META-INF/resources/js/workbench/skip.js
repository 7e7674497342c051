// Skipping a task says why, so researchers learn which prompts are unclear or out of scope.
import { field, h } from '../dom.js';

const REASONS = [
  'The prompt is unclear',
  'Outside my expertise',
  'Harmful or disturbing content',
  'The completions do not load or are broken',
  'Other',
];

/** A "Skip…" button that opens a small form; onSkip(reason) does the skipping. */
export function skipControl(onSkip) {
  const reason = h('select', {}, REASONS.map((r) => h('option', { value: r }, r)));
  const note = h('input', { type: 'text', maxlength: '500', placeholder: 'Optional details' });
  const panel = h(
    'form',
    { class: 'skip-form', hidden: true, id: `skip-${Math.random().toString(36).slice(2)}` },
    field('Reason', reason),
    field('Details', note),
    h('button', { type: 'submit' }, 'Skip this task'),
  );
  const toggle = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': panel.id }, 'Skip…');
  toggle.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) reason.focus();
  });
  panel.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = note.value.trim();
    onSkip(text ? `${reason.value}: ${text}` : reason.value);
  });
  return h('div', { class: 'skip' }, toggle, panel);
}
