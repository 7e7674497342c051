// Likert ratings (1-5) and flags of one completion; only what the contractor touched is sent.
import { h, uid } from '../dom.js';

const AXES = [
  ['helpful', 'Helpful'],
  ['truthful', 'Truthful'],
  ['harmless', 'Harmless'],
];
const FLAGS = [
  ['HARMFUL', 'Harmful'],
  ['UNTRUTHFUL', 'Untruthful'],
  ['UNHELPFUL', 'Unhelpful'],
  ['PII', 'Personal data'],
  ['REFUSAL', 'Refusal'],
  ['NOT_FOLLOWING_INSTRUCTIONS', 'Ignores instructions'],
];

export function ratingsEditor(completionId, label) {
  const rating = { completionId, helpful: null, truthful: null, harmless: null, flags: [] };
  const selects = AXES.map(([axis, name]) => {
    const select = h(
      'select',
      { id: uid('likert'), 'aria-label': `${name} (${label})` },
      h('option', { value: '' }, '–'),
      [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n) }, String(n))),
    );
    select.addEventListener('change', () => {
      rating[axis] = select.value ? Number(select.value) : null;
    });
    return h('label', { class: 'likert' }, h('span', {}, name), select);
  });
  const flags = FLAGS.map(([flag, name]) => {
    const box = h('input', { type: 'checkbox', value: flag, 'aria-label': `${name} (${label})` });
    box.addEventListener('change', () => {
      rating.flags = box.checked ? [...rating.flags, flag] : rating.flags.filter((f) => f !== flag);
    });
    return h('label', { class: 'flag' }, box, h('span', { 'aria-hidden': 'true' }, name));
  });
  const element = h(
    'details',
    { class: 'ratings' },
    h('summary', {}, 'Rate and flag'),
    h('fieldset', {}, h('legend', {}, 'Ratings, 1 worst to 5 best'), selects),
    h('fieldset', {}, h('legend', {}, 'Flags'), flags),
  );
  return {
    element,
    /** The rating to send, or null when nothing was given. */
    value() {
      const given = rating.helpful || rating.truthful || rating.harmless || rating.flags.length;
      return given ? { ...rating } : null;
    },
  };
}
