// Guidelines are Markdown written by researchers. They are rendered, then sanitized with DOMPurify
// before they touch the page: this is the only place the front end inserts HTML.
import { marked } from '/_static/marked/lib/marked.esm.js';
import DOMPurify from '/_static/dompurify/dist/purify.es.mjs';

/** Renders Markdown into `el`, sanitized. */
export function renderMarkdown(el, markdown) {
  const html = marked.parse(markdown || '', { async: false, gfm: true });
  el.innerHTML = DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
  for (const link of el.querySelectorAll('a[href]')) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
  return el;
}
