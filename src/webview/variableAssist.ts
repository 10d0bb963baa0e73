// Help with {{variables}} in the panel's fields (URL, query and header rows, body): completion after `{{` from the
// variables the panel knows, a hover text with each variable's value and where it comes from, and the highlighted
// copy of a field's text that sits behind it (overlay). Attached by delegation, so re-rendered rows keep it.
import type { EnvironmentInfo, VariableInfo } from '../panel/protocol';
import { h, ids } from './dom';
import { variableSegments } from './variableSegments';

type Field = HTMLInputElement | HTMLTextAreaElement;

/** `{{` and the start of a name just before the cursor. */
const OPEN_REFERENCE = /\{\{\s*([A-Za-z0-9_.$-]*)$/;

export class VariableAssist {
  private environment: EnvironmentInfo | undefined;
  private readonly list = h('div', { ...ids('variable-completion'), class: 'completion', role: 'listbox', 'aria-label': 'Variables', hidden: true });
  private field: Field | undefined;
  private matches: VariableInfo[] = [];
  private selected = 0;

  constructor() {
    document.body.appendChild(this.list);
    this.list.addEventListener('mousedown', (e) => {
      const option = (e.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (!option) return;
      e.preventDefault(); // keep the focus in the field
      this.accept(Number(option.dataset.index));
    });
  }

  setEnvironment(env: EnvironmentInfo): void {
    this.environment = env;
  }

  known(name: string): VariableInfo | undefined {
    return this.environment?.variables.find((v) => v.name === name);
  }

  /** "{{siteId}} = 1001 (remembered for Sandbox (local))" — one line per variable used in `text`. */
  describe(text: string): string {
    const env = this.environment?.name ?? 'the environment';
    const names = [...new Set(variableSegments(text).flatMap((s) => (s.variable === undefined ? [] : [s.variable])))];
    return names
      .map((name) => {
        const v = this.known(name);
        if (!v) return `{{${name}}}: not defined in ${env} — you are asked for it when you send`;
        const value = v.value === undefined ? '(hidden: looks like a secret)' : JSON.stringify(v.value);
        return `{{${name}}} = ${value} — ${v.source === 'remembered' ? `remembered for ${env} (this session)` : `a variable of ${env}`}`;
      })
      .join('\n');
  }

  /** The highlighted copy of `text` for an overlay: variables as spans (known or not), the rest as text. */
  overlay(text: string): Node[] {
    return variableSegments(text).map((s) => {
      if (s.variable === undefined) return document.createTextNode(s.text);
      const known = this.known(s.variable) !== undefined;
      return h('span', { class: known ? 'var' : 'var unknown' }, s.text);
    });
  }

  /** Completion and hover text for every field under `root` matching `selector`. */
  enable(root: HTMLElement, selector: string): void {
    const fieldOf = (target: EventTarget | null): Field | undefined =>
      target instanceof HTMLElement && target.matches(selector) && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) ? target : undefined;
    root.addEventListener('input', (e) => {
      const field = fieldOf(e.target);
      if (field) this.update(field);
    });
    root.addEventListener('keydown', (e) => this.onKey(e, fieldOf(e.target)), true);
    root.addEventListener('focusout', () => this.close());
    const hover = (e: Event): void => {
      const field = fieldOf(e.target);
      if (field) field.title = this.describe(field.value);
    };
    root.addEventListener('mouseover', hover);
    root.addEventListener('focusin', hover);
  }

  private update(field: Field): void {
    const before = field.value.slice(0, field.selectionStart ?? field.value.length);
    const open = OPEN_REFERENCE.exec(before);
    const all = this.environment?.variables ?? [];
    this.matches = open ? all.filter((v) => v.name.toLowerCase().startsWith((open[1] ?? '').toLowerCase())) : [];
    if (!open || this.matches.length === 0) {
      this.close();
      return;
    }
    this.field = field;
    this.selected = Math.min(this.selected, this.matches.length - 1);
    this.render();
    const r = field.getBoundingClientRect();
    this.list.style.left = `${r.left + window.scrollX}px`;
    this.list.style.top = `${r.bottom + window.scrollY + 2}px`;
    this.list.style.minWidth = `${Math.min(320, r.width)}px`;
    this.list.hidden = false;
    field.setAttribute('aria-expanded', 'true');
    field.setAttribute('aria-controls', 'variable-completion');
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.matches.map((v, i) =>
        h(
          'div',
          { id: `variable-option-${i}`, role: 'option', class: 'completion-option', 'data-index': i, 'aria-selected': String(i === this.selected) },
          h('span', { class: 'completion-name' }, v.name),
          h('span', { class: 'completion-detail' }, v.value === undefined ? v.source : `${v.value} · ${v.source}`),
        ),
      ),
    );
    this.field?.setAttribute('aria-activedescendant', `variable-option-${this.selected}`);
  }

  private onKey(e: KeyboardEvent, field: Field | undefined): void {
    if (!field || this.list.hidden || field !== this.field) return;
    const move = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (move) {
      this.selected = (this.selected + move + this.matches.length) % this.matches.length;
      this.render();
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      this.accept(this.selected);
    } else if (e.key === 'Escape') {
      this.close();
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  /** Completes the name under the cursor and closes the braces. */
  private accept(index: number): void {
    const field = this.field;
    const v = this.matches[index];
    if (!field || !v) return;
    const end = field.selectionStart ?? field.value.length;
    const open = OPEN_REFERENCE.exec(field.value.slice(0, end));
    const start = end - (open?.[1]?.length ?? 0);
    const closing = field.value.slice(end).startsWith('}}') ? '' : '}}';
    field.setRangeText(`${v.name}${closing}`, start, end, 'end');
    if (!closing) field.setSelectionRange(end - (end - start) + v.name.length + 2, end - (end - start) + v.name.length + 2);
    this.close();
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private close(): void {
    this.list.hidden = true;
    this.field?.removeAttribute('aria-activedescendant');
    this.field?.setAttribute('aria-expanded', 'false');
    this.field = undefined;
    this.selected = 0;
  }
}
