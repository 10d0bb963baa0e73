// The Checks tab: a table of checks (kind, path, operator, value) and one of captures (name ← source, path),
// each row validated as it is typed with the same rules as the saved-requests file (core/checkRows).
import { captureRowErrors, checkRowErrors, type CaptureRow, type CheckRow } from '../core/checkRows';
import { CHECK_OPERATORS, type CheckKind } from '../core/checks';
import { h, ids } from './dom';

const KINDS = Object.keys(CHECK_OPERATORS) as CheckKind[];
const PATH_KINDS = new Set(['header', 'json']);
const NO_VALUE_OPS = new Set(['exists', 'valid']);
const PLACEHOLDERS: Record<string, string> = { header: 'content-type', json: '$.payload.referral[0].subjectId' };

function select(options: readonly string[], value: string, attrs: Record<string, string>): HTMLSelectElement {
  const el = h('select', attrs, ...options.map((o) => h('option', { value: o }, o)));
  el.value = value;
  return el;
}

export class ChecksTable {
  readonly element: HTMLElement;
  private readonly checksBody = h('tbody');
  private readonly capturesBody = h('tbody');
  private checks: CheckRow[] = [];
  private captures: CaptureRow[] = [];

  constructor(private readonly onChange: (checks: CheckRow[], captures: CaptureRow[]) => void) {
    const addCheck = h('button', { ...ids('add-check'), type: 'button', class: 'secondary-button' }, '+ Add check');
    addCheck.addEventListener('click', () => {
      this.checks = [...this.checks, { kind: 'status', path: '', op: 'equals', value: '200' }];
      this.changed();
    });
    const addCapture = h('button', { ...ids('add-capture'), type: 'button', class: 'secondary-button' }, '+ Add capture');
    addCapture.addEventListener('click', () => {
      this.captures = [...this.captures, { name: '', from: 'json', path: '$.id' }];
      this.changed();
    });
    const head = (...names: string[]): HTMLElement => h('thead', {}, h('tr', {}, ...names.map((n) => h('th', {}, n)), h('th', { class: 'kv-remove' }, h('span', { class: 'sr-only' }, 'Remove'))));
    this.element = h(
      'div',
      { class: 'kv checks' },
      h('p', { class: 'hint' }, 'Checks run with Run Folder, the Test Explorer and studyteam-run. No checks: a 2xx answer passes. Values may use {{variables}}.'),
      h('table', { ...ids('checks-table'), class: 'kv-table', 'aria-label': 'Checks' }, head('Kind', 'Path', 'Operator', 'Value'), this.checksBody),
      addCheck,
      h('p', { class: 'hint' }, 'Captures become {{name}} for the following requests of the same run (memory only).'),
      h('table', { ...ids('captures-table'), class: 'kv-table', 'aria-label': 'Captures' }, head('Name', 'From', 'Path'), this.capturesBody),
      addCapture,
    );
  }

  setRows(checks: readonly CheckRow[] | undefined, captures: readonly CaptureRow[] | undefined): void {
    this.checks = (checks ?? []).map((r) => ({ ...r }));
    this.captures = (captures ?? []).map((r) => ({ ...r }));
    this.render();
  }

  private changed(): void {
    this.render();
    this.onChange(this.checks, this.captures);
  }

  private updateCheck(index: number, patch: Partial<CheckRow>, rerender: boolean): void {
    this.checks = this.checks.map((r, i) => (i === index ? { ...r, ...patch } : r));
    if (rerender) this.render();
    else this.renderErrors();
    this.onChange(this.checks, this.captures);
  }

  private updateCapture(index: number, patch: Partial<CaptureRow>, rerender: boolean): void {
    this.captures = this.captures.map((r, i) => (i === index ? { ...r, ...patch } : r));
    if (rerender) this.render();
    else this.renderErrors();
    this.onChange(this.checks, this.captures);
  }

  private input(testId: string, label: string, value: string, placeholder: string, disabled: boolean, onInput: (v: string) => void): HTMLInputElement {
    const el = h('input', { autocomplete: 'off', type: 'text', spellcheck: 'false', 'data-testid': testId, 'data-focus-key': testId, 'aria-label': label, placeholder, value, disabled });
    el.addEventListener('input', () => onInput(el.value));
    return el;
  }

  private remove(testId: string, label: string, onClick: () => void): HTMLButtonElement {
    const b = h('button', { type: 'button', class: 'icon-button', 'data-testid': testId, 'aria-label': label, title: 'Remove' }, '×');
    b.addEventListener('click', onClick);
    return b;
  }

  private render(): void {
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && this.element.contains(active) ? active.dataset.focusKey : undefined;
    this.checksBody.replaceChildren(
      ...this.checks.map((row, index) => {
        const n = index + 1;
        const kind = select(KINDS, row.kind, { 'data-testid': `check-kind-${n}`, 'aria-label': `Check ${n} kind` });
        kind.addEventListener('change', () => {
          const ops = CHECK_OPERATORS[kind.value as CheckKind] ?? [];
          this.updateCheck(index, { kind: kind.value, op: ops.includes(row.op) ? row.op : (ops[0] ?? ''), path: PATH_KINDS.has(kind.value) ? row.path : '' }, true);
        });
        const op = select(CHECK_OPERATORS[row.kind as CheckKind] ?? [], row.op, { 'data-testid': `check-op-${n}`, 'aria-label': `Check ${n} operator` });
        op.addEventListener('change', () => this.updateCheck(index, { op: op.value, value: NO_VALUE_OPS.has(op.value) ? '' : row.value }, true));
        const path = this.input(`check-path-${n}`, `Check ${n} path`, row.path, PLACEHOLDERS[row.kind] ?? '', !PATH_KINDS.has(row.kind), (v) => this.updateCheck(index, { path: v }, false));
        const value = this.input(`check-value-${n}`, `Check ${n} value`, row.value, 'value', NO_VALUE_OPS.has(row.op), (v) => this.updateCheck(index, { value: v }, false));
        const remove = this.remove(`check-remove-${n}`, `Remove check ${n}`, () => {
          this.checks = this.checks.filter((_, i) => i !== index);
          this.changed();
        });
        return [
          h('tr', {}, h('td', {}, kind), h('td', {}, path), h('td', {}, op), h('td', {}, value), h('td', { class: 'kv-remove' }, remove)),
          h('tr', { class: 'row-error', 'data-testid': `check-error-${n}`, hidden: true }, h('td', { colspan: 5 })),
        ];
      }).flat(),
    );
    if (!this.checks.length) this.checksBody.appendChild(h('tr', { class: 'kv-empty' }, h('td', { colspan: 5 }, 'No checks: a 2xx answer passes.')));
    this.capturesBody.replaceChildren(
      ...this.captures.map((row, index) => {
        const n = index + 1;
        const name = this.input(`capture-name-${n}`, `Capture ${n} name`, row.name, 'referralId', false, (v) => this.updateCapture(index, { name: v }, false));
        const from = select(['json', 'header', 'status'], row.from, { 'data-testid': `capture-from-${n}`, 'aria-label': `Capture ${n} source` });
        from.addEventListener('change', () => this.updateCapture(index, { from: from.value, path: from.value === 'status' ? '' : row.path }, true));
        const path = this.input(`capture-path-${n}`, `Capture ${n} path`, row.path, row.from === 'header' ? 'location' : '$.id', row.from === 'status', (v) => this.updateCapture(index, { path: v }, false));
        const remove = this.remove(`capture-remove-${n}`, `Remove capture ${n}`, () => {
          this.captures = this.captures.filter((_, i) => i !== index);
          this.changed();
        });
        return [
          h('tr', {}, h('td', {}, name), h('td', {}, from), h('td', {}, path), h('td', { class: 'kv-remove' }, remove)),
          h('tr', { class: 'row-error', 'data-testid': `capture-error-${n}`, hidden: true }, h('td', { colspan: 4 })),
        ];
      }).flat(),
    );
    if (!this.captures.length) this.capturesBody.appendChild(h('tr', { class: 'kv-empty' }, h('td', { colspan: 4 }, 'No captures.')));
    this.renderErrors();
    if (focusKey) this.element.querySelector<HTMLElement>(`[data-focus-key="${focusKey}"]`)?.focus();
  }

  /** The same messages the file validation gives, under each row. */
  private renderErrors(): void {
    const show = (testId: string, errors: string[]): void => {
      const tr = this.element.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
      if (!tr) return;
      tr.hidden = errors.length === 0;
      tr.firstElementChild!.textContent = errors.join(' ');
    };
    this.checks.forEach((row, i) => show(`check-error-${i + 1}`, checkRowErrors(row, i)));
    this.captures.forEach((row, i) => show(`capture-error-${i + 1}`, captureRowErrors(row, i)));
  }
}
