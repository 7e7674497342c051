// Talks to the promoted policy through labeling-service and reports a bad answer in one click.
// Model output is untrusted: the shared h() puts it in as a text node, never as markup.
import { api } from '/js/api.js';
import { h, replace } from '/js/dom.js';
import { announce, renderAccount, requireMe } from '/js/session.js';
import { categoryName } from '/reports/reports-format.js';

const CATEGORIES = ['HARMFUL', 'UNTRUTHFUL', 'UNHELPFUL', 'WRONG_REFUSAL', 'OTHER'];
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('message');
// The answer the next message replies to: the service keeps the conversation, so a report (and
// the next turn) rests on what the model really said.
let lastAnswerId = null;

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  announce('');
  log.append(turnView('USER', text));
  input.value = '';
  const send = form.querySelector('button[type=submit]');
  send.disabled = true;
  announce('The model is writing…');
  try {
    const answer = await api('/api/chat/completions', {
      method: 'POST',
      body: { answerId: lastAnswerId, message: text },
    });
    lastAnswerId = answer.answerId;
    log.append(answerView(answer));
    announce('');
  } catch (e) {
    log.lastChild?.remove();
    input.value = text;
    announce(e.message, 'error');
  } finally {
    send.disabled = false;
  }
});

document.getElementById('restart').addEventListener('click', () => {
  lastAnswerId = null;
  replace(log);
});

function turnView(role, text) {
  return h('div', { class: `turn turn-${role.toLowerCase()}` },
    h('span', { class: 'role' }, role === 'USER' ? 'you' : 'model'),
    h('div', { class: 'untrusted' }, text));
}

function answerView(answer) {
  const open = h('button', { type: 'button', class: 'link' }, 'Report this answer');
  const footer = h('div', { class: 'row meta' }, `model ${answer.modelVersion}`, open);
  open.addEventListener('click', () => open.replaceWith(reportForm(answer.answerId)));
  return h('div', {}, turnView('ASSISTANT', answer.text), footer);
}

function reportForm(answerId) {
  const category = h('select', { 'aria-label': 'What is wrong' },
    ...CATEGORIES.map((c) => h('option', { value: c }, categoryName(c))));
  const note = h('input', { type: 'text', placeholder: 'optional note', 'aria-label': 'Note' });
  const submit = h('button', { type: 'button', class: 'primary' }, 'Send report');
  const box = h('span', { class: 'row' }, category, note, submit);
  submit.addEventListener('click', async () => {
    submit.disabled = true;
    try {
      const receipt = await api('/api/chat/reports', {
        method: 'POST',
        body: { answerId, category: category.value, note: note.value || null },
      });
      replace(box, receipt.merged
        ? `Thanks: this answer was already reported (${receipt.reportCount} times now).`
        : 'Thanks: reported for review.');
    } catch (e) {
      announce(e.message, 'error');
      submit.disabled = false;
    }
  });
  return box;
}

start();

async function start() {
  try {
    renderAccount(document.getElementById('account'), await requireMe());
  } catch (e) {
    announce(e.message, 'error');
  }
}
