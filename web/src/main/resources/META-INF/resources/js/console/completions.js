// Asks the model runtime for K completions of chosen prompts; ranking tasks open when they arrive.
import { api, query } from '../api.js';
import { field, formatDate, h, replace } from '../dom.js';
import { announce } from '../session.js';
import { currentProject, needsProject } from './context.js';

const PAGE_SIZE = 50;

export function completionsPage(el) {
  const projectId = currentProject();
  if (!projectId) {
    el.append(needsProject('request completions for its prompts'));
    return {};
  }
  let page = 0;
  const chosen = new Set();
  const prompts = h('div', { class: 'prompt-picker' });
  const pager = h('div', { class: 'row' });
  const k = h('input', { type: 'number', min: '2', max: '9', value: '4' });
  const policy = h('input', { placeholder: 'the deployed version' });
  const temperature = h('input', { type: 'number', min: '0', step: '0.05', value: '1.0' });
  const topP = h('input', { type: 'number', min: '0.01', max: '1', step: '0.01', value: '0.95' });
  const topK = h('input', { type: 'number', min: '0', step: '1', value: '0' });
  const maxTokens = h('input', { type: 'number', min: '1', step: '1', value: '96' });
  const form = h(
    'form',
    { class: 'completion-form' },
    h('h2', {}, 'Sampling'),
    h(
      'div',
      { class: 'grid' },
      field('Completions per prompt (K)', k),
      field('Policy version', policy, 'Leave empty for the runtime\'s current policy.'),
      field('Temperature', temperature),
      field('Top-p', topP),
      field('Top-k', topK, '0 turns it off.'),
      field('Max tokens', maxTokens),
    ),
    h('button', { type: 'submit', class: 'primary' }, 'Request completions'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (chosen.size === 0) {
      announce('Choose at least one prompt.', 'error');
      return;
    }
    try {
      const made = await api(`/api/projects/${projectId}/completion-requests`, {
        method: 'POST',
        body: {
          promptIds: [...chosen],
          policyVersion: policy.value.trim() || null,
          k: Number(k.value),
          sampling: {
            temperature: Number(temperature.value),
            topP: Number(topP.value),
            topK: Number(topK.value),
            maxTokens: Number(maxTokens.value),
            stop: [],
          },
        },
      });
      announce(`Requested completions for ${made.length} prompts; their ranking tasks open when the runtime answers.`);
      chosen.clear();
      await load();
    } catch (e) {
      announce(e.message, 'error');
    }
  });

  async function load() {
    const rows = await api(`/api/projects/${projectId}/prompts${query({ page, size: PAGE_SIZE })}`);
    const all = h('input', { type: 'checkbox', 'aria-label': 'Choose every prompt on this page' });
    all.addEventListener('change', () => {
      for (const box of prompts.querySelectorAll('input[data-id]')) {
        box.checked = all.checked;
        box.dispatchEvent(new Event('change'));
      }
    });
    replace(
      prompts,
      h('h2', {}, 'Prompts'),
      rows.length === 0
        ? h('p', { class: 'empty' }, 'This project has no prompts yet: import some first.')
        : h(
            'ul',
            { class: 'checklist' },
            h('li', {}, h('label', {}, all, ' All on this page')),
            rows.map((p) => {
              const box = h('input', { type: 'checkbox', 'data-id': p.id, checked: chosen.has(p.id) });
              box.addEventListener('change', () => (box.checked ? chosen.add(p.id) : chosen.delete(p.id)));
              const last = p.conversation[p.conversation.length - 1];
              return h(
                'li',
                {},
                h('label', {}, box, h('span', { class: 'untrusted clamp', text: last?.text || '' })),
                h('small', { text: `${p.tags.join(', ')} ${formatDate(p.createdAt)}` }),
              );
            }),
          ),
    );
    replace(
      pager,
      h('button', { type: 'button', disabled: page === 0, onclick: () => { page -= 1; load(); } }, 'Previous page'),
      h('span', {}, `Page ${page + 1}`),
      h('button', { type: 'button', disabled: rows.length < PAGE_SIZE, onclick: () => { page += 1; load(); } }, 'Next page'),
    );
  }

  el.append(prompts, pager, form);
  return { ready: load() };
}
