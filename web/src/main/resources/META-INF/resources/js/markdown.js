// Guidelines are Markdown written by researchers. They are rendered, then cut down to an allow-list
// before they touch the page: this is the only place the front end inserts HTML. The list keeps
// what guidelines need (headings, lists, emphasis, code, quotes, tables, links, images from this
// site) and nothing that can cover the page, catch clicks or call home: no style, class or id
// attributes, no forms or buttons, no frames, no images from elsewhere.
import { marked } from '/_static/marked/lib/marked.esm.js';
import DOMPurify from '/_static/dompurify/dist/purify.es.mjs';

const ALLOWED = {
  ALLOWED_TAGS: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code',
    'strong', 'b', 'em', 'i', 'del', 's', 'ul', 'ol', 'li',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'img',
  ],
  ALLOWED_ATTR: ['href', 'title', 'src', 'alt', 'start', 'align'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  // Web and mail links, and paths on this site; no javascript:, data: or other schemes.
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/(?!\/)|#)/i,
  RETURN_DOM_FRAGMENT: true,
};

function sameOrigin(url) {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
}

/** Renders Markdown into `el`, cut down to the allow-list. */
export function renderMarkdown(el, markdown) {
  const html = marked.parse(markdown || '', { async: false, gfm: true });
  const fragment = DOMPurify.sanitize(html, ALLOWED);
  // An image from another site would tell it who reads the guidelines and when: its text stays.
  for (const img of fragment.querySelectorAll('img')) {
    if (!sameOrigin(img.getAttribute('src') || '')) {
      img.replaceWith(document.createTextNode(img.getAttribute('alt') || ''));
    }
  }
  for (const link of fragment.querySelectorAll('a[href]')) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
  el.replaceChildren(fragment);
  return el;
}
