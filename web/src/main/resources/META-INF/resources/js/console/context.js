// What every console page shares: the chosen project and the list of projects.
import { api } from '../api.js';
import { h, replace } from '../dom.js';

const select = document.getElementById('project');
let projects = [];

export function currentProject() {
  return select.value;
}

export function projectName(id) {
  return projects.find((p) => p.id === id)?.name || id;
}

export function listProjects() {
  return projects;
}

export async function loadProjects(preferred) {
  projects = await api('/api/projects');
  const keep = preferred ?? select.value;
  replace(select, h('option', { value: '' }, 'All projects'), projects.map((p) => h('option', { value: p.id, text: p.name })));
  if (projects.some((p) => p.id === keep)) select.value = keep;
  return projects;
}

export function chooseProject(id) {
  select.value = id;
  localStorage.setItem('console.project', id);
  select.dispatchEvent(new Event('change'));
}

export function onProjectChange(listener) {
  select.addEventListener('change', () => {
    localStorage.setItem('console.project', select.value);
    listener(select.value);
  });
}

/** A message for pages that work on one project when "All projects" is chosen. */
export function needsProject(what) {
  return h('p', { class: 'notice' }, `Choose a project above to ${what}.`);
}
