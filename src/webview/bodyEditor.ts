// The request body editor of the panel: JSON or raw text, Format, JSON syntax errors in words with the line, and
// the Tab key, with {{variables}} highlighted behind the text (variableAssist.ts). Tab indents unless "Tab moves focus" is on — VS Code's editor.tabFocusMode decides the start, Ctrl+M
// toggles it here as in VS Code, and Escape then Tab always leaves (keyboard users are never trapped).
import { formatJson, validateJson } from '../panel/jsonText';
import type { BodyMode, BodyProblemInfo, BodyProblemsKind, DraftRequest } from '../panel/protocol';
import { BodyProblemsView } from './bodyProblemsView';
import { h, ids } from './dom';
import type { VariableAssist } from './variableAssist';

export class BodyEditor {
  readonly element: HTMLElement;
  private readonly mode = h('select', { ...ids('body-mode'), 'aria-label': 'Body type' }, h('option', { value: 'json' }, 'JSON'), h('option', { value: 'raw' }, 'Raw text'));
  private readonly input = h('textarea', { ...ids('body'), class: 'body-input', autocomplete: 'off', spellcheck: 'false', rows: 12, 'aria-label': 'Request body', placeholder: '{ }', 'aria-describedby': 'body-error body-keys' });
  private readonly error = h('div', { ...ids('body-error'), class: 'field-error', 'aria-live': 'polite' });
  private readonly keys = h('div', { ...ids('body-keys'), class: 'hint keys-hint' });
  private checkTimer: number | undefined;
  private tabMovesFocus = false;
  /** The body text the user chose to send although it is not valid JSON (asked once per text). */
  private confirmedInvalid: string | undefined;

  /** Schema problems of the body as typed and a server's 400 mapped onto the body as sent (lines, clickable). */
  private readonly problems = new BodyProblemsView(
    () => this.input.value,
    (p) => this.goTo(p),
  );

  /** The body's text behind the textarea with {{variables}} highlighted. */
  private readonly overlay = h('pre', { ...ids('body-overlay'), class: 'body-overlay', 'aria-hidden': 'true' });

  /** @param reveal shows the body editor (selects its tab). */
  constructor(
    private readonly onChange: (patch: Partial<DraftRequest>) => void,
    private readonly assist: VariableAssist,
    private readonly reveal: () => void,
  ) {
    const format = h('button', { ...ids('format-body'), type: 'button', class: 'secondary-button' }, 'Format');
    this.element = h(
      'div',
      { class: 'body-editor' },
      h('div', { class: 'row' }, h('label', { for: 'body-mode' }, 'Type'), this.mode, format),
      h('div', { class: 'body-field' }, this.overlay, this.input),
      this.error,
      this.problems.element,
      this.keys,
    );
    this.input.addEventListener('scroll', () => (this.overlay.scrollTop = this.input.scrollTop));
    this.input.addEventListener('input', () => this.renderOverlay());
    this.mode.addEventListener('change', () => {
      this.onChange({ bodyMode: this.mode.value as BodyMode });
      this.check();
    });
    this.input.addEventListener('input', () => {
      this.onChange({ body: this.input.value });
      this.problems.bodyChanged();
      if (this.checkTimer !== undefined) clearTimeout(this.checkTimer);
      this.checkTimer = window.setTimeout(() => this.check(), 250);
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    format.addEventListener('click', () => {
      const formatted = formatJson(this.input.value);
      if (formatted !== undefined) {
        this.input.value = formatted;
        this.renderOverlay();
        this.mode.value = 'json';
        this.onChange({ body: formatted, bodyMode: 'json' });
      }
      this.check();
    });
    this.renderKeys();
  }

  set(draft: DraftRequest): void {
    this.mode.value = draft.bodyMode;
    this.input.value = draft.body;
    this.check();
    this.renderOverlay();
    this.problems.bodyChanged();
  }

  /** A list of body problems from the host (replaces the list of that kind). */
  setProblems(kind: BodyProblemsKind, fingerprint: string, title: string, problems: readonly BodyProblemInfo[]): void {
    this.problems.set(kind, fingerprint, title, problems);
  }

  /** Puts the cursor on a problem's value (its line selected from there) and scrolls it into view. */
  goTo(problem: Pick<BodyProblemInfo, 'line' | 'offset'>): void {
    this.reveal();
    const text = this.input.value;
    const offset = Math.min(problem.offset, text.length);
    const lineEnd = text.indexOf('\n', offset);
    this.input.focus();
    this.input.setSelectionRange(offset, lineEnd < 0 ? text.length : lineEnd);
    const lineHeight = Number.parseFloat(getComputedStyle(this.input).lineHeight) || 18;
    this.input.scrollTop = Math.max(0, (problem.line - 3) * lineHeight);
  }

  /** Re-highlights the {{variables}} (the text, or what the panel knows, changed). */
  renderOverlay(): void {
    // A trailing newline needs a character after it to take up its line, as in the textarea.
    this.overlay.replaceChildren(...this.assist.overlay(this.input.value), '\u200b');
    this.overlay.scrollTop = this.input.scrollTop;
  }

  /** VS Code's editor.tabFocusMode (the start; Ctrl+M toggles it in the panel). */
  setTabMovesFocus(on: boolean): void {
    this.tabMovesFocus = on;
    this.renderKeys();
  }

  /**
   * What to ask before sending this draft: its JSON body is not valid (in words, with the line), and the user has not
   * already said to send this very text anyway. undefined: nothing to ask.
   */
  problemBeforeSend(draft: DraftRequest): string | undefined {
    if (draft.bodyMode !== 'json' || draft.body.trim() === '' || draft.method === 'GET' || draft.method === 'HEAD') return undefined;
    if (draft.body === this.confirmedInvalid) return undefined;
    const result = validateJson(draft.body);
    if (!result.ok) return `The body is not valid JSON: ${result.message}.`;
    const schema = this.problems.schemaProblemsOf(draft.body);
    if (!schema) return undefined;
    const [first] = schema.problems;
    const n = schema.problems.length;
    return `The body has ${n} problem${n === 1 ? '' : 's'} against ${schema.title} (line ${first!.line} · ${first!.pathText}: ${first!.message}${n > 1 ? ', …' : ''}).`;
  }

  /** The question before sending an invalid JSON body: the problem, "Send Anyway" (its button second), "Show me". */
  sendPrompt(problem: string, onSendAnyway: () => void): Node[] {
    const anyway = h('button', { ...ids('send-anyway'), type: 'button', class: 'secondary-button' }, 'Send Anyway');
    const show = h('button', { ...ids('show-body-error'), type: 'button', class: 'link-button' }, 'Show me');
    anyway.addEventListener('click', onSendAnyway);
    show.addEventListener('click', () => {
      this.reveal();
      const first = this.problems.schemaProblemsOf(this.input.value)?.problems[0];
      const line = this.errorLine();
      if (line === undefined && first) this.goTo(first);
      else this.focusLine(line ?? 1);
    });
    return [h('span', {}, `${problem} Send it anyway? `), anyway, document.createTextNode(' '), show];
  }

  /** The user chose to send this body as it is. */
  sendAnyway(body: string): void {
    this.confirmedInvalid = body;
  }

  /** Puts the cursor at the start of a line (the JSON error's). */
  focusLine(line: number): void {
    const lines = this.input.value.split('\n');
    const offset = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
    this.input.focus();
    this.input.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
  }

  /** The line of the current JSON error, if any. */
  errorLine(): number | undefined {
    if (this.mode.value !== 'json' || this.input.value.trim() === '') return undefined;
    const result = validateJson(this.input.value);
    return result.ok ? undefined : result.line;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key.toLowerCase() === 'm' && e.ctrlKey && !e.shiftKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      this.setTabMovesFocus(!this.tabMovesFocus);
      return;
    }
    const plainTab = e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey;
    if (plainTab && !this.tabMovesFocus && this.input.dataset.escaped !== 'true') {
      e.preventDefault();
      this.input.setRangeText('  ', this.input.selectionStart, this.input.selectionEnd, 'end');
      this.onChange({ body: this.input.value });
      this.renderOverlay();
    }
    this.input.dataset.escaped = String(e.key === 'Escape');
  }

  private renderKeys(): void {
    this.keys.textContent = this.tabMovesFocus ? 'Tab moves focus · Ctrl+M: Tab indents' : 'Tab indents · Ctrl+M (or Escape, then Tab): Tab moves focus';
    this.input.dataset.tabMovesFocus = String(this.tabMovesFocus);
  }

  private check(): void {
    this.checkTimer = undefined;
    const text = this.input.value;
    const result = this.mode.value !== 'json' || text.trim() === '' ? { ok: true as const } : validateJson(text);
    this.error.textContent = result.ok ? '' : `Invalid JSON: ${result.message}`;
    if (result.ok) this.input.removeAttribute('aria-invalid');
    else this.input.setAttribute('aria-invalid', 'true');
  }
}
