// Calls to labeling-service shared by the reports and chat pages. Every error answer is
// application/problem+json; its detail (and field) is what the user is shown.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.field = problem ? problem.field : undefined;
  }
}

export async function api(method, path, body) {
  const options = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Shows a sign-in form in place of the page when the session is missing; the form posts to
// Quarkus' form login and reloads the page once signed in.
export function showSignIn(container) {
  container.replaceChildren();
  const form = element('form', { className: 'sign-in' });
  form.append(
    element('h2', { textContent: 'Sign in' }),
    labelled('Username', element('input', { name: 'j_username', autocomplete: 'username', required: true })),
    labelled('Password', element('input', { name: 'j_password', type: 'password', autocomplete: 'current-password', required: true })),
    element('button', { type: 'submit', textContent: 'Sign in' }),
  );
  const message = element('p', { className: 'error', role: 'alert' });
  form.append(message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch('/j_security_check', {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
    });
    if (response.ok) window.location.reload();
    else message.textContent = 'Wrong username or password.';
  });
  container.append(form);
}

// Builds an element; text always goes in through textContent, never as HTML.
export function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

export function labelled(text, control) {
  return element('label', {}, [element('span', { textContent: text }), control]);
}

export const CATEGORIES = ['HARMFUL', 'UNTRUTHFUL', 'UNHELPFUL', 'WRONG_REFUSAL', 'OTHER'];

export function categoryName(category) {
  return category.toLowerCase().replace('_', ' ');
}
