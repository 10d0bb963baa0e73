// The request panel's webview: composes a request and shows the response. No network access of its own —
// everything goes to the host as typed protocol messages (src/panel/protocol.ts), and everything that
// arrives is validated before it is used. State (the draft only) is kept with setState for hide/reveal and
// window reloads.
import './panel.css';
import { HTTP_METHODS } from '../core/model';
import type { HttpMethod } from '../core/model';
import { isHostMessage, isPersistedPanelState } from '../panel/protocol';
import type {
  BodyMode,
  DraftRequest,
  DraftRow,
  EnvironmentInfo,
  ErrorActionInfo,
  HostToWebview,
  PersistedPanelState,
  MetricsStage,
  ResponseAction,
  ResponseInfo,
  ResponseMeta,
  ResponsePreview,
  WebviewToHost,
} from '../panel/protocol';
import { blockStarts, ChunkedJsonParser, JSON_TOKEN_KINDS, PREVIEW_THRESHOLD_BYTES, prettyJsonPrefix, utf8Prefix } from '../panel/largeBody';
import {
  diskSafeState,
  emptyDraft,
  formatBytes,
  formatDuration,
  formatJson,
  isJsonContentType,
  looksLikeJson,
  panelTitle,
  queryRowsFromUrl,
  statusClass,
  urlWithQuery,
  validateJson,
  variableSegments,
} from '../panel/viewModel';
import { append, h, ids } from './dom';
import { renderJsonTree } from './jsonView';
import { KeyValueTable } from './keyValueTable';

/** Above this, Body/Raw show the first PREVIEW_CHARS only (and offer Open in Editor). */
const MAX_TREE_CHARS = 40 * 1024 * 1024;
const PREVIEW_CHARS = 200 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Host connection

const vscode = acquireVsCodeApi<PersistedPanelState>();

interface PanelTestHooks {
  /** Messages from the host that failed validation and were ignored. */
  ignoredMessages: number;
  /** Messages from the host that were handled. */
  handledMessages: number;
  draft(): DraftRequest;
}
const testHooks: PanelTestHooks = { ignoredMessages: 0, handledMessages: 0, draft: () => draft };
// acquireVsCodeApi may be called only once: end-to-end tests reach the API (and a few counters) through these.
Object.assign(window, { __studyteamVscode: vscode, __studyteamPanel: testHooks });

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

// ---------------------------------------------------------------------------------------------------------
// State

const restored = vscode.getState();
let draft: DraftRequest = isPersistedPanelState(restored) ? restored.draft : emptyDraft();
let savedId: string | undefined = isPersistedPanelState(restored) ? restored.savedId : undefined;
let environment: EnvironmentInfo | undefined;
/** The Send in flight; clickedAt (performance.now()) when it was clicked in this webview. */
let sending: { seq: number; clickedAt: number | undefined } | undefined;
let nextSeq = Date.now();
let stateTimer: number | undefined;

function persisted(): PersistedPanelState {
  return { version: 1, draft, ...(savedId ? { savedId } : {}) };
}

/**
 * What goes to vscode.setState, which VS Code writes to disk: never the body (it can hold patient data), nor
 * credential values typed into headers or query rows (the host keeps them in memory for hide/reveal).
 */
function saveState(): void {
  vscode.setState(diskSafeState(persisted()));
}

function flushState(): void {
  if (stateTimer !== undefined) {
    clearTimeout(stateTimer);
    stateTimer = undefined;
    post({ type: 'stateChanged', state: persisted() });
  }
}

function changeDraft(patch: Partial<DraftRequest>): void {
  draft = { ...draft, ...patch };
  saveState();
  document.title = `StudyTeam Request: ${panelTitle(draft)}`;
  if (stateTimer !== undefined) clearTimeout(stateTimer);
  stateTimer = window.setTimeout(() => {
    stateTimer = undefined;
    post({ type: 'stateChanged', state: persisted() });
  }, 200);
}

// ---------------------------------------------------------------------------------------------------------
// Layout

function tabs(idPrefix: string, label: string, names: ReadonlyArray<readonly [string, string]>, onSelect?: (key: string) => void) {
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

// Header: environment + name
const envName = h('span', { ...ids('env-name'), class: 'env-name' }, '…');
const envBadge = h('span', { ...ids('env-badge'), class: 'env-badge', hidden: true }, 'PRODUCTION');
const switchEnv = h('button', { ...ids('switch-env'), type: 'button', class: 'link-button', 'aria-label': 'Switch environment' }, 'Switch…');
const nameInput = h('input', { ...ids('request-name'), type: 'text', class: 'name-input', autocomplete: 'off', placeholder: 'Untitled request', 'aria-label': 'Request name', spellcheck: 'false' });
const savedMark = h('span', { ...ids('saved-state'), class: 'saved-state' });

// Request line
const methodSelect = h('select', { ...ids('method'), 'aria-label': 'HTTP method' }, ...HTTP_METHODS.map((m) => h('option', { value: m }, m)));
const urlOverlay = h('div', { ...ids('url-overlay'), class: 'url-overlay', 'aria-hidden': 'true' });
const urlInput = h('input', { ...ids('url'), type: 'text', class: 'url-input', spellcheck: 'false', autocomplete: 'off', placeholder: '/path relative to the environment, or https://…', 'aria-label': 'Request URL or path' });
const sendButton = h('button', { ...ids('send'), type: 'button', class: 'primary-button', title: 'Send (Ctrl/Cmd+Enter)', 'aria-keyshortcuts': 'Control+Enter Meta+Enter' }, 'Send');
const cancelButton = h('button', { ...ids('cancel'), type: 'button', class: 'secondary-button', disabled: true }, 'Cancel');
const saveButton = h('button', { ...ids('save'), type: 'button', class: 'secondary-button', title: 'Save to Saved Requests (Ctrl/Cmd+S)', 'aria-keyshortcuts': 'Control+S Meta+S' }, 'Save');
const curlButton = h('button', { ...ids('copy-curl'), type: 'button', class: 'secondary-button', title: 'Copy as curl (token redacted)' }, 'Copy as curl');
const curlTokenButton = h('button', { ...ids('copy-curl-token'), type: 'button', class: 'link-button', title: 'Copy as curl including a live token (asks first)' }, 'with token…');
const progress = h('div', { ...ids('progress'), class: 'progress', hidden: true, role: 'progressbar', 'aria-label': 'Sending request' });

// Request tabs
const requestTabs = tabs('request', 'Request parts', [
  ['query', 'Query'],
  ['headers', 'Headers'],
  ['body', 'Body'],
  ['auth', 'Auth'],
]);
const queryTable = new KeyValueTable('query', 'Query parameter', (rows) => onQueryRowsChanged(rows));
const headersTable = new KeyValueTable('headers', 'Header', (rows) => changeDraft({ headers: rows }));
const bodyMode = h('select', { ...ids('body-mode'), 'aria-label': 'Body type' }, h('option', { value: 'json' }, 'JSON'), h('option', { value: 'raw' }, 'Raw text'));
const formatButton = h('button', { ...ids('format-body'), type: 'button', class: 'secondary-button' }, 'Format');
const bodyInput = h('textarea', { ...ids('body'), class: 'body-input', autocomplete: 'off', spellcheck: 'false', rows: 12, 'aria-label': 'Request body', placeholder: '{ }' });
const bodyError = h('div', { ...ids('body-error'), class: 'field-error', 'aria-live': 'polite' });
const authSelect = h('select', { ...ids('auth'), 'aria-label': 'Authorization' }, h('option', { value: 'bearer' }, 'Bearer token from the environment'), h('option', { value: 'none' }, 'None'));
const authHint = h('p', { class: 'hint' });

append(requestTabs.panel('query'), [queryTable.element]);
append(requestTabs.panel('headers'), [headersTable.element]);
append(requestTabs.panel('body'), [h('div', { class: 'row' }, h('label', { for: 'body-mode' }, 'Type'), bodyMode, formatButton), bodyInput, bodyError]);
append(requestTabs.panel('auth'), [h('div', { class: 'row' }, h('label', { for: 'auth' }, 'Auth'), authSelect), authHint]);

// Response
const statusEl = h('span', { ...ids('status'), class: 'status', 'aria-live': 'polite' }, '');
const timeEl = h('span', { ...ids('time'), class: 'metric' });
const sizeEl = h('span', { ...ids('size'), class: 'metric' });
const responseNote = h('span', { ...ids('response-note'), class: 'metric note' });
const openInEditor = h('button', { ...ids('open-in-editor'), type: 'button', class: 'secondary-button', disabled: true }, 'Open in Editor');
const saveToFile = h('button', { ...ids('save-to-file'), type: 'button', class: 'secondary-button', disabled: true }, 'Save to File');
const copyBody = h('button', { ...ids('copy-body'), type: 'button', class: 'secondary-button', disabled: true }, 'Copy body');
const errorBox = h('div', { ...ids('error'), class: 'error-box', role: 'alert', hidden: true });
const notice = h('div', { ...ids('notice'), class: 'notice', role: 'status', 'aria-live': 'polite' });

const responseTabs = tabs(
  'response',
  'Response parts',
  [
    ['body', 'Body'],
    ['raw', 'Raw'],
    ['headers', 'Headers'],
    ['request', 'Request'],
  ],
  (key) => renderLazyTab(key),
);
const responseBody = h('div', { ...ids('response-body'), class: 'response-body', tabindex: 0, 'aria-label': 'Response body' });
const responseRaw = h('pre', { ...ids('response-raw'), class: 'response-raw', tabindex: 0, 'aria-label': 'Raw response body' });
const responseHeaders = h('div', { ...ids('response-headers') });
const responseRequest = h('div', { ...ids('response-request') });
append(responseTabs.panel('body'), [responseBody]);
append(responseTabs.panel('raw'), [responseRaw]);
append(responseTabs.panel('headers'), [responseHeaders]);
append(responseTabs.panel('request'), [responseRequest]);

const responseSection = h(
  'section',
  { ...ids('response'), class: 'response', 'aria-label': 'Response' },
  h('div', { class: 'response-bar' }, statusEl, timeEl, sizeEl, responseNote, h('span', { class: 'spacer' }), openInEditor, saveToFile, copyBody),
  errorBox,
  responseTabs.list,
  ...responseTabs.panels.values(),
);

const app = document.getElementById('app') ?? document.body;
app.replaceChildren(
  h(
    'header',
    { class: 'top' },
    h('div', { class: 'env', ...ids('env') }, h('span', { class: 'env-label' }, 'Environment'), envName, envBadge, switchEnv),
    nameInput,
    savedMark,
  ),
  h(
    'div',
    { class: 'request-line' },
    methodSelect,
    h('div', { class: 'url-field' }, urlOverlay, urlInput),
    sendButton,
    cancelButton,
  ),
  progress,
  h('div', { class: 'toolbar' }, saveButton, curlButton, curlTokenButton, notice),
  h('section', { class: 'request', 'aria-label': 'Request' }, requestTabs.list, ...requestTabs.panels.values()),
  responseSection,
);
requestTabs.select('query');
responseTabs.select('body');

// ---------------------------------------------------------------------------------------------------------
// Compose

function renderUrlOverlay(): void {
  const known = new Set(environment?.variables ?? []);
  urlOverlay.replaceChildren(
    ...variableSegments(urlInput.value).map((s) =>
      s.variable === undefined ? document.createTextNode(s.text) : h('span', { class: known.has(s.variable) ? 'var' : 'var unknown', title: known.has(s.variable) ? `{{${s.variable}}}` : `{{${s.variable}}} is not defined in this environment` }, s.text),
    ),
  );
  urlOverlay.scrollLeft = urlInput.scrollLeft;
}

function onQueryRowsChanged(rows: DraftRow[]): void {
  const url = urlWithQuery(draft.url, rows);
  urlInput.value = url;
  renderUrlOverlay();
  changeDraft({ query: rows, url });
}

let bodyCheckTimer: number | undefined;
function checkBody(): void {
  bodyCheckTimer = undefined;
  const text = bodyInput.value;
  if (draft.bodyMode !== 'json' || text.trim() === '') {
    bodyError.textContent = '';
    bodyInput.removeAttribute('aria-invalid');
    return;
  }
  const result = validateJson(text);
  bodyError.textContent = result.ok ? '' : `Invalid JSON: ${result.message}`;
  if (result.ok) bodyInput.removeAttribute('aria-invalid');
  else bodyInput.setAttribute('aria-invalid', 'true');
}

function renderAuthHint(): void {
  authHint.textContent =
    draft.auth === 'bearer'
      ? `An access token for ${environment?.name ?? 'the active environment'} is fetched and sent as "Authorization: Bearer …" by the extension. It never reaches this panel.`
      : 'No Authorization header is sent.';
}

function applyDraft(): void {
  nameInput.value = draft.name;
  methodSelect.value = draft.method;
  urlInput.value = draft.url;
  queryTable.setRows(draft.query);
  headersTable.setRows(draft.headers);
  bodyMode.value = draft.bodyMode;
  bodyInput.value = draft.body;
  authSelect.value = draft.auth;
  savedMark.textContent = savedId ? 'Saved request' : 'Not saved';
  document.title = `StudyTeam Request: ${panelTitle(draft)}`;
  renderUrlOverlay();
  renderAuthHint();
  checkBody();
}

function applyEnvironment(env: EnvironmentInfo): void {
  environment = env;
  envName.textContent = env.name;
  envName.title = env.baseUrl;
  envBadge.hidden = !env.production;
  document.body.classList.toggle('production', env.production);
  renderUrlOverlay();
  renderAuthHint();
}

nameInput.addEventListener('input', () => changeDraft({ name: nameInput.value }));
methodSelect.addEventListener('change', () => changeDraft({ method: methodSelect.value as HttpMethod }));
urlInput.addEventListener('input', () => {
  const query = queryRowsFromUrl(urlInput.value, draft.query);
  queryTable.setRows(query);
  renderUrlOverlay();
  changeDraft({ url: urlInput.value, query });
});
urlInput.addEventListener('scroll', () => (urlOverlay.scrollLeft = urlInput.scrollLeft));
urlInput.addEventListener('keyup', () => (urlOverlay.scrollLeft = urlInput.scrollLeft));
bodyMode.addEventListener('change', () => {
  changeDraft({ bodyMode: bodyMode.value as BodyMode });
  checkBody();
});
bodyInput.addEventListener('input', () => {
  changeDraft({ body: bodyInput.value });
  if (bodyCheckTimer !== undefined) clearTimeout(bodyCheckTimer);
  bodyCheckTimer = window.setTimeout(checkBody, 250);
});
bodyInput.addEventListener('keydown', (e) => {
  // Tab indents inside the body editor; Escape then Tab leaves it (keyboard users are never trapped).
  if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey && bodyInput.dataset.escaped !== 'true') {
    e.preventDefault();
    bodyInput.setRangeText('  ', bodyInput.selectionStart, bodyInput.selectionEnd, 'end');
    changeDraft({ body: bodyInput.value });
  }
  bodyInput.dataset.escaped = String(e.key === 'Escape');
});
formatButton.addEventListener('click', () => {
  const formatted = formatJson(bodyInput.value);
  if (formatted === undefined) {
    checkBody();
    return;
  }
  bodyInput.value = formatted;
  changeDraft({ body: formatted, bodyMode: 'json' });
  bodyMode.value = 'json';
  checkBody();
});
authSelect.addEventListener('change', () => {
  changeDraft({ auth: authSelect.value === 'none' ? 'none' : 'bearer' });
  renderAuthHint();
});
switchEnv.addEventListener('click', () => post({ type: 'switchEnvironment' }));

// ---------------------------------------------------------------------------------------------------------
// Actions

function send(): void {
  flushState();
  const seq = nextSeq++;
  sending = { seq, clickedAt: performance.now() };
  showSending(true);
  post({ type: 'send', seq, draft });
}

function cancel(): void {
  if (sending) post({ type: 'cancel', seq: sending.seq });
}

function save(): void {
  flushState();
  post({ type: 'save', draft });
}

function showSending(on: boolean): void {
  progress.hidden = !on;
  cancelButton.disabled = !on;
  sendButton.disabled = on;
  app.setAttribute('aria-busy', String(on));
  if (on) {
    errorBox.hidden = true;
    statusEl.textContent = 'Sending…';
    statusEl.className = 'status pending';
  }
}

function showNotice(level: 'info' | 'error', message: string): void {
  notice.textContent = message;
  notice.className = `notice ${level}`;
}

sendButton.addEventListener('click', send);
cancelButton.addEventListener('click', cancel);
saveButton.addEventListener('click', save);
curlButton.addEventListener('click', () => post({ type: 'copyCurl', draft, includeToken: false }));
curlTokenButton.addEventListener('click', () => post({ type: 'copyCurl', draft, includeToken: true }));
const responseAction = (action: ResponseAction) => () => post({ type: 'responseAction', action });
openInEditor.addEventListener('click', responseAction('openInEditor'));
saveToFile.addEventListener('click', responseAction('saveToFile'));
copyBody.addEventListener('click', responseAction('copyBody'));

document.addEventListener(
  'keydown',
  (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      if (!sending) send();
    } else if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      e.stopPropagation(); // handled here, not forwarded to the workbench's File: Save
      save();
    } else if (e.key === 'Escape' && sending) {
      cancel();
    }
  },
  true,
);
window.addEventListener('pagehide', flushState);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushState();
});

// ---------------------------------------------------------------------------------------------------------
// Response

/** The response on screen: its metadata, the preview of a large body, and the whole body once it is here. */
interface Shown {
  /** The Send it answers (undefined for a response restored without one). */
  readonly seq: number | undefined;
  readonly meta: ResponseMeta;
  /** A large body's start (decoded), shown until the whole body is loaded. */
  readonly preview?: { readonly text: string; readonly bytes: number };
  full?: ResponseInfo;
}

let shown: Shown | undefined;
/** Bumped whenever another response (or body) is shown: slow work for an older one stops. */
let generation = 0;
let bodyRendered = false;
let rawRendered = false;
let loadingFull: { seq: number; clickedAt: number } | undefined;

function clearResponse(): void {
  for (const el of [responseBody, responseRaw, responseHeaders, responseRequest]) el.replaceChildren();
  bodyRendered = rawRendered = false;
  clearHighlights();
}

function showError(message: string, cancelled: boolean, actions: readonly ErrorActionInfo[]): void {
  errorBox.replaceChildren(
    h('span', { ...ids('error-message'), class: 'error-message' }, message),
    ...actions.map((a) => {
      const b = h('button', { type: 'button', class: 'secondary-button', 'data-testid': `error-action-${a.id}` }, a.label);
      b.addEventListener('click', () => post({ type: 'errorAction', action: a.id }));
      return b;
    }),
  );
  errorBox.classList.toggle('cancelled', cancelled);
  errorBox.hidden = false;
  statusEl.textContent = cancelled ? 'Cancelled' : 'Error';
  statusEl.className = cancelled ? 'status cancelled' : 'status server-error';
}

function preview(text: string): { text: string; cut: boolean } {
  return text.length > PREVIEW_CHARS ? { text: text.slice(0, PREVIEW_CHARS), cut: true } : { text, cut: false };
}

function cutNote(): HTMLElement {
  const open = h('button', { type: 'button', class: 'link-button' }, 'Open in Editor');
  open.addEventListener('click', responseAction('openInEditor'));
  return h('div', { class: 'cut-note' }, `Showing the first ${formatBytes(PREVIEW_CHARS)}. `, open, ' for all of it.');
}

let decoded: { response: ResponseInfo; text: string } | undefined;
let imageUrl: string | undefined;

/** The body as text, decoded once per response (UTF-8; the host re-encodes other charsets). */
function textOf(r: ResponseInfo): string {
  if (decoded?.response !== r) decoded = { response: r, text: new TextDecoder('utf-8').decode(r.body) };
  return decoded.text;
}

function isJsonBody(meta: ResponseMeta, text: string): boolean {
  return isJsonContentType(meta.contentType) || looksLikeJson(text);
}

// ---- yielding: long work runs in slices of SLICE_MS with a task boundary in between (no long tasks) ----

const SLICE_MS = 8;
const yieldChannel = new MessageChannel();
const yieldQueue: Array<() => void> = [];
yieldChannel.port1.onmessage = () => yieldQueue.shift()?.();

/** Resolves in a new task (after input and rendering had their turn); faster than setTimeout's 4 ms clamp. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    yieldQueue.push(resolve);
    yieldChannel.port2.postMessage(null);
  });
}

/** Runs `fn` just after the next frame has been painted. */
function afterPaint(fn: () => void): void {
  // requestAnimationFrame runs just before the frame is painted; the macrotask queued from it runs right after.
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/** Decodes a large UTF-8 body in slices; undefined when a newer response took over. */
async function decodeInSlices(bytes: Uint8Array, gen: number): Promise<string | undefined> {
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  const step = 256 * 1024;
  for (let i = 0; i < bytes.length; ) {
    const deadline = performance.now() + SLICE_MS;
    for (; i < bytes.length && performance.now() < deadline; i += step) parts.push(decoder.decode(bytes.subarray(i, i + step), { stream: true }));
    await nextTask();
    if (gen !== generation) return undefined;
  }
  parts.push(decoder.decode());
  // One flat string (a rope of `+=` would be flattened in one go at the parser's first read).
  return parts.join('');
}

/** JSON.parse in slices (src/panel/largeBody.ts); undefined when a newer response took over. */
async function parseInSlices(text: string, gen: number, onProgress: (fraction: number) => void): Promise<{ ok: true; value: unknown } | { ok: false } | undefined> {
  const parser = new ChunkedJsonParser(text);
  for (;;) {
    const deadline = performance.now() + SLICE_MS;
    const step = parser.step(() => performance.now() > deadline);
    if (step.done) return step.ok ? { ok: true, value: step.value } : { ok: false };
    onProgress(step.progress);
    await nextTask();
    if (gen !== generation) return undefined;
  }
}

// ---- syntax colours of the preview: CSS Custom Highlights (ranges over one text node, no elements) ----

const highlightRegistry: HighlightRegistry | undefined = typeof CSS !== 'undefined' && 'highlights' in CSS ? CSS.highlights : undefined;

function clearHighlights(): void {
  for (const kind of JSON_TOKEN_KINDS) highlightRegistry?.delete(`st-json-${kind}`);
}

/** Colours tokens ([start, end, kind] offsets into the text split over `nodes` at `starts`), a slice at a time. */
async function highlightInSlices(nodes: readonly Text[], starts: readonly number[], tokens: readonly number[], gen: number): Promise<void> {
  if (!highlightRegistry || typeof Highlight === 'undefined') return;
  const t0 = performance.now();
  const highlights = JSON_TOKEN_KINDS.map((kind) => {
    const hl = new Highlight();
    highlightRegistry.set(`st-json-${kind}`, hl);
    return hl;
  });
  let block = 0;
  let i = 0;
  while (i < tokens.length) {
    const deadline = performance.now() + SLICE_MS;
    while (i < tokens.length && performance.now() < deadline) {
      // A batch between clock reads: reading performance.now() per token would cost more than the range.
      for (const stop = Math.min(tokens.length, i + 300); i < stop; i += 3) {
        const start = tokens[i] ?? 0;
        while (block + 1 < starts.length && (starts[block + 1] ?? 0) <= start) block++;
        const node = nodes[block];
        const offset = starts[block] ?? 0;
        if (!node) continue;
        const range = new Range();
        range.setStart(node, start - offset);
        range.setEnd(node, (tokens[i + 1] ?? 0) - offset);
        highlights[tokens[i + 2] ?? 0]?.add(range);
      }
    }
    await nextTask();
    if (gen !== generation) return;
  }
  performance.measure('studyteam:highlight', { start: t0 });
}

// ---- the Body tab ----

function previewNote(s: Shown, json: boolean): HTMLElement {
  const previewBytes = s.preview?.bytes ?? 0;
  const open = h('button', { ...ids('preview-open-in-editor'), type: 'button', class: 'link-button' }, 'Open in Editor');
  open.addEventListener('click', responseAction('openInEditor'));
  const children: Array<HTMLElement | string> = [`Showing the first ${formatBytes(previewBytes)} of ${formatBytes(s.meta.size)} — `, open];
  if (json) {
    const loading = loadingFull !== undefined && loadingFull.seq === s.seq;
    const load = h('button', { ...ids('load-full-tree'), type: 'button', class: 'link-button', disabled: loading || s.seq === undefined }, loading ? 'Loading the full body…' : 'Load full JSON tree');
    load.addEventListener('click', () => loadFull(load));
    children.push(' · ', load);
  }
  return h('div', { ...ids('preview-note'), class: 'cut-note preview-note', role: 'note' }, ...children);
}

/** Lines per block of the preview: blocks off screen are not laid out (content-visibility: auto). */
const PREVIEW_BLOCK_LINES = 200;

/** The preview's first paint shows this much of it (a few screens); the rest is laid out right after. */
const FIRST_SCREEN_CHARS = 24 * 1024;

function renderPreview(s: Shown, text: string): void {
  const t0 = performance.now();
  const json = isJsonBody(s.meta, text);
  const pre = h('pre', { ...ids('response-preview'), class: 'response-text response-preview', tabindex: 0, 'aria-label': 'Start of the response body' });
  const fill = (part: string, last: boolean): { nodes: Text[]; starts: number[]; tokens: readonly number[] } => {
    const pretty = json ? prettyJsonPrefix(part) : { text: part, tokens: [] as number[], cut: true };
    const all = `${pretty.text}\n…`;
    const starts = blockStarts(all, PREVIEW_BLOCK_LINES);
    const nodes = starts.map((start, i) => document.createTextNode(all.slice(start, starts[i + 1] ?? all.length)));
    pre.replaceChildren(...nodes.map((node) => h('div', { class: 'preview-block' }, node)));
    pre.dataset.complete = String(last);
    return { nodes, starts, tokens: pretty.tokens };
  };
  const partial = text.length > FIRST_SCREEN_CHARS * 2;
  const firstFill = fill(partial ? text.slice(0, FIRST_SCREEN_CHARS) : text, !partial);
  responseBody.replaceChildren(previewNote(s, json), pre);
  performance.measure('studyteam:preview-render', { start: t0 });
  const gen = generation;
  // After the first paint: all of the preview, then its colours (in slices).
  afterPaint(() => {
    if (gen !== generation) return;
    const { nodes, starts, tokens } = partial ? fill(text, true) : firstFill;
    if (tokens.length) void highlightInSlices(nodes, starts, tokens, gen);
  });
}

/** Renders the Body tab; resolves once its content is in the DOM (large JSON is parsed in slices first). */
async function renderBody(s: Shown): Promise<void> {
  bodyRendered = true;
  const r = s.full;
  if (!r) {
    if (s.preview) renderPreview(s, s.preview.text);
    return;
  }
  if (r.bodyKind === 'image') {
    if (imageUrl) URL.revokeObjectURL(imageUrl);
    imageUrl = URL.createObjectURL(new Blob([r.body], { type: r.contentType.split(';')[0] ?? 'image/png' }));
    responseBody.replaceChildren(h('img', { src: imageUrl, alt: 'Response image', class: 'response-image' }));
    return;
  }
  const large = r.body.length > PREVIEW_THRESHOLD_BYTES;
  const gen = generation;
  const t0 = performance.now();
  const text = large ? await decodeInSlices(r.body, gen) : textOf(r);
  if (large) performance.measure('studyteam:decode', { start: t0 });
  if (text === undefined) return;
  if (large) decoded = { response: r, text };
  if (text === '') {
    responseBody.replaceChildren(h('p', { class: 'hint' }, 'No body.'));
    return;
  }
  if (isJsonBody(r, text) && text.length <= MAX_TREE_CHARS) {
    let parsed: { ok: true; value: unknown } | { ok: false } | undefined;
    if (large) {
      const t1 = performance.now();
      parsed = await parseInSlices(text, gen, (fraction) => {
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
      responseBody.replaceChildren(renderJsonTree(parsed.value));
      performance.measure('studyteam:tree-render', { start: t2 });
      return;
    }
  }
  const p = preview(text);
  responseBody.replaceChildren(h('pre', { class: 'response-text' }, p.text), ...(p.cut ? [cutNote()] : []));
}

function renderRaw(s: Shown): void {
  rawRendered = true;
  if (s.meta.bodyKind === 'image') {
    responseRaw.textContent = `(${s.meta.contentType}, ${formatBytes(s.meta.size)} — binary; use Save to File)`;
    return;
  }
  // The Raw tab shows at most PREVIEW_CHARS: a large body is not decoded whole for it.
  const text = s.full ? (s.full.body.length > PREVIEW_THRESHOLD_BYTES ? new TextDecoder('utf-8').decode(utf8Prefix(s.full.body, PREVIEW_CHARS * 2)) : textOf(s.full)) : (s.preview?.text ?? '');
  const p = preview(text);
  const cut = p.cut || !s.full;
  responseRaw.replaceChildren(document.createTextNode(p.text), ...(cut ? [cutNote()] : []));
}

function headerTable(label: string, headers: ReadonlyArray<readonly [string, string]>): HTMLElement {
  return h(
    'table',
    { class: 'header-table', 'aria-label': label },
    h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Value'))),
    h('tbody', {}, ...headers.map(([n, v]) => h('tr', {}, h('td', { class: 'header-name' }, n), h('td', {}, v)))),
  );
}

function renderLazyTab(key: string): void {
  if (!shown) return;
  if (key === 'raw' && !rawRendered) renderRaw(shown);
  if (key === 'body' && !bodyRendered) void renderBody(shown);
}

/** Shows a response (or its preview); resolves once the Body tab's content is in the DOM. */
function showResponse(s: Shown): Promise<void> {
  generation++;
  shown = s;
  clearResponse();
  errorBox.hidden = true;
  const r = s.meta;
  const cls = statusClass(r.status);
  statusEl.textContent = `${r.status} ${r.statusText}`.trim();
  statusEl.className = `status ${cls}`;
  statusEl.dataset.status = String(r.status);
  timeEl.textContent = formatDuration(r.totalMs);
  timeEl.title = 'Total time';
  sizeEl.textContent = formatBytes(r.size);
  sizeEl.title = `${r.size} bytes`;
  const notes = [r.truncated ? 'truncated (size limit)' : '', r.retried ? 'token refreshed and retried' : '', r.environmentName].filter(Boolean);
  responseNote.textContent = notes.join(' · ');
  for (const b of [openInEditor, saveToFile, copyBody]) b.disabled = false;
  responseHeaders.replaceChildren(headerTable('Response headers', r.headers));
  responseRequest.replaceChildren(
    h('p', { class: 'sent-line' }, h('strong', {}, r.request.method), ' ', r.request.url),
    headerTable('Request headers (Authorization redacted)', r.request.headers),
    h('p', { class: 'hint' }, `Body: ${formatBytes(r.request.bodyBytes)}`),
  );
  // Only the visible tab is rendered now; the others on first selection.
  if (!responseTabs.panel('raw').hidden) renderRaw(s);
  return responseTabs.panel('body').hidden ? Promise.resolve() : renderBody(s);
}

/** The whole body of the preview on screen arrived (after Load full tree). */
function showFullBody(r: ResponseInfo): Promise<void> {
  const s = shown;
  if (!s) return Promise.resolve();
  generation++;
  s.full = r;
  rawRendered = false;
  if (!responseTabs.panel('raw').hidden) renderRaw(s);
  bodyRendered = false;
  return responseTabs.panel('body').hidden ? Promise.resolve() : renderBody(s);
}

function loadFull(button: HTMLButtonElement): void {
  const s = shown;
  if (!s || s.full || s.seq === undefined || loadingFull) return;
  loadingFull = { seq: s.seq, clickedAt: performance.now() };
  button.disabled = true;
  button.textContent = 'Loading the full body…';
  post({ type: 'loadFullBody', seq: s.seq });
}

function reportPaint(seq: number, stage: MetricsStage, clickedAt: number, receivedAt: number, bodyBytes: number, paintedBytes: number): void {
  afterPaint(() => {
    const now = performance.now();
    post({
      type: 'metrics',
      seq,
      stage,
      clickToPaintMs: Math.max(0, now - clickedAt),
      receiveToPaintMs: Math.max(0, now - receivedAt),
      bodyBytes,
      paintedBytes,
    });
  });
}

/** A response (whole, or a preview) to a Send arrived. */
function onResponse(seq: number, s: Shown, paintedBytes: number): void {
  const receivedAt = performance.now();
  const clickedAt = sending?.seq === seq ? sending.clickedAt : undefined;
  sending = undefined;
  loadingFull = undefined;
  showSending(false);
  shown = undefined; // so selecting the tab does not render the previous body
  responseTabs.select('body');
  const gen = generation + 1;
  void showResponse(s).then(() => {
    // Reported only for a Send clicked in this webview: the figure is click → paint on one clock.
    if (clickedAt !== undefined && gen === generation) reportPaint(seq, 'firstPaint', clickedAt, receivedAt, s.meta.size, paintedBytes);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Messages from the host

function previewOf(p: ResponsePreview): { text: string; bytes: number } {
  return { text: new TextDecoder('utf-8').decode(p.head), bytes: p.head.length };
}

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
      draft = message.state.draft;
      savedId = message.state.savedId;
      saveState();
      applyEnvironment(message.environment);
      applyDraft();
      if (message.response) void showResponse({ seq: message.responseSeq, meta: message.response, full: message.response });
      else if (message.preview) void showResponse({ seq: message.responseSeq, meta: message.preview, preview: previewOf(message.preview) });
      if (message.inFlightSeq !== undefined) {
        sending = { seq: message.inFlightSeq, clickedAt: undefined };
        nextSeq = Math.max(nextSeq, message.inFlightSeq + 1);
        showSending(true);
      }
      return;
    case 'environment':
      applyEnvironment(message.environment);
      return;
    case 'sending':
      if (!sending || sending.seq !== message.seq) sending = { seq: message.seq, clickedAt: undefined };
      showSending(true);
      return;
    case 'response': {
      if (loadingFull && loadingFull.seq === message.seq && shown?.seq === message.seq && !shown.full) {
        // The whole body of the preview on screen (Load full tree).
        const receivedAt = performance.now();
        const { clickedAt } = loadingFull;
        loadingFull = undefined;
        const gen = generation + 1;
        const r = message.response;
        void showFullBody(r).then(() => {
          if (gen === generation) reportPaint(message.seq, 'fullTree', clickedAt, receivedAt, r.size, r.body.length);
        });
        return;
      }
      onResponse(message.seq, { seq: message.seq, meta: message.response, full: message.response }, message.response.body.length);
      return;
    }
    case 'responsePreview':
      onResponse(message.seq, { seq: message.seq, meta: message.preview, preview: previewOf(message.preview) }, message.preview.head.length);
      return;
    case 'error':
      if (sending && sending.seq !== message.seq) return;
      sending = undefined;
      showSending(false);
      showError(message.message, message.cancelled, message.actions);
      return;
    case 'saved':
      savedId = message.savedId;
      draft = { ...draft, name: message.name };
      nameInput.value = message.name;
      saveState();
      savedMark.textContent = 'Saved request';
      document.title = `StudyTeam Request: ${panelTitle(draft)}`;
      showNotice('info', `Saved "${message.name}".`);
      return;
    case 'notice':
      showNotice(message.level, message.message);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (!isHostMessage(data)) {
    testHooks.ignoredMessages++;
    console.warn('[studyteam] ignored a malformed message');
    return;
  }
  testHooks.handledMessages++;
  handle(data);
});

applyDraft();
post({ type: 'ready', ...(isPersistedPanelState(restored) ? { state: restored } : {}) });
