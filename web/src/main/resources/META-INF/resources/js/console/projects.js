// Projects: create one, change its overlap and ranking task order, read and publish guideline versions.
import { api } from '../api.js';
import { field, formatDate, h, replace } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import { announce } from '../session.js';
import { accessSection } from './access.js';
import { chooseProject, currentProject, listProjects, loadProjects } from './context.js';
import { table } from './table.js';

// How a project orders the ranking tasks made from completion requests (the API's `selection`).
const SELECTIONS = [
  ['random', 'Random: in the order the completions arrived'],
  ['uncertainty', 'Uncertainty: prompts the reward model is least sure of first (without one: completions that differ most)'],
];

function selectionControl(value) {
  const select = h('select', {}, SELECTIONS.map(([v, label]) => h('option', { value: v }, label)));
  select.value = value || 'random';
  return select;
}

const SELECTION_HINT = 'Report and priority tasks still come first; random keeps the labeled prompts a sample of all.';

export function projectsPage(el) {
  const list = h('section', { 'aria-labelledby': 'projects-list' });
  const detail = h('section', { class: 'project-detail' });
  el.append(list, detail, newProjectForm());
  renderList();
  const id = currentProject();
  const ready = id ? showProject(id) : Promise.resolve();

  function renderList() {
    replace(
      list,
      h('h2', { id: 'projects-list' }, 'All projects'),
      table('Projects', [
        { title: 'Name', value: (p) => h('button', { type: 'button', class: 'link', onclick: () => chooseProject(p.id) }, p.name) },
        { title: 'Description', value: (p) => p.description || '' },
        { title: 'Demonstration overlap', value: (p) => String(p.demonstrationOverlap) },
        { title: 'Ranking overlap', value: (p) => String(p.rankingOverlap) },
        { title: 'Ranking task order', value: (p) => p.selection },
        { title: 'Created', value: (p) => formatDate(p.createdAt) },
      ], listProjects(), 'No projects yet: create the first one below.'),
    );
  }

  async function showProject(projectId) {
    const [project, versions, access] = await Promise.all([
      api(`/api/projects/${projectId}`),
      api(`/api/projects/${projectId}/guidelines`),
      accessSection(projectId),
    ]);
    const demo = h('input', { type: 'number', min: '1', max: '20', value: String(project.demonstrationOverlap) });
    const rank = h('input', { type: 'number', min: '1', max: '20', value: String(project.rankingOverlap) });
    const selection = selectionControl(project.selection);
    const settings = h(
      'form',
      { class: 'inline-form project-settings' },
      field('Demonstrations per prompt', demo),
      field('Rankings per completion set', rank),
      field('Ranking task order', selection, SELECTION_HINT),
      h('button', { type: 'submit' }, 'Save settings'),
    );
    settings.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api(`/api/projects/${projectId}`, {
          method: 'PATCH',
          body: {
            demonstrationOverlap: Number(demo.value),
            rankingOverlap: Number(rank.value),
            selection: selection.value,
          },
        });
        await loadProjects();
        renderList();
        announce('Settings saved.');
      } catch (e) {
        announce(e.message, 'error');
      }
    });

    const markdown = h('textarea', { rows: 12, class: 'editor' });
    markdown.value = versions.length ? versions[versions.length - 1].markdown : '';
    const publish = h(
      'form',
      {},
      field('New guideline version (Markdown)', markdown, 'Tasks leased from now on are labeled under the new version.'),
      h('button', { type: 'submit', class: 'primary' }, 'Publish version'),
    );
    publish.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const v = await api(`/api/projects/${projectId}/guidelines`, { method: 'POST', body: { markdown: markdown.value } });
        announce(`Guidelines version ${v.version} published.`);
        await showProject(projectId);
      } catch (e) {
        announce(e.message, 'error');
      }
    });

    const history = [...versions].reverse().map((v, i) =>
      h(
        'details',
        { class: 'guideline-version', open: i === 0 },
        h('summary', {}, `Version ${v.version} · ${v.createdBy} · ${formatDate(v.createdAt)}`),
        renderMarkdown(h('div', { class: 'markdown' }), v.markdown),
      ),
    );
    replace(
      detail,
      h('h2', { text: project.name }),
      project.description ? h('p', { text: project.description }) : null,
      settings,
      access,
      h('h3', {}, 'Guidelines'),
      history.length ? history : h('p', {}, 'No guidelines yet.'),
      publish,
    );
  }

  function newProjectForm() {
    const name = h('input', { required: true, maxlength: '200' });
    const description = h('input', { maxlength: '1000' });
    const guidelines = h('textarea', { rows: 6, class: 'editor' });
    const selection = selectionControl('random');
    const form = h(
      'form',
      { class: 'new-project' },
      h('h2', {}, 'New project'),
      field('Name', name),
      field('Description', description),
      field('Ranking task order', selection, SELECTION_HINT),
      field('First guidelines (Markdown)', guidelines),
      h('button', { type: 'submit', class: 'primary' }, 'Create project'),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const p = await api('/api/projects', {
          method: 'POST',
          body: {
            name: name.value,
            description: description.value || null,
            guidelines: guidelines.value || null,
            selection: selection.value,
          },
        });
        await loadProjects();
        announce(`Project ${p.name} created.`);
        chooseProject(p.id);
      } catch (e) {
        announce(e.message, 'error');
      }
    });
    return form;
  }

  return { ready };
}
