// Writing a demonstration (or a correction): the ideal response, optionally edited from a draft.
import { api, newKey } from '../api.js';
import { field, h } from '../dom.js';
import { collapsibleText } from './conversation.js';

export function demonstrationView(assignment) {
  const key = newKey();
  const shownAt = Date.now();
  let editedFrom = null;

  const editor = h('textarea', {
    class: 'editor',
    rows: 12,
    spellcheck: 'true',
    placeholder: 'Write the response an ideal assistant would give.',
  });
  const count = h('span', { class: 'count', 'aria-live': 'off' });
  const source = h('span', { class: 'draft-source' });
  const updateCount = () => {
    const n = editor.value.length;
    count.textContent = `${n} character${n === 1 ? '' : 's'}`;
  };
  editor.addEventListener('input', updateCount);
  updateCount();

  const drafts = assignment.completions || [];
  const draftList =
    drafts.length === 0
      ? null
      : h(
          'details',
          { class: 'drafts', open: true },
          h('summary', {}, `Model drafts (${drafts.length})`),
          h(
            'ol',
            {},
            drafts.map((draft, i) => {
              const label = `draft ${i + 1}`;
              return h(
                'li',
                { class: 'draft' },
                collapsibleText(draft.text, label),
                h(
                  'button',
                  {
                    type: 'button',
                    onclick: () => {
                      editor.value = draft.text;
                      editedFrom = draft.id;
                      source.textContent = `Editing ${label}.`;
                      updateCount();
                      editor.focus();
                    },
                  },
                  `Start from ${label}`,
                ),
              );
            }),
          ),
        );

  const editorField = field(
    assignment.type === 'CORRECTION' ? 'The correct response' : 'Your response',
    editor,
    'Ctrl+Enter submits.',
  );
  const submitButton = h('button', { type: 'submit', class: 'primary' }, 'Submit response');
  const form = h(
    'form',
    { class: 'answer', novalidate: true },
    draftList,
    editorField,
    h('div', { class: 'row' }, count, source, h('span', { class: 'spacer' }), submitButton),
  );

  return {
    element: form,
    form,
    focus: () => editor.focus(),
    async submit() {
      if (!editor.value.trim()) {
        editor.focus();
        throw new Error('Write a response before submitting.');
      }
      await api(`/api/assignments/${assignment.assignmentId}/demonstration`, {
        method: 'POST',
        headers: { 'Idempotency-Key': key },
        body: {
          response: editor.value,
          editedFromCompletionId: editedFrom,
          timeSpentMs: Date.now() - shownAt,
        },
      });
      return 'Response submitted.';
    },
  };
}
