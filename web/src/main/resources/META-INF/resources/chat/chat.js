// Talks to the promoted policy through labeling-service and reports a bad answer in one click.
// Model output is untrusted: it is only ever shown through textContent.
import { api, ApiError, element, showSignIn, CATEGORIES, categoryName } from '../reports/api.js';

const page = document.getElementById('page');
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('message');
const error = document.getElementById('chat-error');
let conversation = [];

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  error.textContent = '';
  conversation.push({ role: 'USER', text });
  log.append(turnView('USER', text));
  input.value = '';
  const send = form.querySelector('button[type=submit]');
  send.disabled = true;
  try {
    const answer = await api('POST', '/api/chat/completions', { conversation });
    conversation.push({ role: 'ASSISTANT', text: answer.text });
    log.append(turnView('ASSISTANT', answer.text, [...conversation], answer.modelVersion));
  } catch (e) {
    conversation.pop();
    if (e instanceof ApiError && e.status === 401) showSignIn(page);
    else error.textContent = e.message;
  } finally {
    send.disabled = false;
  }
});

document.getElementById('restart').addEventListener('click', () => {
  conversation = [];
  log.replaceChildren();
});

function turnView(role, text, upToHere, modelVersion) {
  const view = element('div', { className: `turn ${role.toLowerCase()}` }, [
    element('span', { className: 'role', textContent: role === 'USER' ? 'you' : 'model' }),
    text,
  ]);
  if (role !== 'ASSISTANT') return view;
  const wrapper = element('div', {}, [view]);
  const open = element('button', { type: 'button', textContent: 'Report this answer' });
  open.addEventListener('click', () => {
    open.replaceWith(reportForm(upToHere, modelVersion));
  });
  wrapper.append(element('div', { className: 'meta' }, [`model ${modelVersion} `, open]));
  return wrapper;
}

function reportForm(upToHere, modelVersion) {
  const category = element('select', {}, CATEGORIES.map((c) => element('option', { value: c, textContent: categoryName(c) })));
  const note = element('input', { placeholder: 'optional note', size: 30 });
  const submit = element('button', { className: 'primary', type: 'button', textContent: 'Send report' });
  const status = element('span', { role: 'status' });
  const box = element('span', { className: 'report-form' }, [category, ' ', note, ' ', submit, ' ', status]);
  submit.addEventListener('click', async () => {
    submit.disabled = true;
    try {
      const receipt = await api('POST', '/api/chat/reports', {
        conversation: upToHere, modelVersion, category: category.value, note: note.value || null,
      });
      box.replaceChildren(element('span', {
        textContent: receipt.merged
          ? `Thanks: this answer was already reported (${receipt.reportCount} times now).`
          : 'Thanks: reported for review.',
      }));
    } catch (e) {
      status.textContent = e.message;
      submit.disabled = false;
    }
  });
  return box;
}
