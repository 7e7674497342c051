// Ranking completions best to worst, by drag and drop or by keyboard, with ties; "all are bad"
// opens a box for a better response. Completions are untrusted text (textContent only).
import Sortable from '/webjars/sortablejs/1.15.6/modular/sortable.esm.js';
import { api, newKey } from '../api.js';
import { field, h, replace } from '../dom.js';
import { announce } from '../session.js';
import { collapsibleText } from './conversation.js';
import { ratingsEditor } from './ratings.js';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function rankingView(assignment) {
  const key = newKey();
  const shownAt = Date.now();
  const ratingsUrl = `/api/assignments/${assignment.assignmentId}/ratings`;
  const saveRating = (rating) =>
    api(ratingsUrl, { method: 'PUT', body: { ratings: [rating] } }).catch((e) => {
      announce(`Rating not saved: ${e.message}`, 'error');
      throw e;
    });
  const saved = new Map((assignment.ratings || []).map((r) => [r.completionId, r]));
  const entries = (assignment.completions || []).map((completion, i) => {
    const label = `Completion ${LETTERS[i] || i + 1}`;
    const ratings = ratingsEditor(completion.id, label, saved.get(completion.id), saveRating);
    return { completion, label, tied: false, ratings, node: null };
  });
  let order = [...entries];
  // A comparison's answer is the contractor's choice; until one is made there is nothing to send.
  let chosen = false;

  const list = h('ol', {
    class: 'ranking',
    'aria-label': 'Completions, best first',
    'aria-describedby': 'ranking-help',
  });
  const help = h(
    'p',
    { id: 'ranking-help', class: 'hint' },
    'Drag by the handle, or focus a completion and press a number key to put it at that place, ',
    h('kbd', {}, 'T'),
    ' to tie it with the one above, ',
    h('kbd', {}, 'Alt'),
    '+',
    h('kbd', {}, '↑'),
    '/',
    h('kbd', {}, '↓'),
    ' to move it, ',
    h('kbd', {}, '↑'),
    '/',
    h('kbd', {}, '↓'),
    ' to go between them. Ctrl+Enter submits.',
  );

  for (const entry of entries) entry.node = card(entry);

  function card(entry) {
    const rank = h('span', { class: 'rank' });
    const tie = h('button', { type: 'button', class: 'tie', 'aria-pressed': 'false' }, 'Tie with above');
    tie.addEventListener('click', () => toggleTie(entry));
    const up = h('button', { type: 'button', 'aria-label': `Move ${entry.label} up` }, '↑');
    const down = h('button', { type: 'button', 'aria-label': `Move ${entry.label} down` }, '↓');
    up.addEventListener('click', () => move(entry, order.indexOf(entry) - 1));
    down.addEventListener('click', () => move(entry, order.indexOf(entry) + 1));
    const li = h(
      'li',
      { class: 'completion', tabindex: '0', 'data-id': entry.completion.id, 'aria-label': entry.label },
      h(
        'div',
        { class: 'completion-head' },
        h('span', { class: 'drag-handle', title: 'Drag to reorder', 'aria-hidden': 'true' }, '⠿'),
        rank,
        h('strong', {}, entry.label),
        h('span', { class: 'spacer' }),
        tie,
        up,
        down,
      ),
      collapsibleText(entry.completion.text, entry.label),
      entry.ratings.element,
    );
    li.addEventListener('keydown', (event) => onKey(event, entry));
    li.rank = rank;
    li.tie = tie;
    return li;
  }

  function groups() {
    const out = [];
    order.forEach((entry, i) => {
      if (i > 0 && entry.tied) out[out.length - 1].push(entry);
      else out.push([entry]);
    });
    return out;
  }

  function render() {
    // Re-appending the cards drops focus; give it back to what had it.
    const focused = list.contains(document.activeElement) ? document.activeElement : null;
    replace(list, order.map((e) => e.node));
    if (focused && focused !== document.activeElement) focused.focus();
    groups().forEach((group, g) => {
      for (const entry of group) {
        const tied = group.length > 1;
        entry.node.rank.textContent = `#${g + 1}${tied ? ' (tie)' : ''}`;
        entry.node.setAttribute('aria-label', `${entry.label}, place ${g + 1}${tied ? ', tied' : ''}`);
      }
    });
    order.forEach((entry, i) => {
      const pressed = i > 0 && entry.tied;
      entry.node.tie.setAttribute('aria-pressed', String(pressed));
      entry.node.tie.disabled = i === 0;
      entry.node.classList.toggle('tied', pressed);
    });
  }

  function move(entry, to) {
    const from = order.indexOf(entry);
    const target = Math.max(0, Math.min(order.length - 1, to));
    if (from === target) return;
    // A tie belongs to the place a card had, not to the card: it does not follow it.
    entry.tied = false;
    order.splice(from, 1);
    order.splice(target, 0, entry);
    render();
    entry.node.focus();
    announce(`${entry.label} moved to place ${target + 1}.`);
  }

  function toggleTie(entry) {
    if (order.indexOf(entry) === 0) return;
    entry.tied = !entry.tied;
    render();
    announce(entry.tied ? `${entry.label} tied with the one above.` : `${entry.label} no longer tied.`);
  }

  function onKey(event, entry) {
    if (event.target !== entry.node || event.ctrlKey || event.metaKey) return;
    const i = order.indexOf(entry);
    if (/^[1-9]$/.test(event.key) && Number(event.key) <= order.length) {
      event.preventDefault();
      move(entry, Number(event.key) - 1);
    } else if (event.key === 't' || event.key === 'T' || event.key === '=') {
      event.preventDefault();
      toggleTie(entry);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      const to = event.key === 'ArrowUp' ? i - 1 : i + 1;
      if (event.altKey) move(entry, to);
      else order[Math.max(0, Math.min(order.length - 1, to))].node.focus();
    }
  }

  render();
  Sortable.create(list, {
    handle: '.drag-handle',
    animation: 120,
    // Pointer events instead of native HTML5 drag and drop: works on touch screens and in
    // WebDriver-driven browsers alike.
    forceFallback: true,
    onEnd: (event) => {
      if (event.oldIndex !== event.newIndex) order[event.oldIndex].tied = false;
      const ids = [...list.children].map((li) => li.dataset.id);
      order = ids.map((id) => entries.find((e) => e.completion.id === id));
      render();
      announce('Order changed.');
    },
  });

  const better = h('textarea', { class: 'editor', rows: 8, placeholder: 'Write a response better than all of these.' });
  const betterBox = h(
    'div',
    { class: 'all-bad', hidden: true, id: `all-bad-${assignment.assignmentId}` },
    field('A better response', better, 'Sent instead of a ranking: it is preferred over every completion.'),
  );
  const allBad = h('button', {
    type: 'button',
    class: 'all-bad-toggle',
    'aria-expanded': 'false',
    'aria-controls': betterBox.id,
  }, 'All are bad…');
  allBad.addEventListener('click', () => {
    const open = betterBox.hidden;
    betterBox.hidden = !open;
    allBad.setAttribute('aria-expanded', String(open));
    list.classList.toggle('dimmed', open);
    if (open) better.focus();
  });

  const isComparison = assignment.type === 'COMPARISON';
  const submitButton = h('button', { type: 'submit', class: 'primary' }, isComparison ? 'Submit choice' : 'Submit ranking');
  const form = h(
    'form',
    { class: 'answer', novalidate: true },
    help,
    list,
    isComparison ? comparisonChoices() : null,
    h('div', { class: 'row' }, allBad, h('span', { class: 'spacer' }), submitButton),
    betterBox,
  );

  // A comparison is one choice: a button per answer (and one for a tie) orders them and submits.
  function comparisonChoices() {
    const choose = (winner) => () => {
      betterBox.hidden = true;
      allBad.setAttribute('aria-expanded', 'false');
      list.classList.remove('dimmed');
      for (const e of entries) e.tied = false;
      order = winner ? [winner, ...entries.filter((e) => e !== winner)] : [...entries];
      if (!winner) order[1].tied = true;
      chosen = true;
      render();
      form.requestSubmit();
    };
    return h(
      'div',
      { class: 'row choices', role: 'group', 'aria-label': 'Your choice' },
      entries.map((e) => h('button', { type: 'button', onclick: choose(e) }, `${e.label} is better`)),
      h('button', { type: 'button', onclick: choose(null) }, 'They are equally good'),
    );
  }

  return {
    element: form,
    form,
    focus: () => order[0]?.node.focus(),
    async submit() {
      const isAllBad = !betterBox.hidden;
      if (isAllBad && !better.value.trim()) {
        better.focus();
        throw new Error('Write a better response, or close "All are bad".');
      }
      if (isComparison && !isAllBad && !chosen) {
        throw new Error('Choose which completion is better, or that they are equally good.');
      }
      await Promise.all(entries.map((e) => e.ratings.flush()));
      const timeSpentMs = Date.now() - shownAt;
      // All bad: no order is sent, so every completion ties below the contractor's own answer.
      const body = isAllBad
        ? { allBad: true, betterResponse: better.value, timeSpentMs }
        : { order: groups().map((g) => g.map((e) => e.completion.id)), allBad: false, timeSpentMs };
      await api(`/api/assignments/${assignment.assignmentId}/ranking`, {
        method: 'POST',
        headers: { 'Idempotency-Key': key },
        body,
      });
      if (isAllBad) return 'Better response submitted.';
      return isComparison ? 'Choice submitted.' : 'Ranking submitted.';
    },
  };
}
