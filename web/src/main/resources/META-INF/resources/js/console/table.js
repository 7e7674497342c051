// A plain data table; cells are text (or nodes built with h), never HTML.
import { h } from '../dom.js';

/** columns: [{title, value: row => text|Node}] */
export function table(caption, columns, rows, empty = 'Nothing yet.') {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.title)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', { 'data-title': c.title }, c.value(row)))))),
    ),
  );
}
