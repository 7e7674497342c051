// Likert ratings (1-5) and flags of one completion. Each change is saved at once, so a reload (or a
// lost connection before the ranking is sent) keeps them; the assignment brings the saved ones back.
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

/**
 * saved: the rating stored earlier for this completion, or undefined.
 * save(rating): stores it (a rating with nothing given withdraws the stored one); returns a promise.
 */
export function ratingsEditor(completionId, label, saved, save) {
  const rating = {
    completionId,
    helpful: saved?.helpful ?? null,
    truthful: saved?.truthful ?? null,
    harmless: saved?.harmless ?? null,
    flags: [...(saved?.flags || [])],
  };
  const state = h('span', { class: 'rating-state', 'aria-live': 'polite' }, saved ? '(saved)' : '');
  let edits = 0;
  let unsaved = false;
  let queue = Promise.resolve();

  function persist() {
    const edit = ++edits;
    const snapshot = { ...rating, flags: [...rating.flags] };
    unsaved = true;
    state.textContent = '(saving…)';
    // One save at a time per completion, in order, so the last change is the one stored.
    const run = queue.then(() => save(snapshot));
    queue = run.then(
      () => {
        if (edit !== edits) return;
        unsaved = false;
        state.textContent = given(snapshot) ? '(saved)' : '';
      },
      () => {
        if (edit === edits) state.textContent = '(not saved)';
      },
    );
    return run;
  }

  const selects = AXES.map(([axis, name]) => {
    const select = h(
      'select',
      { id: uid('likert'), 'aria-label': `${name} (${label})` },
      h('option', { value: '' }, '–'),
      [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n) }, String(n))),
    );
    select.value = rating[axis] ? String(rating[axis]) : '';
    select.addEventListener('change', () => {
      rating[axis] = select.value ? Number(select.value) : null;
      persist().catch(() => {});
    });
    return h('label', { class: 'likert' }, h('span', {}, name), select);
  });
  const flags = FLAGS.map(([flag, name]) => {
    const box = h('input', {
      type: 'checkbox',
      value: flag,
      checked: rating.flags.includes(flag),
      'aria-label': `${name} (${label})`,
    });
    box.addEventListener('change', () => {
      rating.flags = box.checked ? [...rating.flags, flag] : rating.flags.filter((f) => f !== flag);
      persist().catch(() => {});
    });
    return h('label', { class: 'flag' }, box, h('span', { 'aria-hidden': 'true' }, name));
  });
  const element = h(
    'details',
    { class: 'ratings', open: Boolean(saved) },
    h('summary', {}, 'Rate and flag ', state),
    h('fieldset', {}, h('legend', {}, 'Ratings, 1 worst to 5 best'), selects),
    h('fieldset', {}, h('legend', {}, 'Flags'), flags),
  );
  return {
    element,
    /** Waits for the saves under way; saves again what a failed save left behind (or throws). */
    async flush() {
      await queue;
      if (unsaved) await persist();
    },
  };
}

function given(rating) {
  return Boolean(rating.helpful || rating.truthful || rating.harmless || rating.flags.length);
}
