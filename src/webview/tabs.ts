// An accessible tab strip (role=tablist, arrow keys move between tabs) with one panel per tab.
import { h, ids } from './dom';

export interface Tabs {
  readonly list: HTMLElement;
  readonly panels: ReadonlyMap<string, HTMLElement>;
  select(key: string, focus?: boolean): void;
  panel(key: string): HTMLElement;
}

export function tabs(idPrefix: string, label: string, names: ReadonlyArray<readonly [string, string]>, onSelect?: (key: string) => void): Tabs {
  const list = h('div', { role: 'tablist', class: 'tabs', 'aria-label': label });
  const panels = new Map<string, HTMLElement>();
  const buttons: HTMLButtonElement[] = [];
  const select = (key: string, focus = false): void => {
    for (const b of buttons) {
      const on = b.dataset.key === key;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    for (const [k, p] of panels) p.hidden = k !== key;
    onSelect?.(key);
  };
  names.forEach(([key, text], index) => {
    const b = h('button', { ...ids(`${idPrefix}-tab-${key}`), role: 'tab', type: 'button', class: 'tab', 'data-key': key, 'aria-controls': `${idPrefix}-panel-${key}` }, text);
    b.addEventListener('click', () => select(key));
    b.addEventListener('keydown', (e) => {
      const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!delta) return;
      e.preventDefault();
      const next = names[(index + delta + names.length) % names.length];
      if (next) select(next[0], true);
    });
    buttons.push(b);
    list.appendChild(b);
    panels.set(key, h('div', { ...ids(`${idPrefix}-panel-${key}`), role: 'tabpanel', class: 'tab-panel', 'aria-labelledby': `${idPrefix}-tab-${key}` }));
  });
  return { list, panels, select, panel: (key: string) => panels.get(key) ?? h('div') };
}
