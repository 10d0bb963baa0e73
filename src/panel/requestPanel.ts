// Host side of one request panel: a WebviewPanel that composes a request, sends it through
// HostServices.runRequest (variables, production guard, auth, redaction all on the host — the webview makes
// no network requests) and shows the result. Messages are validated with the shared protocol guards.
// Persisted state (webview setState → WebviewPanelSerializer) holds the draft only: never a response or token.
import { randomBytes } from 'node:crypto';
import { Commands } from '../commandIds';
import * as vscode from 'vscode';
import type { Environment, SavedRequest } from '../core/model';
import { redactHeaders } from '../core/redaction';
import { newId } from '../core/savedRequests';
import { variablesOf } from '../core/variables';
import type { Confirmations } from '../host/confirmations';
import { copyRequestAsCurl } from '../host/curlCopy';
import { ERROR_ACTION_LABELS, presentError, runErrorAction } from '../host/errorPresenter';
import type { HostServices } from '../host/services';
import { PREVIEW_HEAD_BYTES, PREVIEW_THRESHOLD_BYTES, utf8Prefix } from './largeBody';
import { isWebviewMessage, REQUEST_PANEL_VIEW_TYPE } from './protocol';
import type {
  DraftRequest,
  EnvironmentInfo,
  ErrorActionId,
  ErrorActionInfo,
  HostToWebview,
  MetricsStage,
  PersistedPanelState,
  ResponseAction,
  ResponseMeta,
  ResponsePreview,
  WebviewToHost,
} from './protocol';
import { extensionForContentType, isPreviewableImage, languageForContentType } from './contentType';
import { restoreOmitted } from './diskState';
import { apiRequestFromDraft, draftFromSaved, panelTitle, savedFromDraft } from './draft';
import { formatJson } from './jsonText';

/** The saved-requests store as the panel needs it (src/tree/savedRequestStore.ts satisfies it structurally). */
export interface PanelStore {
  findRequest(id: string): SavedRequest | undefined;
  /** Every saved request with the names of its folders (the QuickPick of Open in Request Panel). */
  allRequests(): ReadonlyArray<{ readonly request: SavedRequest; readonly folderPath: readonly string[] }>;
  upsertRequest(request: SavedRequest, parentFolderId?: string): Promise<void>;
}

export interface PanelMetrics {
  readonly seq: number;
  /** 'firstPaint': after Send; 'fullTree': after Load full tree. */
  readonly stage: MetricsStage;
  /**
   * The figure: the user's click (Send, or Load full tree) → first paint of the body, both ends stamped with the
   * webview's performance.now() (one clock).
   */
  readonly clickToPaintMs: number;
  /** The webview's share: the body message arrived → first paint. */
  readonly receiveToPaintMs: number;
  /** Host clock, a cross-check: the click's message (send/loadFullBody) arrived → this metrics message arrived. */
  readonly hostRoundTripMs: number | undefined;
  /** Host clock: send arrived → the request finished (variables, token, HTTP, body read). firstPaint only. */
  readonly hostRequestMs: number | undefined;
  readonly bodyBytes: number;
  readonly paintedBytes: number;
  readonly at: number;
}

/** Read-only documents (src/host/readonlyDocuments.ts `ReadonlyDocuments` fits): never untitled, never backed up by hot exit. */
export interface PanelDocuments {
  show(title: string, content: string, language?: string, options?: { preview?: boolean; viewColumn?: vscode.ViewColumn }): Promise<unknown>;
}

export interface RequestPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly services: HostServices;
  readonly store: PanelStore;
  readonly confirmations: Confirmations;
  /** Open in Editor shows the body here (an untitled document would be backed up to disk). */
  readonly documents: PanelDocuments;
  onMetrics(metrics: PanelMetrics): void;
  onSaved(panel: RequestPanel, savedId: string): void;
  onDisposed(panel: RequestPanel): void;
}

/** Images up to this size are shown inline (as base64). */
const MAX_IMAGE_PREVIEW_BYTES = 5 * 1024 * 1024;

interface LastResponse {
  readonly seq: number;
  readonly meta: ResponseMeta;
  /** The preview sent instead of the whole body (a large text body), else undefined. */
  readonly preview: ResponsePreview | undefined;
  /** What the webview gets (UTF-8 text, or an image). */
  readonly body: Uint8Array;
  /** The bytes as received (Save to File). */
  readonly raw: Uint8Array;
  /** Decoded with the response's charset. */
  readonly text: string;
  readonly environment: Environment;
}

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [webviewRoot(extensionUri)] };
}

export class RequestPanel implements vscode.Disposable {
  /** Opens a new panel in the editor area. */
  static create(deps: RequestPanelDeps, state: PersistedPanelState): RequestPanel {
    const panel = vscode.window.createWebviewPanel(
      REQUEST_PANEL_VIEW_TYPE,
      panelTitle(state.draft),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      { ...webviewOptions(deps.extensionUri), retainContextWhenHidden: false, enableFindWidget: true },
    );
    return new RequestPanel(deps, panel, state);
  }

  /** Adopts a panel VS Code restored after a reload (WebviewPanelSerializer). */
  static revive(deps: RequestPanelDeps, panel: vscode.WebviewPanel, state: PersistedPanelState): RequestPanel {
    panel.webview.options = webviewOptions(deps.extensionUri);
    return new RequestPanel(deps, panel, state);
  }

  private state: PersistedPanelState;
  private ready = false;
  private inFlight: { cts: vscode.CancellationTokenSource; seq: number } | undefined;
  private lastResponse: LastResponse | undefined;
  private lastErrorEnvironment: Environment | undefined;
  /** Host-clock stamps for the metrics cross-check, by seq. */
  private readonly stamps = new Map<number, { sendAt?: number; requestMs?: number; loadFullAt?: number }>();
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly deps: RequestPanelDeps,
    readonly panel: vscode.WebviewPanel,
    state: PersistedPanelState,
  ) {
    this.state = state;
    panel.title = panelTitle(state.draft);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        // The webview is torn down when hidden (retainContextWhenHidden: false); it says "ready" again on reveal.
        if (!panel.visible) this.ready = false;
      }),
      deps.services.environments.onDidChange(() => this.post({ type: 'environment', environment: this.environmentInfo() })),
    );
  }

  get savedId(): string | undefined {
    return this.state.savedId;
  }

  get draft(): DraftRequest {
    return this.state.draft;
  }

  get isReady(): boolean {
    return this.ready;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.inFlight?.cts.cancel();
    this.inFlight?.cts.dispose();
    this.inFlight = undefined;
    this.lastResponse = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.deps.onDisposed(this);
  }

  // -------------------------------------------------------------------------------------------------------

  private post(message: HostToWebview): void {
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) {
      const type = typeof message === 'object' && message !== null && 'type' in message ? String((message as { type: unknown }).type).slice(0, 40) : typeof message;
      this.deps.services.logger.log('warn', 'panel', `ignored a malformed message from the request panel (type: ${type})`);
      return;
    }
    void this.handle(message).catch((error: unknown) => {
      const presented = presentError(error);
      this.post({ type: 'notice', level: 'error', message: presented.message });
    });
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        // After hide/reveal the webview's own copy lacks the body and credential values (see PersistedPanelState
        // bodyOmitted / omittedValues): put ours back.
        if (message.state) this.adopt(restoreOmitted(message.state, this.state.draft));
        this.post({
          type: 'init',
          state: this.state,
          environment: this.environmentInfo(),
          ...(this.lastResponse ? this.responseFields(this.lastResponse) : {}),
          ...(this.inFlight ? { inFlightSeq: this.inFlight.seq } : {}),
        });
        return;
      case 'stateChanged':
        this.adopt(message.state);
        return;
      case 'send':
        this.stamp(message.seq, { sendAt: performance.now() });
        this.adopt({ ...this.state, draft: message.draft });
        await this.send(message.seq, message.draft);
        return;
      case 'cancel':
        if (this.inFlight && this.inFlight.seq === message.seq) this.inFlight.cts.cancel();
        return;
      case 'save':
        await this.save(message.draft);
        return;
      case 'copyCurl':
        await this.copyCurl(message.draft, message.includeToken);
        return;
      case 'responseAction':
        await this.responseAction(message.action);
        return;
      case 'errorAction':
        await this.errorAction(message.action);
        return;
      case 'switchEnvironment':
        await vscode.commands.executeCommand(Commands.switchEnvironment);
        return;
      case 'loadFullBody': {
        const last = this.lastResponse;
        if (!last || last.seq !== message.seq) return; // superseded by a newer response
        this.stamp(message.seq, { loadFullAt: performance.now() });
        this.post({ type: 'response', seq: last.seq, response: { ...last.meta, body: plainBytes(last.body) } });
        return;
      }
      case 'metrics': {
        // Paint figures for the integration tests and the benchmark: production builds neither send nor read them.
        if (!__STUDYTEAM_TEST_HOOKS__) return;
        const stamps = this.stamps.get(message.seq);
        const from = message.stage === 'firstPaint' ? stamps?.sendAt : stamps?.loadFullAt;
        this.deps.onMetrics({
          seq: message.seq,
          stage: message.stage,
          clickToPaintMs: message.clickToPaintMs,
          receiveToPaintMs: message.receiveToPaintMs,
          hostRoundTripMs: from === undefined ? undefined : performance.now() - from,
          hostRequestMs: message.stage === 'firstPaint' ? stamps?.requestMs : undefined,
          bodyBytes: message.bodyBytes,
          paintedBytes: message.paintedBytes,
          at: Date.now(),
        });
        return;
      }
    }
  }

  private stamp(seq: number, patch: { sendAt?: number; requestMs?: number; loadFullAt?: number }): void {
    if (!__STUDYTEAM_TEST_HOOKS__) return;
    this.stamps.set(seq, { ...this.stamps.get(seq), ...patch });
    while (this.stamps.size > 8) this.stamps.delete(this.stamps.keys().next().value as number);
  }

  /** The last response for `init`: its preview when the body is large, else all of it. */
  private responseFields(last: LastResponse): Pick<Extract<HostToWebview, { type: 'init' }>, 'response' | 'preview' | 'responseSeq'> {
    return last.preview
      ? { preview: last.preview, responseSeq: last.seq }
      : { response: { ...last.meta, body: plainBytes(last.body) }, responseSeq: last.seq };
  }

  private adopt(state: PersistedPanelState): void {
    // The webview never changes which saved request the panel edits: that is the host's call (Save).
    this.state = { version: 1, draft: state.draft, ...(this.state.savedId ? { savedId: this.state.savedId } : {}) };
    const title = panelTitle(state.draft);
    if (this.panel.title !== title) this.panel.title = title;
  }

  private environmentInfo(): EnvironmentInfo {
    const env = this.deps.services.environments.active();
    return {
      id: env.id,
      name: env.name,
      baseUrl: env.baseUrl,
      production: env.production,
      variables: Object.keys(variablesOf(env)).sort(),
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Send / cancel

  private async send(seq: number, draft: DraftRequest): Promise<void> {
    if (this.inFlight) {
      this.inFlight.cts.cancel();
      this.inFlight.cts.dispose();
    }
    const cts = new vscode.CancellationTokenSource();
    const mine = { cts, seq };
    this.inFlight = mine;
    this.post({ type: 'sending', seq });
    const outcome = await this.deps.services.runRequest(apiRequestFromDraft(draft), {
      title: panelTitle(draft),
      token: cts.token,
      showProgress: false,
      notifyErrors: false,
    });
    if (this.inFlight !== mine || this.disposed) return; // superseded by a newer Send, or closed
    this.inFlight = undefined;
    cts.dispose();
    if (outcome.ok) {
      const response = outcome.response;
      const sendAt = this.stamps.get(seq)?.sendAt;
      if (sendAt !== undefined) this.stamp(seq, { requestMs: performance.now() - sendAt });
      const image = isPreviewableImage(response.contentType) && response.body.length <= MAX_IMAGE_PREVIEW_BYTES;
      // What the webview gets: UTF-8 text (re-encoded when the server used another charset), or an image's bytes.
      const body = image || isUtf8(response.contentType) ? response.body : Buffer.from(response.text, 'utf8');
      const meta: ResponseMeta = {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers.map(([n, v]) => [n, v] as const),
        contentType: response.contentType,
        bodyKind: image ? 'image' : 'text',
        size: response.size,
        truncated: response.truncated,
        totalMs: response.timings.totalMs,
        retried: response.retried,
        request: {
          method: response.request.method,
          url: response.request.url,
          headers: redactHeaders(response.request.headers),
          bodyBytes: response.request.bodyBytes,
        },
        environmentName: outcome.environment.name,
      };
      // A large text body: paint its start first; the whole body crosses only when the webview asks for it
      // (moving 10 MB into the webview takes seconds in code-server).
      const preview: ResponsePreview | undefined =
        !image && body.length > PREVIEW_THRESHOLD_BYTES ? { ...meta, size: Math.max(meta.size, body.length), head: plainBytes(utf8Prefix(body, PREVIEW_HEAD_BYTES)) } : undefined;
      this.lastResponse = { seq, meta, preview, body, raw: response.body, text: response.text, environment: outcome.environment };
      if (preview) this.post({ type: 'responsePreview', seq, preview });
      else this.post({ type: 'response', seq, response: { ...meta, body: plainBytes(body) } });
    } else {
      this.lastErrorEnvironment = outcome.environment;
      const presented = presentError(outcome.error, outcome.environment);
      const actions: ErrorActionInfo[] = presented.actions.map((id) => ({ id, label: ERROR_ACTION_LABELS[id] }));
      this.post({ type: 'error', seq, cancelled: outcome.cancelled, message: outcome.message, actions: outcome.cancelled ? [] : actions });
    }
  }

  private async errorAction(action: ErrorActionId): Promise<void> {
    await runErrorAction(action, this.lastErrorEnvironment ?? this.deps.services.environments.active());
  }

  // -------------------------------------------------------------------------------------------------------
  // Save / curl

  private async save(draft: DraftRequest): Promise<void> {
    const id = this.state.savedId ?? newId('request');
    const existing = this.state.savedId ? this.deps.store.findRequest(this.state.savedId) : undefined;
    const saved = savedFromDraft(draft, id, existing);
    try {
      await this.deps.store.upsertRequest(saved);
    } catch (error) {
      // e.g. a literal Authorization header or token-looking value: the store refuses it with a hint.
      this.post({ type: 'notice', level: 'error', message: `Not saved: ${presentError(error).message}` });
      return;
    }
    const savedDraft: DraftRequest = { ...draft, name: saved.name };
    this.state = { version: 1, draft: savedDraft, savedId: id };
    this.panel.title = panelTitle(savedDraft);
    this.deps.onSaved(this, id);
    this.post({ type: 'saved', savedId: id, name: saved.name });
  }

  private async copyCurl(draft: DraftRequest, includeToken: boolean): Promise<void> {
    const { services, confirmations } = this.deps;
    const copied = await copyRequestAsCurl({ auth: services.auth, confirmations, logger: services.logger }, apiRequestFromDraft(draft), services.environments.active(), {
      name: panelTitle(draft),
      includeToken,
    });
    if (copied) this.post({ type: 'notice', level: 'info', message: copied.note });
  }

  // -------------------------------------------------------------------------------------------------------
  // Response actions (the body stays in host memory; it is written to disk only when the user asks)

  private async responseAction(action: ResponseAction): Promise<void> {
    const last = this.lastResponse;
    if (!last) {
      this.post({ type: 'notice', level: 'error', message: 'No response yet: Send the request first.' });
      return;
    }
    const text = last.text;
    switch (action) {
      case 'openInEditor': {
        const language = languageForContentType(last.meta.contentType, text);
        const content = language === 'json' && text.length <= 20 * 1024 * 1024 ? (formatJson(text) ?? text) : text;
        // A read-only virtual document: an untitled one would be backed up to disk by hot exit (patient data).
        const title = `${panelTitle(this.state.draft)} — ${last.meta.status}.${extensionForContentType(last.meta.contentType)}`;
        await this.deps.documents.show(title, content, language, { preview: false, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'saveToFile': {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const fileName = `response.${extensionForContentType(last.meta.contentType)}`;
        const target = await vscode.window.showSaveDialog({
          title: 'Save Response Body',
          saveLabel: 'Save',
          ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, last.raw);
        this.post({ type: 'notice', level: 'info', message: `Saved ${last.raw.length} bytes to ${vscode.workspace.asRelativePath(target)}.` });
        return;
      }
      case 'copyBody':
        await vscode.env.clipboard.writeText(text);
        this.post({ type: 'notice', level: 'info', message: 'Copied the response body.' });
        return;
    }
  }

  // -------------------------------------------------------------------------------------------------------

  private html(): string {
    const webview = this.panel.webview;
    const root = webviewRoot(this.deps.extensionUri);
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'panel.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'panel.css'));
    const nonce = randomBytes(16).toString('base64');
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} blob:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>StudyTeam Request: ${escapeHtml(panelTitle(this.state.draft))}</title>
</head>
<body>
<div id="app" data-testid="app" data-panel="studyteam-request"></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}

/** The charset of a content type is UTF-8 (or unspecified, or ASCII): its bytes can be sent as they are. */
function isUtf8(contentType: string): boolean {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return !m || /^(utf-?8|us-ascii|ascii)$/i.test(m[1] ?? '');
}

/**
 * A plain Uint8Array over exactly these bytes. VS Code sends typed arrays as binary only when the constructor is
 * exactly Uint8Array (a Node Buffer would be JSON-encoded byte by byte) and ships the whole underlying ArrayBuffer.
 */
function plainBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.constructor === Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A fresh panel state for "New Request" or from a saved request. */
export function stateFromSaved(saved: SavedRequest): PersistedPanelState {
  return { version: 1, draft: draftFromSaved(saved), savedId: saved.id };
}
