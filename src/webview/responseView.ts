// The response half of the request panel: owns the response DOM and its state (what is shown, the generation that
// makes slow work for an older response stop, which tabs are rendered, a pending "Load full JSON tree", the decoded
// body, an image's object URL). Large bodies are decoded, parsed and coloured in slices (slices.ts, highlights.ts).
import { PREVIEW_THRESHOLD_BYTES, utf8Prefix } from '../panel/largeBody';
import type { EnvironmentInfo, ResponseAction, ResponseInfo, ResponseMeta, SendError } from '../panel/protocol';
import { h, ids } from './dom';
import { formatBytes, formatDuration, sendKeyLabel, statusClass } from './format';
import { clearHighlights } from './highlights';
import { post } from './hostLink';
import { renderJsonTree } from './jsonView';
import { cutNote, cutText, headerTable, isJsonBody, PREVIEW_CHARS, reportPaint, responseAction } from './responseParts';
import { renderPreview } from './responsePreview';
import { ResponseSource } from './responseSource';
import { decodeInSlices, parseInSlices } from './slices';
import type { SliceParse } from './slices';
import { tabs } from './tabs';

/** Above this, the Body tab shows text (its first PREVIEW_CHARS), not a tree. */
const MAX_TREE_CHARS = 40 * 1024 * 1024;

/** The response on screen: its metadata, the preview of a large body, and the whole body once it is here. */
export interface Shown {
  /** The Send it answers (undefined for a response restored without one). */
  readonly seq: number | undefined;
  readonly meta: ResponseMeta;
  /** A large body's start (decoded), shown until the whole body is loaded. */
  readonly preview?: { readonly text: string; readonly bytes: number };
  full?: ResponseInfo;
}

export class ResponseView {
  readonly element: HTMLElement;
  private readonly statusEl = h('span', { ...ids('status'), class: 'status', 'aria-live': 'polite' }, '');
  private readonly timeEl = h('span', { ...ids('time'), class: 'metric' });
  private readonly sizeEl = h('span', { ...ids('size'), class: 'metric' });
  private readonly noteEl = h('span', { ...ids('response-note'), class: 'metric note' });
  /** Which environment and origin the response on screen came from, and when; stale after a switch. */
  private readonly source = new ResponseSource(
    (stale) => this.element?.classList.toggle('stale', stale),
    () => this.clear(),
  );
  private readonly actionButtons: HTMLButtonElement[];
  private readonly errorBox = h('div', { ...ids('error'), class: 'error-box', role: 'alert', hidden: true });
  /** Before the first Send (and after the response is cleared): a quiet hint where the response will appear. */
  private readonly emptyHint = h('p', { ...ids('response-empty'), class: 'response-empty' }, `Send (${sendKeyLabel(navigator.platform)}) to see the response`);
  private readonly tabs = tabs('response', 'Response parts', [['body', 'Body'], ['raw', 'Raw'], ['headers', 'Headers'], ['request', 'Request']], (key) => this.renderLazyTab(key));
  private readonly bodyEl = h('div', { ...ids('response-body'), class: 'response-body', tabindex: 0, 'aria-label': 'Response body' });
  private readonly rawEl = h('pre', { ...ids('response-raw'), class: 'response-raw', tabindex: 0, 'aria-label': 'Raw response body' });
  private readonly headersEl = h('div', { ...ids('response-headers') });
  private readonly requestEl = h('div', { ...ids('response-request') });

  private shown: Shown | undefined;
  /** Bumped whenever another response (or body) is shown: slow work for an older one stops. */
  private generation = 0;
  private bodyRendered = false;
  private rawRendered = false;
  private loadingFull: { seq: number; clickedAt: number } | undefined;
  private decoded: { response: ResponseInfo; text: string } | undefined;
  private imageUrl: string | undefined;
  /** Where what is on screen (a response or an error) came from. */

  constructor() {
    const button = (id: string, label: string, action: ResponseAction): HTMLButtonElement => {
      const b = h('button', { ...ids(id), type: 'button', class: 'secondary-button', disabled: true }, label);
      b.addEventListener('click', responseAction(action));
      return b;
    };
    this.actionButtons = [button('open-in-editor', 'Open in Editor', 'openInEditor'), button('save-to-file', 'Save to File', 'saveToFile'), button('copy-body', 'Copy body', 'copyBody')];
    for (const [key, el] of [['body', this.bodyEl], ['raw', this.rawEl], ['headers', this.headersEl], ['request', this.requestEl]] as const) this.tabs.panel(key).append(el);
    this.element = h(
      'section',
      { ...ids('response'), class: 'response', 'aria-label': 'Response' },
      h('div', { class: 'response-bar' }, this.statusEl, this.timeEl, this.sizeEl, this.noteEl, h('span', { class: 'spacer' }), ...this.actionButtons),
      this.source.line,
      this.source.banner,
      this.errorBox,
      this.emptyHint,
      this.tabs.list,
      ...this.tabs.panels.values(),
    );
    this.tabs.select('body');
    this.setEmpty(true);
  }

  /** The panel's environment changed (or was first told): a response from another one is marked stale. */
  setEnvironment(env: EnvironmentInfo): void {
    this.source.setEnvironment(env);
  }

  /** Removes the response (or error) on screen, here and on the host. */
  clear(): void {
    this.blank();
    post({ type: 'clearResponse' });
  }

  /** Removes whatever is on screen (the host's `init` then says what to show, if anything). */
  blank(): void {
    this.reset();
    this.statusEl.textContent = '';
    this.statusEl.className = 'status';
    delete this.statusEl.dataset.status;
    for (const el of [this.timeEl, this.sizeEl, this.noteEl]) el.textContent = '';
    this.errorBox.hidden = true;
    this.setEmpty(true);
  }

  /** Whether nothing (no response, error or Send) is on screen: the hint shows, the empty parts step back. */
  setEmpty(empty: boolean): void {
    this.emptyHint.hidden = !empty;
    this.element.classList.toggle('empty', empty);
  }

  private reset(): void {
    this.generation++;
    this.shown = undefined;
    this.loadingFull = undefined;
    this.source.set(undefined);
    for (const el of [this.bodyEl, this.rawEl, this.headersEl, this.requestEl]) el.replaceChildren();
    this.bodyRendered = this.rawRendered = false;
    clearHighlights();
    for (const b of this.actionButtons) b.disabled = true;
  }

  /** A Send started: no error box, the status says so. */
  showPending(): void {
    this.errorBox.hidden = true;
    this.setEmpty(false);
    this.statusEl.textContent = 'Sending…';
    this.statusEl.className = 'status pending';
  }

  /** A Send failed or was cancelled: the older response goes (an error never sits on top of a previous success). */
  showError(error: SendError): void {
    const { message, cancelled, actions } = error;
    this.reset();
    for (const el of [this.timeEl, this.sizeEl, this.noteEl]) el.textContent = '';
    delete this.statusEl.dataset.status;
    this.source.set({ environmentId: error.environmentId, environmentName: error.environmentName, origin: '', at: Date.now(), failed: true });
    this.errorBox.replaceChildren(
      h('span', { ...ids('error-message'), class: 'error-message' }, message),
      ...actions.map((a) => {
        const b = h('button', { type: 'button', class: 'secondary-button', 'data-testid': `error-action-${a.id}` }, a.label);
        b.addEventListener('click', () => post({ type: 'errorAction', action: a.id }));
        return b;
      }),
    );
    this.errorBox.classList.toggle('cancelled', cancelled);
    this.errorBox.hidden = false;
    this.setEmpty(false);
    this.statusEl.textContent = cancelled ? 'Cancelled' : 'Error';
    this.statusEl.className = cancelled ? 'status cancelled' : 'status server-error';
  }

  /** A response (whole, or a preview) to a Send arrived; clickedAt when that Send was clicked in this webview. */
  answer(s: Shown, paintedBytes: number, clickedAt: number | undefined): void {
    const receivedAt = performance.now();
    this.loadingFull = undefined;
    this.shown = undefined; // so selecting the tab does not render the previous body
    this.tabs.select('body');
    const gen = this.generation + 1;
    void this.show(s).then(() => {
      // Reported only for a Send clicked in this webview: the figure is click → paint on one clock.
      if (clickedAt !== undefined && s.seq !== undefined && gen === this.generation) reportPaint(s.seq, 'firstPaint', clickedAt, receivedAt, s.meta.size, paintedBytes);
    });
  }

  /** Whether a `response` for seq is the whole body of the preview on screen (Load full JSON tree). */
  isLoadingFull(seq: number): boolean {
    return this.loadingFull !== undefined && this.loadingFull.seq === seq && this.shown?.seq === seq && !this.shown.full;
  }

  /** The whole body of the preview on screen arrived (after Load full JSON tree). */
  showFull(seq: number, r: ResponseInfo): void {
    const s = this.shown;
    if (!s || !this.loadingFull) return;
    const receivedAt = performance.now();
    const { clickedAt } = this.loadingFull;
    this.loadingFull = undefined;
    this.generation++;
    const gen = this.generation;
    s.full = r;
    this.rawRendered = false;
    if (!this.tabs.panel('raw').hidden) this.renderRaw(s);
    this.bodyRendered = false;
    const done = this.tabs.panel('body').hidden ? Promise.resolve() : this.renderBody(s);
    void done.then(() => {
      if (gen === this.generation) reportPaint(seq, 'fullTree', clickedAt, receivedAt, r.size, r.body.length);
    });
  }

  /** Shows a response (or its preview); resolves once the Body tab's content is in the DOM. */
  show(s: Shown): Promise<void> {
    this.generation++;
    this.shown = s;
    for (const el of [this.bodyEl, this.rawEl, this.headersEl, this.requestEl]) el.replaceChildren();
    this.bodyRendered = this.rawRendered = false;
    clearHighlights();
    this.errorBox.hidden = true;
    this.setEmpty(false);
    const r = s.meta;
    this.statusEl.textContent = `${r.status} ${r.statusText}`.trim();
    this.statusEl.className = `status ${statusClass(r.status)}`;
    this.statusEl.dataset.status = String(r.status);
    this.timeEl.textContent = formatDuration(r.totalMs);
    this.timeEl.title = 'Total time';
    this.sizeEl.textContent = formatBytes(r.size);
    this.sizeEl.title = `${r.size} bytes`;
    const notes = [r.truncated ? 'truncated (size limit)' : '', r.retried ? 'token refreshed and retried' : ''].filter(Boolean);
    this.noteEl.textContent = notes.join(' · ');
    for (const b of this.actionButtons) b.disabled = false;
    this.source.set({ environmentId: r.environmentId, environmentName: r.environmentName, origin: r.origin, at: r.receivedAt, failed: false, ...(r.label ? { label: r.label } : {}) });
    this.headersEl.replaceChildren(headerTable('Response headers', r.headers));
    this.requestEl.replaceChildren(
      h('p', { class: 'sent-line' }, h('strong', {}, r.request.method), ' ', r.request.url),
      headerTable('Request headers (Authorization redacted)', r.request.headers),
      h('p', { class: 'hint' }, `Body: ${formatBytes(r.request.bodyBytes)}`),
    );
    // Only the visible tab is rendered now; the others on first selection.
    if (!this.tabs.panel('raw').hidden) this.renderRaw(s);
    return this.tabs.panel('body').hidden ? Promise.resolve() : this.renderBody(s);
  }

  private renderLazyTab(key: string): void {
    if (!this.shown) return;
    if (key === 'raw' && !this.rawRendered) this.renderRaw(this.shown);
    if (key === 'body' && !this.bodyRendered) void this.renderBody(this.shown);
  }

  private staleCheck(): () => boolean {
    const gen = this.generation;
    return () => gen !== this.generation;
  }

  private loadFull(button: HTMLButtonElement): void {
    const s = this.shown;
    if (!s || s.full || s.seq === undefined || this.loadingFull) return;
    this.loadingFull = { seq: s.seq, clickedAt: performance.now() };
    button.disabled = true;
    button.textContent = 'Loading the full body…';
    post({ type: 'loadFullBody', seq: s.seq });
  }

  /** The body as text, decoded once per response (UTF-8; the host re-encodes other charsets). */
  private textOf(r: ResponseInfo): string {
    if (this.decoded?.response !== r) this.decoded = { response: r, text: new TextDecoder('utf-8').decode(r.body) };
    return this.decoded.text;
  }

  /** Renders the Body tab; resolves once its content is in the DOM (large JSON is parsed in slices first). */
  private async renderBody(s: Shown): Promise<void> {
    this.bodyRendered = true;
    const r = s.full;
    if (!r) {
      if (s.preview) {
        const loading = this.loadingFull !== undefined && this.loadingFull.seq === s.seq;
        renderPreview(this.bodyEl, { meta: s.meta, text: s.preview.text, previewBytes: s.preview.bytes, canLoadFull: s.seq !== undefined, loading, isStale: this.staleCheck() }, (b) => this.loadFull(b));
      }
      return;
    }
    if (r.bodyKind === 'image') {
      if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
      this.imageUrl = URL.createObjectURL(new Blob([r.body], { type: r.contentType.split(';')[0] ?? 'image/png' }));
      this.bodyEl.replaceChildren(h('img', { src: this.imageUrl, alt: 'Response image', class: 'response-image' }));
      return;
    }
    const large = r.body.length > PREVIEW_THRESHOLD_BYTES;
    const isStale = this.staleCheck();
    const t0 = performance.now();
    const text = large ? await decodeInSlices(r.body, isStale) : this.textOf(r);
    if (large) performance.measure('studyteam:decode', { start: t0 });
    if (text === undefined) return;
    if (large) this.decoded = { response: r, text };
    if (text === '') {
      this.bodyEl.replaceChildren(h('p', { class: 'hint' }, 'No body.'));
      return;
    }
    if (isJsonBody(r, text) && text.length <= MAX_TREE_CHARS) {
      let parsed: SliceParse | undefined;
      if (large) {
        const t1 = performance.now();
        parsed = await parseInSlices(text, isStale, (fraction) => {
          const button = document.getElementById('load-full-tree');
          if (button) button.textContent = `Building the tree… ${Math.round(fraction * 100)}%`;
        });
        if (parsed === undefined) return;
        performance.measure('studyteam:parse', { start: t1 });
      } else {
        try {
          parsed = { ok: true, value: JSON.parse(text) };
        } catch {
          parsed = { ok: false };
        }
      }
      if (parsed.ok) {
        const t2 = performance.now();
        clearHighlights();
        this.bodyEl.replaceChildren(renderJsonTree(parsed.value));
        performance.measure('studyteam:tree-render', { start: t2 });
        return;
      }
    }
    const p = cutText(text);
    this.bodyEl.replaceChildren(h('pre', { class: 'response-text' }, p.text), ...(p.cut ? [cutNote()] : []));
  }

  private renderRaw(s: Shown): void {
    this.rawRendered = true;
    if (s.meta.bodyKind === 'image') {
      this.rawEl.textContent = `(${s.meta.contentType}, ${formatBytes(s.meta.size)} — binary; use Save to File)`;
      return;
    }
    // The Raw tab shows at most PREVIEW_CHARS: a large body is not decoded whole for it.
    const full = s.full;
    const text = full ? (full.body.length > PREVIEW_THRESHOLD_BYTES ? new TextDecoder('utf-8').decode(utf8Prefix(full.body, PREVIEW_CHARS * 2)) : this.textOf(full)) : (s.preview?.text ?? '');
    const p = cutText(text);
    this.rawEl.replaceChildren(document.createTextNode(p.text), ...(p.cut || !full ? [cutNote()] : []));
  }
}
