// Small helpers of the cycle, registry and arena pages. Every text goes in as a text node or an
// attribute value: model outputs and label texts are untrusted and never parsed as HTML.

export async function api(path, { method = 'GET', body } = {}) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401) {
    location.assign(`/?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new Error('signed out');
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const detail = data?.detail || data?.title || `HTTP ${response.status}`;
    throw new Error(data?.field ? `${detail} (${data.field})` : detail);
  }
  return data;
}

/** h('td', {class: 'x', onclick: fn}, 'text', node) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value') el.value = value;
    else if (name === 'checked' || name === 'disabled') el[name] = Boolean(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function showError(target, error) {
  target.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message || String(error)));
}

export function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * A line chart of one metric over steps, one line per stage; redrawn from all points on update.
 * Plain SVG: the pages need nothing beyond the browser.
 */
export function lineChart(title) {
  const width = 420;
  const height = 180;
  const pad = 34;
  const root = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  const canvas = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title });
  root.appendChild(canvas);
  const series = new Map();
  const colours = ['#2563eb', '#dc2626', '#16a34a'];
  return {
    element: root,
    add(name, x, y) {
      if (!Number.isFinite(y)) return;
      if (!series.has(name)) series.set(name, []);
      series.get(name).push([x, y]);
      this.draw();
    },
    draw() {
      canvas.replaceChildren();
      const all = [...series.values()].flat();
      if (all.length === 0) return;
      const xs = all.map((p) => p[0]);
      const ys = all.map((p) => p[1]);
      const [x0, x1] = [Math.min(...xs), Math.max(...xs) || 1];
      const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
      const sx = (x) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - pad - 8);
      const sy = (y) => height - pad + 10 - ((y - y0) / (y1 - y0 || 1)) * (height - pad - 8);
      canvas.appendChild(svg('line', { x1: pad, y1: height - pad + 10, x2: width - 8, y2: height - pad + 10, stroke: '#999' }));
      const label = (x, y, text) => {
        const t = svg('text', { x, y, 'font-size': 10, fill: '#555' });
        t.textContent = text;
        canvas.appendChild(t);
        return t;
      };
      label(2, 12, y1.toPrecision(3));
      label(2, height - pad + 10, y0.toPrecision(3));
      label(width - 60, height - 4, `step ${x1}`);
      let i = 0;
      for (const [name, points] of series) {
        const colour = colours[i % colours.length];
        const d = points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
        canvas.appendChild(svg('path', { d, fill: 'none', stroke: colour, 'stroke-width': 1.5 }));
        label(pad + 60 + i * 70, 12, name).setAttribute('fill', colour);
        i += 1;
      }
    },
  };
}
