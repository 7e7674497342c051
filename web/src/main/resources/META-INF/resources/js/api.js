// The labeling-service HTTP API: JSON in and out, application/problem+json errors.

export class ApiError extends Error {
  constructor(status, problem) {
    const detail = problem?.detail || problem?.title || `HTTP ${status}`;
    super(problem?.field ? `${detail} (${problem.field})` : detail);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Calls the API. `body` is sent as JSON unless `contentType` says otherwise (then it is sent as
 * is). Answers the parsed JSON, or null for 204. A 401 sends the browser to the sign-in page.
 */
export async function api(path, { method = 'GET', body, contentType, headers = {} } = {}) {
  // X-Requested-With marks the call as this front end's: pages of other sites cannot send it
  // without asking first, so the service refuses state changes without it (CSRF).
  const init = {
    method,
    headers: { Accept: 'application/json', 'X-Requested-With': 'rlhf-web', ...headers },
    credentials: 'same-origin',
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType || 'application/json';
    init.body = contentType ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    toSignIn();
    throw new ApiError(401, { title: 'Signed out' });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = { title: response.statusText };
    }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export function toSignIn() {
  // The query too: the cycle page and the workbench say what they show in it (?id=, ?project=).
  const back = location.pathname + location.search + location.hash;
  location.assign(`/?next=${encodeURIComponent(back)}`);
}

/** A random UUID, also where crypto.randomUUID is missing (plain HTTP on a LAN address). */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Builds a query string from the non-empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
