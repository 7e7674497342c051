// The contractor workbench: the current task beside its guidelines, submit, skip, next.
import { api, query } from '../api.js';
import { h, replace } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import { announce, renderAccount, requireMe } from '../session.js';
import { conversationView } from './conversation.js';
import { demonstrationView } from './demonstration.js';
import { countSubmission, renderProgress } from './progress.js';
import { TaskQueue } from './queue.js';
import { rankingView } from './ranking.js';
import { skipControl } from './skip.js';

const TYPE_NAMES = {
  DEMONSTRATION: 'Write a response',
  CORRECTION: 'Correct the response',
  RANKING: 'Rank the completions',
  COMPARISON: 'Pick the better completion',
};

const taskEl = document.getElementById('task');
const guidelinesBody = document.getElementById('guidelines-body');
const guidelinesSummary = document.querySelector('#guidelines summary');
const progressEl = document.getElementById('progress');
const projectSelect = document.getElementById('project');
const queue = new TaskQueue();
let view = null;
let busy = false;
let retryTimer = null;

function show(assignment) {
  clearTimeout(retryTimer);
  view = null;
  if (!assignment) {
    showEmpty();
    return;
  }
  const isRanking = assignment.type === 'RANKING' || assignment.type === 'COMPARISON';
  view = isRanking ? rankingView(assignment) : demonstrationView(assignment);
  view.form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  replace(
    taskEl,
    h(
      'header',
      { class: 'task-head' },
      h('h1', {}, TYPE_NAMES[assignment.type] || assignment.type),
      h('span', { class: 'project-name', text: assignment.projectName }),
      assignment.tags?.length ? h('span', { class: 'tags', text: assignment.tags.join(', ') }) : null,
      h('span', { class: 'spacer' }),
      skipControl((reason) => skip(assignment, reason)),
    ),
    h('h2', { class: 'visually-hidden' }, 'Prompt'),
    conversationView(assignment.conversation),
    view.element,
  );
  showGuidelines(assignment.guidelines);
  view.focus();
}

function showGuidelines(guidelines) {
  if (!guidelines) {
    guidelinesSummary.textContent = 'Guidelines';
    replace(guidelinesBody, h('p', {}, 'This project has no guidelines yet.'));
    return;
  }
  guidelinesSummary.textContent = `Guidelines (version ${guidelines.version})`;
  renderMarkdown(guidelinesBody, guidelines.markdown);
}

function showEmpty() {
  const again = h('button', { type: 'button', class: 'primary', onclick: () => retry() }, 'Check again');
  replace(
    taskEl,
    h('h1', {}, 'No tasks right now'),
    queue.limit
      ? h('p', { class: 'limit' }, queue.limit)
      : h('p', {}, 'Every open task has enough answers, or is waiting for completions. New work is checked every 30 seconds.'),
    again,
  );
  replace(guidelinesBody);
  retryTimer = setTimeout(retry, 30000);
}

async function retry() {
  try {
    show(await queue.retry());
  } catch (e) {
    announce(e.message, 'error');
  }
}

async function submit() {
  if (!view || busy) return;
  busy = true;
  const buttons = taskEl.querySelectorAll('button[type=submit]');
  buttons.forEach((b) => (b.disabled = true));
  try {
    const message = await view.submit();
    countSubmission();
    announce(message);
    show(await queue.advance());
    renderProgress(progressEl).catch(() => {});
  } catch (e) {
    if (e.status === 409) {
      // The lease ran out (or the task was withdrawn): this assignment can no longer be answered.
      await moveOn(e);
    } else {
      announce(e.message, 'error');
      buttons.forEach((b) => (b.disabled = false));
    }
  } finally {
    busy = false;
  }
}

async function moveOn(conflict) {
  announce(`Not saved: ${conflict.message}. On to the next task.`, 'error');
  try {
    show(await queue.advance());
  } catch (e) {
    announce(e.message, 'error');
  }
}

async function skip(assignment, reason) {
  if (busy) return;
  busy = true;
  try {
    await api(`/api/assignments/${assignment.assignmentId}/skip`, { method: 'POST', body: { reason } });
    announce('Task skipped.');
    show(await queue.advance());
    renderProgress(progressEl).catch(() => {});
  } catch (e) {
    if (e.status === 409) await moveOn(e);
    else announce(e.message, 'error');
  } finally {
    busy = false;
  }
}

document.addEventListener('keydown', (event) => {
  // Inside the skip form, Ctrl+Enter belongs to it: it must not submit the answer instead.
  const inSkipForm = event.target instanceof Element && event.target.closest('.skip-form');
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && view && !inSkipForm) {
    event.preventDefault();
    submit();
  }
});

async function start(project) {
  replace(taskEl, h('p', {}, 'Loading the next task…'));
  try {
    await queue.reset(project);
    show(queue.current);
  } catch (e) {
    announce(e.message, 'error');
  }
}

async function init() {
  // On a phone the guidelines sit below the task: start them folded so the task comes first.
  if (matchMedia('(max-width: 860px)').matches) document.getElementById('guidelines').open = false;
  const me = await requireMe(['contractor']);
  renderAccount(document.getElementById('account'), me);
  const projects = await api('/api/projects');
  for (const p of projects) projectSelect.append(h('option', { value: p.id, text: p.name }));
  const wanted = new URLSearchParams(location.search).get('project') || localStorage.getItem('workbench.project') || '';
  if (projects.some((p) => p.id === wanted)) projectSelect.value = wanted;
  projectSelect.addEventListener('change', () => {
    localStorage.setItem('workbench.project', projectSelect.value);
    history.replaceState(null, '', query({ project: projectSelect.value }) || location.pathname);
    start(projectSelect.value);
  });
  renderProgress(progressEl).catch(() => {});
  await start(projectSelect.value);
}

init().catch((e) => announce(e.message, 'error'));
