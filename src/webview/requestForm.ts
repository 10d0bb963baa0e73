// The request half of the request panel: environment header, name, method + URL (with {{variable}} overlay),
// Send/Cancel, Save/Copy as curl, and the Query/Headers/Body/Auth/Checks tabs. Owns the draft, the saved request it edits,
// and the Send in flight; tells the host about every change (debounced) and keeps a disk-safe copy for reloads.
import { HTTP_METHODS } from '../core/model';
import type { HttpMethod } from '../core/model';
import { emptyDraft, panelTitle, queryRowsFromUrl, urlWithQuery } from '../panel/draft';
import type { BodyProblemInfo, BodyProblemsKind, DraftRequest, DraftRow, EnvironmentInfo, PersistedPanelState } from '../panel/protocol';
import { BodyEditor } from './bodyEditor';
import { append, h, ids } from './dom';
import { keepState, post } from './hostLink';
import { ChecksTable } from './checksTable';
import { sendKeyLabel } from './format';
import { KeyValueTable } from './keyValueTable';
import { tabs } from './tabs';
import { VariableAssist } from './variableAssist';

export interface RequestFormEvents {
  /** A Send started (true) or ended (false). */
  onSending(on: boolean): void;
}

export class RequestForm {
  /** The form's parts, top to bottom. */
  readonly parts: readonly HTMLElement[];
  private draftValue: DraftRequest;
  private savedId: string | undefined;
  private environment: EnvironmentInfo | undefined;
  /** The Send in flight; clickedAt (performance.now()) when it was clicked in this webview. */
  private sending: { seq: number; clickedAt: number | undefined } | undefined;
  private nextSeq = Date.now();
  private stateTimer: number | undefined;

  private readonly envName = h('span', { ...ids('env-name'), class: 'env-name' }, '…');
  private readonly envBadge = h('span', { ...ids('env-badge'), class: 'env-badge', hidden: true }, 'PRODUCTION');
  private readonly nameInput = h('input', { ...ids('request-name'), type: 'text', class: 'name-input', autocomplete: 'off', placeholder: 'Untitled request', 'aria-label': 'Request name', spellcheck: 'false' });
  private readonly savedMark = h('span', { ...ids('saved-state'), class: 'saved-state' });
  private readonly revertButton = h('button', { ...ids('revert'), type: 'button', class: 'link-button', hidden: true, title: 'Discard the unsaved changes: back to the saved request' }, 'Revert');
  private dirty = false;
  /** A preview tab: the next request opened from the tree (or a Run results row) replaces it, unless it is edited or kept open. */
  private preview = false;
  private readonly keepOpenButton = h('button', { ...ids('keep-open'), type: 'button', class: 'link-button', title: 'Keep this request open: the next one opened from the tree gets its own tab' }, 'Keep Open');
  private readonly previewBar = h(
    'div',
    { ...ids('preview-bar'), class: 'preview-bar', hidden: true },
    h('span', { class: 'preview-label' }, 'Preview'),
    h('span', { class: 'hint' }, 'The next request opened from the tree or from Run results replaces this one. Edit it, double-click it in the tree, or'),
    this.keepOpenButton,
  );
  private readonly methodSelect = h('select', { ...ids('method'), 'aria-label': 'HTTP method' }, ...HTTP_METHODS.map((m) => h('option', { value: m }, m)));
  private readonly urlOverlay = h('div', { ...ids('url-overlay'), class: 'url-overlay', 'aria-hidden': 'true' });
  private readonly urlInput = h('input', { ...ids('url'), type: 'text', class: 'url-input', spellcheck: 'false', autocomplete: 'off', placeholder: '/path relative to the environment, or https://…', 'aria-label': 'Request URL or path' });
  private readonly sendButton = h('button', { ...ids('send'), type: 'button', class: 'primary-button', title: `Send (${sendKeyLabel(navigator.platform)})`, 'aria-keyshortcuts': 'Control+Enter Meta+Enter' }, 'Send');
  private readonly cancelButton = h('button', { ...ids('cancel'), type: 'button', class: 'secondary-button', disabled: true }, 'Cancel');
  private readonly progress = h('div', { ...ids('progress'), class: 'progress', hidden: true, role: 'progressbar', 'aria-label': 'Sending request' });
  private readonly notice = h('div', { ...ids('notice'), class: 'notice', role: 'status', 'aria-live': 'polite' });
  private readonly queryTable = new KeyValueTable('query', 'Query parameter', (rows) => this.onQueryRowsChanged(rows));
  private readonly headersTable = new KeyValueTable('headers', 'Header', (rows) => this.change({ headers: rows }));
  private readonly authSelect = h('select', { ...ids('auth'), 'aria-label': 'Authorization' }, h('option', { value: 'bearer' }, 'Bearer token from the environment'), h('option', { value: 'none' }, 'None'));
  private readonly authHint = h('p', { class: 'hint' });
  private readonly assist = new VariableAssist();
  private readonly requestTabs = tabs('request', 'Request parts', [['query', 'Query'], ['headers', 'Headers'], ['body', 'Body'], ['auth', 'Auth'], ['checks', 'Checks']]);
  private readonly body = new BodyEditor((patch) => this.change(patch), this.assist, () => this.requestTabs.select('body'));
  private readonly checksTable = new ChecksTable((checks, captures) => this.change({ checks, captures }));

  constructor(
    restored: PersistedPanelState | undefined,
    private readonly events: RequestFormEvents,
  ) {
    this.draftValue = restored?.draft ?? emptyDraft();
    this.savedId = restored?.savedId;
    const switchEnv = h('button', { ...ids('switch-env'), type: 'button', class: 'link-button', 'aria-label': 'Switch environment' }, 'Switch…');
    const saveButton = h('button', { ...ids('save'), type: 'button', class: 'secondary-button', title: 'Save to Saved Requests (Ctrl/Cmd+S)', 'aria-keyshortcuts': 'Control+S Meta+S' }, 'Save');
    const saveAsButton = h('button', { ...ids('save-as'), type: 'button', class: 'secondary-button', title: 'Save a copy under a new name' }, 'Save As…');
    const curlButton = h('button', { ...ids('copy-curl'), type: 'button', class: 'secondary-button', title: 'Copy as curl (the token comes from $STUDYTEAM_TOKEN)' }, 'Copy as curl');
    const curlTokenButton = h('button', { ...ids('copy-curl-token'), type: 'button', class: 'link-button', title: 'Copy as curl including a live token (asks first)' }, 'with token…');
    const requestTabs = this.requestTabs;
    append(requestTabs.panel('query'), [this.queryTable.element]);
    append(requestTabs.panel('headers'), [this.headersTable.element]);
    append(requestTabs.panel('body'), [this.body.element]);
    append(requestTabs.panel('auth'), [h('div', { class: 'row' }, h('label', { for: 'auth' }, 'Auth'), this.authSelect), this.authHint]);
    append(requestTabs.panel('checks'), [this.checksTable.element]);
    requestTabs.select('query');
    this.parts = [
      this.previewBar,
      // The environment, the URL and Send stay in view while a long response scrolls (sticky).
      h(
        'div',
        { ...ids('request-bar'), class: 'request-bar' },
        h('header', { class: 'top' }, h('div', { class: 'env', ...ids('env') }, h('span', { class: 'env-label' }, 'Environment'), this.envName, this.envBadge, switchEnv), this.nameInput, this.savedMark, this.revertButton),
        h('div', { class: 'request-line' }, this.methodSelect, h('div', { class: 'url-field' }, this.urlOverlay, this.urlInput), this.sendButton, this.cancelButton),
        this.progress,
      ),
      h('div', { class: 'toolbar' }, saveButton, saveAsButton, curlButton, curlTokenButton, this.notice),
      h('section', { class: 'request', 'aria-label': 'Request' }, requestTabs.list, ...requestTabs.panels.values()),
    ];

    for (const part of this.parts) this.assist.enable(part, '#url, input.kv-name, input.kv-value, textarea.body-input');
    this.nameInput.addEventListener('input', () => this.change({ name: this.nameInput.value }));
    this.methodSelect.addEventListener('change', () => this.change({ method: this.methodSelect.value as HttpMethod }));
    this.urlInput.addEventListener('input', () => {
      const query = queryRowsFromUrl(this.urlInput.value, this.draftValue.query);
      this.queryTable.setRows(query);
      this.renderUrlOverlay();
      this.change({ url: this.urlInput.value, query });
    });
    this.urlInput.addEventListener('scroll', () => (this.urlOverlay.scrollLeft = this.urlInput.scrollLeft));
    this.urlInput.addEventListener('keyup', () => (this.urlOverlay.scrollLeft = this.urlInput.scrollLeft));
    this.authSelect.addEventListener('change', () => {
      this.change({ auth: this.authSelect.value === 'none' ? 'none' : 'bearer' });
      this.renderAuthHint();
    });
    switchEnv.addEventListener('click', () => post({ type: 'switchEnvironment' }));
    this.sendButton.addEventListener('click', () => this.send());
    this.cancelButton.addEventListener('click', () => this.cancel());
    saveButton.addEventListener('click', () => this.save());
    saveAsButton.addEventListener('click', () => {
      this.flushState();
      post({ type: 'saveAs', draft: this.draftValue });
    });
    this.revertButton.addEventListener('click', () => post({ type: 'revert' }));
    this.keepOpenButton.addEventListener('click', () => post({ type: 'keepOpen' }));
    curlButton.addEventListener('click', () => post({ type: 'copyCurl', draft: this.draftValue, includeToken: false }));
    curlTokenButton.addEventListener('click', () => post({ type: 'copyCurl', draft: this.draftValue, includeToken: true }));
    this.apply();
  }

  get draft(): DraftRequest {
    return this.draftValue;
  }

  get isPreview(): boolean {
    return this.preview;
  }

  get isSending(): boolean {
    return this.sending !== undefined;
  }

  /** The host's state (init): the draft and which saved request it is. */
  adopt(state: PersistedPanelState): void {
    this.draftValue = state.draft;
    this.savedId = state.savedId;
    keepState(this.persisted());
    this.apply();
  }

  /** The tab a request opens on: its body when it has one and no query parameters (a POST opens on what it sends). */
  selectOpeningTab(): void {
    const d = this.draftValue;
    this.requestTabs.select(d.body.trim() !== '' && d.query.length === 0 ? 'body' : 'query');
  }

  applyEnvironment(env: EnvironmentInfo): void {
    this.environment = env;
    this.assist.setEnvironment(env);
    this.body.renderOverlay();
    this.envName.textContent = env.name;
    this.envName.title = env.baseUrl;
    this.envBadge.hidden = !env.production;
    document.body.classList.toggle('production', env.production);
    this.renderUrlOverlay();
    this.renderAuthHint();
  }

  markSaved(savedId: string, name: string, where: string | undefined): void {
    this.savedId = savedId;
    this.draftValue = { ...this.draftValue, name };
    this.nameInput.value = name;
    keepState(this.persisted());
    document.title = `StudyTeam Request: ${panelTitle(this.draftValue)}`;
    this.showNotice('info', `Saved "${name}"${where ? ` to ${where}` : ''}.`);
  }

  /** Which saved request this is (none: an unsaved draft) and whether it has unsaved edits. */
  setSavedState(savedId: string | undefined, dirty: boolean): void {
    this.savedId = savedId;
    this.dirty = dirty;
    keepState(this.persisted());
    this.renderSavedMark();
  }

  private renderSavedMark(): void {
    this.savedMark.textContent = this.savedId ? (this.dirty ? '● Modified' : 'Saved request') : 'Not saved';
    this.savedMark.classList.toggle('modified', this.savedId !== undefined && this.dirty);
    this.savedMark.title = this.savedId ? (this.dirty ? 'Unsaved changes: Save (Ctrl/Cmd+S) or Revert' : 'Saved in Saved Requests') : 'Not in Saved Requests yet: Save asks where to put it';
    this.revertButton.hidden = !(this.savedId && this.dirty);
  }

  /** The host says whether this panel is a preview tab. */
  setPreview(on: boolean): void {
    this.preview = on;
    this.previewBar.hidden = !on;
  }

  showNotice(level: 'info' | 'error', message: string): void {
    this.notice.textContent = message;
    this.notice.className = `notice ${level}`;
  }

  /** Body problems from the host: the schema check of the body, or a server's 400 mapped onto the body as sent. */
  setBodyProblems(kind: BodyProblemsKind, fingerprint: string, title: string, problems: readonly BodyProblemInfo[]): void {
    this.body.setProblems(kind, fingerprint, title, problems);
  }

  /** VS Code's editor.tabFocusMode: whether Tab leaves the body editor. */
  setTabMovesFocus(on: boolean): void {
    this.body.setTabMovesFocus(on);
  }

  /** Puts the cursor in the URL field (a new panel is ready to type into). */
  focusUrl(): void {
    if (document.activeElement === document.body || document.activeElement === null) this.urlInput.focus();
  }

  /** Asks once before sending a JSON body that is not valid JSON: Send Anyway, or Show me (the line). */
  private askBeforeSending(problem: string): void {
    const prompt = this.body.sendPrompt(problem, () => {
      this.showNotice('info', '');
      this.send(true);
    });
    this.notice.replaceChildren(...prompt);
    this.notice.className = 'notice error';
    (prompt[1] as HTMLElement).focus();
  }

  send(anyway = false): void {
    if (this.sending) return;
    const problem = this.body.problemBeforeSend(this.draftValue);
    if (problem && !anyway) {
      this.askBeforeSending(problem);
      return;
    }
    if (problem) this.body.sendAnyway(this.draftValue.body);
    this.flushState();
    const seq = this.nextSeq++;
    this.sending = { seq, clickedAt: performance.now() };
    this.showSending(true);
    post({ type: 'send', seq, draft: this.draftValue });
  }

  cancel(): void {
    if (this.sending) post({ type: 'cancel', seq: this.sending.seq });
  }

  save(): void {
    this.flushState();
    post({ type: 'save', draft: this.draftValue });
  }

  /** The host runs a Send (one this webview did not start, e.g. before a hide/reveal). */
  sendingOnHost(seq: number): void {
    if (!this.sending || this.sending.seq !== seq) this.sending = { seq, clickedAt: undefined };
    this.nextSeq = Math.max(this.nextSeq, seq + 1);
    this.showSending(true);
  }

  /** Whether an answer for seq belongs to a Send this webview no longer waits for (a newer one is running). */
  isSuperseded(seq: number): boolean {
    return this.sending !== undefined && this.sending.seq !== seq;
  }

  /** The Send seq was answered; returns when it was clicked in this webview (undefined if not). */
  finishSend(seq: number): number | undefined {
    const clickedAt = this.sending?.seq === seq ? this.sending.clickedAt : undefined;
    this.stopSending();
    return clickedAt;
  }

  /** No Send runs any more (the host's `init` said so: e.g. a preview panel now shows another request). */
  stopSending(): void {
    this.sending = undefined;
    this.showSending(false);
  }

  /** Sends pending edits to the host now (before Send/Save, or when the webview is hidden). */
  flushState(): void {
    if (this.stateTimer === undefined) return;
    clearTimeout(this.stateTimer);
    this.stateTimer = undefined;
    post({ type: 'stateChanged', state: this.persisted() });
  }

  private persisted(): PersistedPanelState {
    return { version: 1, draft: this.draftValue, ...(this.savedId ? { savedId: this.savedId } : {}) };
  }

  private change(patch: Partial<DraftRequest>): void {
    this.draftValue = { ...this.draftValue, ...patch };
    keepState(this.persisted());
    document.title = `StudyTeam Request: ${panelTitle(this.draftValue)}`;
    if (this.stateTimer !== undefined) clearTimeout(this.stateTimer);
    this.stateTimer = window.setTimeout(() => {
      this.stateTimer = undefined;
      post({ type: 'stateChanged', state: this.persisted() });
    }, 200);
    // An edit makes a preview stay: the host hears of it at once, before a next click in the tree could replace it.
    if (this.preview) this.flushState();
  }

  private showSending(on: boolean): void {
    this.progress.hidden = !on;
    this.cancelButton.disabled = !on;
    this.sendButton.disabled = on;
    this.events.onSending(on);
  }

  private apply(): void {
    const d = this.draftValue;
    this.nameInput.value = d.name;
    this.methodSelect.value = d.method;
    this.urlInput.value = d.url;
    this.queryTable.setRows(d.query);
    this.headersTable.setRows(d.headers);
    this.checksTable.setRows(d.checks, d.captures);
    this.body.set(d);
    this.authSelect.value = d.auth;
    this.renderSavedMark();
    document.title = `StudyTeam Request: ${panelTitle(d)}`;
    this.renderUrlOverlay();
    this.renderAuthHint();
  }

  private renderUrlOverlay(): void {
    this.urlOverlay.replaceChildren(...this.assist.overlay(this.urlInput.value));
    this.urlOverlay.scrollLeft = this.urlInput.scrollLeft;
  }

  private onQueryRowsChanged(rows: DraftRow[]): void {
    const url = urlWithQuery(this.draftValue.url, rows);
    this.urlInput.value = url;
    this.renderUrlOverlay();
    this.change({ query: rows, url });
  }

  private renderAuthHint(): void {
    this.authHint.textContent =
      this.draftValue.auth === 'bearer'
        ? `An access token for ${this.environment?.name ?? 'the active environment'} is fetched and sent as "Authorization: Bearer …" by the extension. It never reaches this panel.`
        : 'No Authorization header is sent.';
  }
}
