// Prompt import (JSONL or CSV) with the row-level report of what was refused and why.
import { api, query } from '../api.js';
import { field, h, replace } from '../dom.js';
import { announce } from '../session.js';
import { currentProject, needsProject, projectName } from './context.js';
import { table } from './table.js';

export function importPage(el) {
  const projectId = currentProject();
  if (!projectId) {
    el.append(needsProject('import prompts into it'));
    return {};
  }
  const file = h('input', { type: 'file', accept: '.jsonl,.ndjson,.json,.csv,text/csv,application/x-ndjson' });
  const pasted = h('textarea', { rows: 6, class: 'editor', placeholder: '{"prompt": "What is 2+2?", "tags": ["arithmetic"]}' });
  const format = h(
    'select',
    {},
    h('option', { value: 'auto' }, 'From the file name'),
    h('option', { value: 'application/x-ndjson' }, 'JSON Lines'),
    h('option', { value: 'text/csv' }, 'CSV'),
  );
  const tasks = h(
    'select',
    {},
    h('option', { value: 'DEMONSTRATION' }, 'A demonstration task per prompt'),
    h('option', { value: 'NONE' }, 'No tasks (prompts only, e.g. for completions)'),
  );
  const priority = h('input', { type: 'number', value: '0', step: '1' });
  const report = h('section', { class: 'report', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'import-form' },
    h('p', {}, 'Into ', h('strong', { text: projectName(projectId) }), '. JSON Lines: one object per line with "prompt" or "conversation"; CSV: a header with a "prompt" column, optional "source", "tags" (separated by ;), "author".'),
    field('File', file),
    field('…or paste the rows', pasted),
    field('Format', format),
    field('Tasks to open', tasks),
    field('Priority', priority, 'Higher is handed out first.'),
    h('button', { type: 'submit', class: 'primary' }, 'Import'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    const body = chosen ? await chosen.text() : pasted.value;
    if (!body.trim()) {
      announce('Choose a file or paste some rows.', 'error');
      return;
    }
    let contentType = format.value;
    if (contentType === 'auto') {
      contentType = chosen && /\.csv$/i.test(chosen.name) ? 'text/csv' : 'application/x-ndjson';
    }
    try {
      const r = await api(
        `/api/projects/${projectId}/prompts/import${query({ tasks: tasks.value, priority: priority.value })}`,
        { method: 'POST', body, contentType },
      );
      announce(`Imported ${r.accepted} prompts, refused ${r.rejected}, ${r.duplicates} duplicates not stored again.`);
      replace(
        report,
        h('h2', {}, 'Import report'),
        h('p', { class: 'summary' }, h('strong', { class: 'accepted' }, String(r.accepted)), ' accepted, ', h('strong', { class: 'rejected' }, String(r.rejected)), ' refused.'),
        table('Refused rows', [
          { title: 'Row', value: (row) => String(row.row) },
          { title: 'Field', value: (row) => row.field || '' },
          { title: 'Reason', value: (row) => row.reason },
        ], r.rejectedRows, 'Every row was imported.'),
        table('Duplicate rows (the project has this prompt already)', [
          { title: 'Row', value: (row) => String(row.row) },
          { title: 'Prompt kept', value: (row) => row.promptId },
        ], r.duplicateRows, 'No duplicates.'),
      );
    } catch (e) {
      announce(e.message, 'error');
    }
  });
  el.append(form, report);
  return {};
}
