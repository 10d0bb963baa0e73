// An editable name/value table with enable checkboxes (query parameters, headers).
import type { DraftRow } from '../panel/protocol';
import { h, ids } from './dom';

export class KeyValueTable {
  readonly element: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private rows: DraftRow[] = [];

  constructor(
    private readonly idPrefix: string,
    private readonly noun: string,
    private readonly onChange: (rows: DraftRow[]) => void,
  ) {
    this.tbody = h('tbody');
    const add = h('button', { ...ids(`add-${idPrefix}`), type: 'button', class: 'secondary-button' }, `+ Add ${noun}`);
    add.addEventListener('click', () => {
      this.rows = [...this.rows, { name: '', value: '', enabled: true }];
      this.render();
      this.onChange(this.rows);
      this.tbody.querySelector<HTMLInputElement>('tr:last-child input.kv-name')?.focus();
    });
    const table = h(
      'table',
      { ...ids(`${idPrefix}-table`), class: 'kv-table', 'aria-label': `${noun}s` },
      h('thead', {}, h('tr', {}, h('th', { class: 'kv-check' }, h('span', { class: 'sr-only' }, 'Enabled')), h('th', {}, 'Name'), h('th', {}, 'Value'), h('th', { class: 'kv-remove' }, h('span', { class: 'sr-only' }, 'Remove')))),
      this.tbody,
    );
    this.element = h('div', { class: 'kv' }, table, add);
  }

  get value(): DraftRow[] {
    return this.rows;
  }

  setRows(rows: readonly DraftRow[]): void {
    this.rows = rows.map((r) => ({ ...r }));
    this.render();
  }

  private update(index: number, patch: Partial<DraftRow>): void {
    const current = this.rows[index];
    if (!current) return;
    this.rows = this.rows.map((r, i) => (i === index ? { ...current, ...patch } : r));
    this.onChange(this.rows);
  }

  private render(): void {
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && this.tbody.contains(active) ? active.dataset.focusKey : undefined;
    this.tbody.replaceChildren(
      ...this.rows.map((row, index) => {
        const n = index + 1;
        const enabled = h('input', {
          autocomplete: 'off',
          type: 'checkbox',
          class: 'kv-enabled',
          'data-testid': `${this.idPrefix}-enabled-${n}`,
          'data-focus-key': `e${index}`,
          'aria-label': `Enable ${this.noun} ${n}`,
          checked: row.enabled,
        });
        enabled.addEventListener('change', () => {
          this.update(index, { enabled: enabled.checked });
          tr.classList.toggle('disabled', !enabled.checked);
        });
        const name = h('input', {
          autocomplete: 'off',
          type: 'text',
          class: 'kv-name',
          spellcheck: 'false',
          'data-testid': `${this.idPrefix}-name-${n}`,
          'data-focus-key': `n${index}`,
          'aria-label': `${this.noun} ${n} name`,
          placeholder: 'name',
          value: row.name,
        });
        name.addEventListener('input', () => this.update(index, { name: name.value }));
        const value = h('input', {
          autocomplete: 'off',
          type: 'text',
          class: 'kv-value',
          spellcheck: 'false',
          'data-testid': `${this.idPrefix}-value-${n}`,
          'data-focus-key': `v${index}`,
          'aria-label': `${this.noun} ${n} value`,
          placeholder: 'value',
          value: row.value,
        });
        value.addEventListener('input', () => this.update(index, { value: value.value }));
        const remove = h('button', { type: 'button', class: 'icon-button', 'data-testid': `${this.idPrefix}-remove-${n}`, 'aria-label': `Remove ${this.noun} ${n}`, title: 'Remove' }, '×');
        remove.addEventListener('click', () => {
          this.rows = this.rows.filter((_, i) => i !== index);
          this.render();
          this.onChange(this.rows);
        });
        const tr = h('tr', { class: row.enabled ? '' : 'disabled' }, h('td', { class: 'kv-check' }, enabled), h('td', {}, name), h('td', {}, value), h('td', { class: 'kv-remove' }, remove));
        return tr;
      }),
    );
    if (focusKey) this.tbody.querySelector<HTMLElement>(`[data-focus-key="${focusKey}"]`)?.focus();
    if (this.rows.length === 0) {
      this.tbody.appendChild(h('tr', { class: 'kv-empty' }, h('td', { colspan: 4 }, `No ${this.noun.toLowerCase()}s.`)));
    }
  }
}
