// The line charts of the cycle page: one metric over steps, one line per stage, drawn in plain SVG
// (the page needs nothing beyond the browser). Series names come from trainers and go in as text.
import { h } from '/js/dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea'];
const WIDTH = 420;
const HEIGHT = 180;
const PAD = 34;
const MAX_MARKS = 200;

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function formatValue(y) {
  return Number.isInteger(y) ? String(y) : y.toPrecision(4).replace(/\.?0+$/, '');
}

/**
 * A chart with a legend under it that says each line's latest value in words, so the figures can
 * be read (and found by a screen reader) without hovering over the drawing.
 */
export function lineChart(title) {
  const canvas = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title });
  const legend = h('ul', { class: 'legend' });
  const root = h('figure', { class: 'chart', 'data-chart': title }, h('figcaption', {}, title), canvas, legend);
  const series = new Map();
  let drawPending = false;

  function draw() {
    canvas.replaceChildren();
    const all = [...series.values()].flat();
    if (all.length === 0) return;
    const xs = all.map((p) => p[0]);
    const ys = all.map((p) => p[1]);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    const sx = (x) => PAD + ((x - x0) / (x1 - x0 || 1)) * (WIDTH - PAD - 8);
    const sy = (y) => HEIGHT - PAD + 10 - ((y - y0) / (y1 - y0 || 1)) * (HEIGHT - PAD - 8);
    canvas.appendChild(svg('line', { x1: PAD, y1: HEIGHT - PAD + 10, x2: WIDTH - 8, y2: HEIGHT - PAD + 10, stroke: '#999' }));
    const label = (x, y, text) => {
      const t = svg('text', { x, y, 'font-size': 10, fill: '#555' });
      t.textContent = text;
      canvas.appendChild(t);
    };
    label(2, 12, formatValue(y1));
    label(2, HEIGHT - PAD + 10, formatValue(y0));
    label(WIDTH - 60, HEIGHT - 4, `step ${x1}`);
    const items = [];
    let i = 0;
    for (const [name, points] of series) {
      const colour = COLOURS[i % COLOURS.length];
      const d = points.map((p, j) => `${j ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ');
      canvas.appendChild(svg('path', { d, fill: 'none', stroke: colour, 'stroke-width': 1.5 }));
      // A single point draws no line: mark the points (the latest alone on a long run), so the
      // first report shows at once and each mark names its value on hover.
      for (const [x, y] of points.length > MAX_MARKS ? points.slice(-1) : points) {
        const dot = svg('circle', { cx: sx(x).toFixed(1), cy: sy(y).toFixed(1), r: 2, fill: colour });
        dot.appendChild(svg('title', {})).textContent = `${name}, step ${x}: ${formatValue(y)}`;
        canvas.appendChild(dot);
      }
      const [lastX, lastY] = points[points.length - 1];
      const item = h('li', {},
        `${name}: `, h('strong', {}, formatValue(lastY)), ` at step ${lastX} (${points.length} ${points.length === 1 ? 'point' : 'points'})`);
      // Through the style object: the content security policy refuses style attributes.
      item.style.borderLeftColor = colour;
      items.push(item);
      i += 1;
    }
    legend.replaceChildren(...items);
  }

  return {
    element: root,
    add(name, x, y) {
      if (!Number.isFinite(y)) return;
      if (!series.has(name)) series.set(name, []);
      series.get(name).push([x, y]);
      // A page of history adds thousands of points in one go: draw once, after the last.
      if (drawPending) return;
      drawPending = true;
      queueMicrotask(() => {
        drawPending = false;
        draw();
      });
    },
  };
}
