// Gold tasks (researchers mark, reviewers read): the project's gold rate, and its ranking and
// demonstration tasks with their gold answers. A ranking task's gold is its full order or one
// required pair; a demonstration task's is a checklist a reviewer scores each answer on. Contractors
// never reach this page nor its API. Prompts, completions and checklist items are untrusted text.
import { api, query } from '../api.js';
import { field, formatDate, h, replace } from '../dom.js';
import { announce } from '../session.js';
import { currentProject, needsProject } from './context.js';

const WRITERS = ['researcher', 'admin'];

export function goldPage(el, me) {
  const project = currentProject();
  if (!project) {
    el.append(needsProject('see and mark its gold tasks'));
    return {};
  }
  const mayMark = WRITERS.some((r) => me.roles.includes(r));
  const ready = render(el, project, mayMark);
  return { ready };
}

async function render(el, project, mayMark) {
  const [rate, tasks] = await Promise.all([
    api(`/api/projects/${project}/gold-rate`),
    api(`/api/projects/${project}/gold-tasks${query({ limit: 200 })}`),
  ]);
  const again = () => render(el, project, mayMark).catch((e) => announce(e.message, 'error'));
  replace(
    el,
    h('dl', { class: 'tiles' },
      h('div', { class: 'tile' }, h('dt', {}, 'Gold rate'), h('dd', { id: 'gold-rate-value', text: `${(rate.rate * 100).toFixed(1)}%` })),
      h('div', { class: 'tile' }, h('dt', {}, 'Gold tasks'), h('dd', { id: 'gold-task-count', text: String(rate.goldTasks) }))),
    h('p', { class: 'notice' },
      'Each task draw hands out a gold task with this probability while the contractor has one left to answer. '
        + 'Gold tasks look like any other to contractors; their answers score the contractor and never train.'),
    mayMark ? rateForm(project, rate, again) : null,
    tasks.length
      ? h('div', { class: 'gold-tasks' }, tasks.map((t) => taskCard(t, mayMark, again)))
      : h('p', { class: 'empty' }, 'This project has no ranking or demonstration tasks yet.'),
  );
}

function rateForm(project, rate, again) {
  const input = h('input', { id: 'gold-rate', type: 'number', min: '0', max: '1', step: '0.01', value: String(rate.rate) });
  const form = h('form', { class: 'inline-form gold-rate-form' },
    field('Gold rate (0–1)', input), h('button', { type: 'submit' }, 'Save gold rate'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`/api/projects/${project}/gold-rate`, { method: 'PUT', body: { rate: Number(input.value) } });
      announce('Gold rate saved.');
      await again();
    } catch (e) {
      announce(e.message, 'error');
    }
  });
  return form;
}

function taskCard(task, mayMark, again) {
  const byId = new Map(task.completions.map((c) => [c.id, c.text]));
  return h('article', { class: 'card gold-task', 'data-task': task.taskId },
    h('div', { class: 'row' },
      h('span', { class: 'badge' }, task.type.toLowerCase()),
      h('span', { class: 'badge' }, task.state.toLowerCase()),
      task.gold ? h('span', { class: 'badge gold' }, 'gold') : null),
    h('div', { class: 'conversation' }, task.conversation.map((turn) =>
      h('div', { class: `turn turn-${turn.role.toLowerCase()}` },
        h('span', { class: 'role' }, turn.role.toLowerCase()), h('div', { class: 'untrusted' }, turn.text)))),
    task.completions.length
      ? h('ol', { class: 'completions' }, task.completions.map((c) => h('li', { class: 'untrusted' }, c.text)))
      : null,
    task.gold ? goldAnswer(task.gold, byId) : null,
    mayMark ? markForm(task, again) : null);
}

/** The known answer as text: the order, the pair, or the checklist. */
function goldAnswer(gold, byId) {
  const a = gold.answer;
  let body;
  if (a.checklist) {
    body = h('div', {}, h('strong', {}, 'Checklist'), h('ul', { class: 'gold-checklist' }, a.checklist.map((item) => h('li', { class: 'untrusted' }, item))));
  } else if (a.order) {
    body = h('div', {}, h('strong', {}, 'Known order, best first'),
      h('ol', { class: 'gold-order' }, a.order.map((group) => h('li', { class: 'untrusted' }, group.map((id) => byId.get(id)).join(' = ')))));
  } else {
    body = h('p', { class: 'gold-pair' }, h('strong', {}, 'Required pair: '),
      h('span', { class: 'untrusted' }, byId.get(a.better)), ' over ', h('span', { class: 'untrusted' }, byId.get(a.worse)));
  }
  return h('div', { class: 'gold-answer' }, body, h('p', { class: 'meta' }, `Marked by ${gold.markedBy}, ${formatDate(gold.markedAt)}`));
}

function markForm(task, again) {
  const save = (body) => async (event) => {
    event.preventDefault();
    try {
      await api(`/api/tasks/${task.taskId}/gold`, { method: 'PUT', body: body() });
      announce('Gold answer saved.');
      await again();
    } catch (e) {
      announce(e.message, 'error');
    }
  };
  const summary = h('summary', {}, task.gold ? 'Change the gold answer' : 'Mark gold');
  if (task.type === 'DEMONSTRATION') {
    const items = h('textarea', { rows: 4, class: 'checklist-input' },
      task.gold?.answer?.checklist ? task.gold.answer.checklist.join('\n') : '');
    const form = h('form', { class: 'mark-checklist' },
      field('Checklist, one item per line (a reviewer scores each answer on it)', items),
      h('button', { type: 'submit' }, 'Save checklist'));
    form.addEventListener('submit', save(() => ({
      checklist: items.value.split('\n').map((s) => s.trim()).filter((s) => s),
    })));
    return h('details', { class: 'mark-gold' }, summary, form);
  }
  const ranks = task.completions.map((c, i) => {
    const input = h('input', { type: 'number', min: '1', max: String(task.completions.length), value: String(i + 1), 'data-completion': c.id });
    return h('div', { class: 'row' }, field(`Rank of «${short(c.text)}»`, input));
  });
  const orderForm = h('form', { class: 'mark-order' }, h('p', {}, 'Full order (1 is best; equal numbers tie)'), ranks,
    h('button', { type: 'submit' }, 'Save order'));
  orderForm.addEventListener('submit', save(() => ({ order: order(orderForm) })));
  const choices = () => task.completions.map((c) => h('option', { value: c.id, text: short(c.text) }));
  const better = h('select', { class: 'better' }, choices());
  const worse = h('select', { class: 'worse' }, choices());
  if (task.completions.length > 1) worse.selectedIndex = 1;
  const pairForm = h('form', { class: 'mark-pair' }, h('p', {}, 'Or one required pair'),
    field('Better', better), field('Worse', worse), h('button', { type: 'submit' }, 'Save pair'));
  pairForm.addEventListener('submit', save(() => ({ better: better.value, worse: worse.value })));
  return h('details', { class: 'mark-gold' }, summary, orderForm, pairForm);
}

function order(form) {
  const byRank = new Map();
  for (const input of form.querySelectorAll('input[data-completion]')) {
    const rank = Number(input.value);
    if (!byRank.has(rank)) byRank.set(rank, []);
    byRank.get(rank).push(input.dataset.completion);
  }
  return [...byRank.keys()].sort((a, b) => a - b).map((rank) => byRank.get(rank));
}

function short(text) {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
