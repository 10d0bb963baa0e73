// A lazy JSON tree: the value is parsed once, but DOM exists only for what is visible. Containers render
// their children in chunks ("Show N more…") and build them on first expand, so a 10 MB response paints a few
// hundred nodes, not millions. Syntax colours come from VS Code theme variables (panel.css).
import { childCount, childSlice, containerSummary, jsonKind, scalarText } from './jsonModel';
import { h } from './dom';

/** Children rendered per chunk. */
export const CHUNK = 100;
/** Nodes the first render may create by auto-expanding nested containers. */
const INITIAL_BUDGET = 400;
const AUTO_EXPAND_DEPTH = 2;

interface Budget {
  left: number;
}

export function renderJsonTree(value: unknown): HTMLElement {
  const root = h('div', { class: 'json-tree', role: 'group', 'aria-label': 'JSON response' });
  const budget: Budget = { left: INITIAL_BUDGET };
  root.appendChild(renderNode(undefined, value, 0, budget, true));
  return root;
}

function keyLabel(key: string | undefined, isIndex: boolean): HTMLElement | null {
  if (key === undefined) return null;
  return isIndex ? h('span', { class: 'json-index' }, `${key}: `) : h('span', { class: 'json-key' }, JSON.stringify(key), h('span', { class: 'json-punct' }, ': '));
}

function renderNode(key: string | undefined, value: unknown, depth: number, budget: Budget, isIndex: boolean, last = true): HTMLElement {
  const kind = jsonKind(value);
  budget.left--;
  const comma = last ? null : h('span', { class: 'json-punct' }, ',');
  if (kind !== 'object' && kind !== 'array') {
    return h('div', { class: 'json-line' }, h('span', { class: 'json-spacer' }), keyLabel(key, isIndex), h('span', { class: `json-${kind}` }, scalarText(value)), comma);
  }
  const open = kind === 'array' ? '[' : '{';
  const close = kind === 'array' ? ']' : '}';
  const count = childCount(value);
  if (count === 0) {
    return h('div', { class: 'json-line' }, h('span', { class: 'json-spacer' }), keyLabel(key, isIndex), h('span', { class: 'json-punct' }, `${open}${close}`), comma);
  }
  const label = key === undefined ? 'root' : key;
  const toggle = h('button', { class: 'json-toggle', type: 'button', 'aria-expanded': 'false', 'aria-label': `Expand ${label}`, title: `${count} ${kind === 'array' ? 'items' : 'keys'}` }, '▸');
  const summary = h('span', { class: 'json-summary' }, containerSummary(value));
  const openEl = h('span', { class: 'json-punct json-open', hidden: true }, open);
  const head = h('div', { class: 'json-line' }, toggle, keyLabel(key, isIndex), openEl, summary);
  const body = h('div', { class: 'json-children', hidden: true });
  const tail = h('div', { class: 'json-line json-close', hidden: true }, h('span', { class: 'json-spacer' }), h('span', { class: 'json-punct' }, close), comma);
  const node = h('div', { class: 'json-node' }, head, body, tail);
  let built = 0;
  const buildMore = (b: Budget): void => {
    const more = body.querySelector(':scope > .json-more');
    more?.remove();
    const slice = childSlice(value, built, CHUNK);
    const frag = document.createDocumentFragment();
    for (const [k, v] of slice) {
      built++;
      frag.appendChild(renderNode(k, v, depth + 1, b, kind === 'array', built === count));
    }
    body.appendChild(frag);
    if (built < count) {
      const rest = count - built;
      const button = h('button', { class: 'json-more link-button', type: 'button' }, `Show ${Math.min(CHUNK, rest)} more (${rest} left)`);
      button.addEventListener('click', () => buildMore({ left: 0 }));
      body.appendChild(button);
    }
  };
  const setExpanded = (expanded: boolean, b: Budget): void => {
    if (expanded && built === 0) buildMore(b);
    body.hidden = !expanded;
    tail.hidden = !expanded;
    summary.hidden = expanded;
    openEl.hidden = !expanded;
    toggle.textContent = expanded ? '▾' : '▸';
    toggle.setAttribute('aria-expanded', String(expanded));
    toggle.setAttribute('aria-label', `${expanded ? 'Collapse' : 'Expand'} ${label}`);
  };
  toggle.addEventListener('click', () => setExpanded(body.hidden, { left: 0 }));
  if (depth === 0 || (depth < AUTO_EXPAND_DEPTH && budget.left > Math.min(count, CHUNK))) setExpanded(true, budget);
  return node;
}
