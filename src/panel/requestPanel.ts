// Host side of one request panel: a WebviewPanel that composes a request, sends it through
// HostServices.runRequest (variables, production guard, auth, redaction all on the host — the webview makes
// no network requests; the Send and its response are panelExchange.ts) and shows the result. Messages are
// validated with the shared protocol guards.
// Persisted state (webview setState → WebviewPanelSerializer) holds the draft only: never a response or token.
import { Commands } from '../commandIds';
import * as vscode from 'vscode';
import type { SavedRequest } from '../core/model';
import { variablesOf } from '../core/variables';
import type { Confirmations } from '../host/confirmations';
import { copyRequestAsCurl } from '../host/curlCopy';
import { presentError } from '../host/errorPresenter';
import type { HostServices } from '../host/services';
import { REQUEST_PANEL_VIEW_TYPE } from './protocol';
import { isWebviewMessage } from './protocolGuards';
import type { DraftRequest, EnvironmentInfo, HostToWebview, PersistedPanelState, WebviewToHost } from './protocol';
import { restoreOmitted } from './diskState';
import { apiRequestFromDraft, draftFromSaved, emptyDraft, panelTitle } from './draft';
import { panelHtml, panelOptions, webviewOptions } from './panelHtml';
import { reenterMessage, type ReenterValues } from './reenter';
import type { PanelDocuments } from './responseOnHost';
import type { StoredRunResponse } from '../core/runResultsView';
import { PanelDocument } from './panelDocument';
import { PanelExchange } from './panelExchange';
import { variableInfos } from './rememberedVariables';
import type { RememberedVariables } from './rememberedVariables';
import type { PanelStore } from './saveFlow';
import { BodyProblemsReporter } from './bodyProblemsOnHost';
import { PanelStamps } from './panelMetrics';
import type { PanelMetrics } from './panelMetrics';

export interface RequestPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly services: HostServices;
  readonly store: PanelStore;
  readonly confirmations: Confirmations;
  /** Values for {{variables}} the user chose to remember (per environment, this session). */
  readonly remembered: RememberedVariables;
  /** Open in Editor shows the body here (an untitled document would be backed up to disk). */
  readonly documents: PanelDocuments;
  onMetrics(metrics: PanelMetrics): void;
  onSaved(panel: RequestPanel, savedId: string): void;
  /** closedInUi: the user closed the tab (not the extension shutting down). */
  onDisposed(panel: RequestPanel, closedInUi: boolean): void;
  /** The panel became (in)active or stopped being a preview (the Keep Open action's context key follows). */
  onViewStateChanged(): void;
  /** The draft, the title or the editor group changed (the feature keeps a disk-safe copy for reloads, see panelRecords.ts). */
  onChanged(panel: RequestPanel): void;
}

/** How a panel opens: a preview (replaced by the next request opened from the tree) or one that stays open. */
export interface OpenOptions {
  readonly preview?: boolean;
}

export class RequestPanel implements vscode.Disposable {
  /** Opens a new panel in the editor area. */
  static create(deps: RequestPanelDeps, state: PersistedPanelState, baseline?: DraftRequest, options: OpenOptions = {}): RequestPanel {
    const preview = options.preview === true;
    const panel = vscode.window.createWebviewPanel(
      REQUEST_PANEL_VIEW_TYPE,
      panelTitle(state.draft),
      // A preview keeps the focus where the click was (the tree), as the Explorer's preview does.
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: preview },
      panelOptions(deps.extensionUri),
    );
    return new RequestPanel(deps, panel, state, baseline, preview);
  }

  /** Adopts a panel VS Code restored after a reload (WebviewPanelSerializer). */
  static revive(deps: RequestPanelDeps, panel: vscode.WebviewPanel, state: PersistedPanelState, reenter?: ReenterValues): RequestPanel {
    panel.webview.options = webviewOptions(deps.extensionUri);
    // An unsaved draft lives only in this panel: after the reload it still counts as unsaved work (●, asked on close).
    const revived = new RequestPanel(deps, panel, state, state.savedId ? undefined : emptyDraft());
    revived.webviewStateIsStale = true; // its webview starts from VS Code's copy, which can be older than `state`
    revived.reenter = reenter; // credential values to ask for again (reenter.ts)
    return revived;
  }

  private reenter: ReenterValues | undefined;
  private doc: PanelDocument;
  private ready = false;
  /**
   * A preview panel: the next request opened with a click in the tree replaces what it shows (webview panels cannot
   * be VS Code preview editors, so the extension keeps one itself). Editing, saving, a double click or Keep Open
   * make it a panel that stays; it never replaces unsaved edits.
   */
  private preview: boolean;
  /** The webview's own saved state belongs to what the panel showed before a replacement: not adopted on its next ready. */
  private webviewStateIsStale = false;
  private readonly stamps = new PanelStamps();
  private disposed = false;
  private readonly createdAt = performance.now();
  /** Panel created → its webview said "ready" (the form is built and takes input), host clock. */
  openToReadyMs: number | undefined;
  /** Test builds: the webview document's start → ready, on the webview's clock. */
  webviewLoadMs: number | undefined;
  webviewScriptMs: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly bodyProblems = new BodyProblemsReporter((m) => this.post(m));
  /** The Send in flight and the last response or error (host memory only). */
  private readonly exchange: PanelExchange;

  private constructor(
    private readonly deps: RequestPanelDeps,
    readonly panel: vscode.WebviewPanel,
    state: PersistedPanelState,
    baseline?: DraftRequest,
    preview = false,
  ) {
    this.preview = preview;
    this.exchange = new PanelExchange({
      services: deps.services,
      remembered: deps.remembered,
      documents: deps.documents,
      stamps: this.stamps,
      bodyProblems: this.bodyProblems,
      post: (m) => this.post(m),
      isDisposed: () => this.disposed,
      environmentInfo: () => this.environmentInfo(),
      title: () => panelTitle(this.doc.state.draft),
    });
    this.doc = this.newDocument(state, baseline);
    panel.title = this.titleOf(this.doc.title());
    panel.webview.html = panelHtml(panel.webview, deps.extensionUri, panelTitle(state.draft));
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.dispose(true)),
      deps.store.onDidChange(() => {
        if (!this.disposed) this.doc.onStoreChanged();
      }),
      panel.onDidChangeViewState(() => {
        // The webview is torn down when hidden (retainContextWhenHidden: false); it says "ready" again on reveal.
        if (!panel.visible) this.ready = false;
        deps.onViewStateChanged();
        deps.onChanged(this); // the disk-safe copy follows the panel to another editor group (where a reload reopens it)
      }),
      deps.services.environments.onDidChange(() => this.post({ type: 'environment', environment: this.environmentInfo() })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('editor.tabFocusMode')) this.post({ type: 'editorSettings', tabMovesFocus: tabMovesFocus() });
      }),
    );
  }

  get savedId(): string | undefined {
    return this.doc.state.savedId;
  }

  get draft(): DraftRequest {
    return this.doc.state.draft;
  }

  get isReady(): boolean {
    return this.ready;
  }

  get isPreview(): boolean {
    return this.preview;
  }

  /** Keep Open: a preview becomes a panel that stays (the next click in the tree opens another one). */
  keepOpen(): void {
    if (!this.preview || this.disposed) return;
    this.preview = false;
    this.panel.title = this.titleOf(this.doc.title());
    this.post({ type: 'previewTab', preview: false });
    this.deps.onViewStateChanged();
  }

  /**
   * A preview shows another saved request in the same tab: the draft, the response and any Send in flight of the
   * previous one go (it had no unsaved edits — those make a preview stay). Faster than a new panel: the webview stays.
   */
  replaceWith(state: PersistedPanelState): void {
    if (!this.preview || this.doc.isDirty) throw new Error('Only a preview panel without unsaved edits shows another request.');
    this.exchange.reset();
    this.doc = this.newDocument(state);
    this.panel.title = this.titleOf(this.doc.title());
    this.bodyProblems.answered('', 0, undefined); // no server problems of the previous request's body
    if (this.ready) this.sendInit();
    else this.webviewStateIsStale = true;
  }

  /** The draft differs from the saved request (or, unsaved, from what the panel opened with). */
  get isDirty(): boolean {
    return this.doc.isDirty;
  }

  /** The full state (draft with its body and credential values), for reopening the panel after Cancel on close. */
  get fullState(): PersistedPanelState {
    return this.doc.state;
  }

  /** What unsaved edits are measured against (kept when the panel is reopened after Cancel on close). */
  get savedBaseline(): DraftRequest {
    return this.doc.baseline;
  }

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /**
   * Shows a response received outside this panel (a Run Folder row), labelled with its environment, origin, time and
   * where it came from; it replaces what is on screen (a Send still running here is cancelled). Memory only.
   */
  showStoredResponse(stored: StoredRunResponse): void {
    this.exchange.showStored(stored);
  }

  dispose(closedInUi = false): void {
    if (this.disposed) return;
    this.disposed = true;
    this.exchange.reset();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.deps.onDisposed(this, closedInUi);
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
        // bodyOmitted / omittedValues): put ours back. After a preview showed another request while hidden, the
        // webview's copy is the previous request's: ours wins.
        if (message.state && !this.webviewStateIsStale) this.doc.adopt(restoreOmitted(message.state, this.doc.state.draft).draft);
        this.webviewStateIsStale = false;
        this.sendInit();
        const reenter = this.reenter && reenterMessage(this.reenter, this.doc.state.draft);
        if (reenter) this.post({ type: 'notice', level: 'info', message: reenter });
        if (this.openToReadyMs === undefined) {
          this.openToReadyMs = performance.now() - this.createdAt;
          this.webviewLoadMs = message.loadMs;
          this.webviewScriptMs = message.scriptMs;
          const inWebview = message.loadMs === undefined ? '' : ` (${Math.round(message.loadMs)} ms of it in the webview document, ${Math.round(message.scriptMs ?? 0)} ms in its script)`;
          this.deps.services.logger.log('info', 'panel', `"${panelTitle(this.doc.state.draft)}" ready ${Math.round(this.openToReadyMs)} ms after it was opened${inWebview}`);
        }
        return;
      case 'keepOpen':
        this.keepOpen();
        return;
      case 'stateChanged':
        this.doc.adopt(message.state.draft);
        this.bodyProblems.draftChanged(this.doc.state.draft);
        return;
      case 'send':
        this.stamps.sendArrived(message.seq);
        this.doc.adopt(message.draft);
        this.bodyProblems.draftChanged(message.draft);
        await this.exchange.send(message.seq, message.draft);
        return;
      case 'cancel':
        this.exchange.cancel(message.seq);
        return;
      case 'save':
        this.keepOpen(); // Ctrl+S in a preview keeps it, as in an editor
        await this.doc.save(message.draft);
        return;
      case 'saveAs':
        this.keepOpen();
        await this.doc.saveAs(message.draft);
        return;
      case 'revert':
        this.doc.revert();
        return;
      case 'copyCurl':
        await this.copyCurl(message.draft, message.includeToken);
        return;
      case 'responseAction':
        await this.exchange.responseAction(message.action);
        return;
      case 'errorAction':
        await this.exchange.errorAction(message.action);
        return;
      case 'clearResponse':
        this.exchange.clear();
        return;
      case 'switchEnvironment':
        await vscode.commands.executeCommand(Commands.switchEnvironment);
        return;
      case 'loadFullBody':
        this.exchange.loadFullBody(message.seq); // ignored when superseded by a newer response
        return;
      case 'metrics':
        // Paint figures for the integration tests and the benchmark: production builds neither send nor read them.
        if (__STUDYTEAM_TEST_HOOKS__) this.deps.onMetrics(this.stamps.metricsOf(message));
        return;
    }
  }

  private newDocument(state: PersistedPanelState, baseline?: DraftRequest): PanelDocument {
    return new PanelDocument(this.deps.store, { post: (m) => this.post(m), setTitle: (t) => this.setTitle(t), onSaved: (id) => this.deps.onSaved(this, id) }, state, baseline);
  }

  /** Everything the webview shows, at once: after it said "ready", and when a preview shows another request. */
  private sendInit(): void {
    this.post({ type: 'previewTab', preview: this.preview }); // first: a preview's init leaves the focus alone
    this.post({
      type: 'init',
      state: this.doc.state,
      environment: this.environmentInfo(),
      ...this.exchange.initFields(),
      tabMovesFocus: tabMovesFocus(),
    });
    this.doc.refresh(true);
    this.bodyProblems.resend(this.doc.state.draft);
  }

  /** "Name (Preview)" while a preview: a webview tab cannot be in italics. */
  private titleOf(title: string): string {
    return this.preview ? `${title} (Preview)` : title;
  }

  /** The document's title changed; unsaved edits make a preview stay (they are never replaced). */
  private setTitle(title: string): void {
    if (this.preview && this.doc.isDirty) this.keepOpen();
    const shown = this.titleOf(title);
    if (this.panel.title !== shown) this.panel.title = shown;
    if (!this.disposed) this.deps.onChanged(this);
  }

  private environmentInfo(): EnvironmentInfo {
    const env = this.deps.services.environments.active();
    return {
      id: env.id,
      name: env.name,
      baseUrl: env.baseUrl,
      production: env.production,
      variables: variableInfos(variablesOf(env), this.deps.remembered.of(env.id)),
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // Copy as curl

  private async copyCurl(draft: DraftRequest, includeToken: boolean): Promise<void> {
    const { services, confirmations } = this.deps;
    const copied = await copyRequestAsCurl({ auth: services.auth, confirmations, logger: services.logger }, apiRequestFromDraft(draft), services.environments.active(), {
      name: panelTitle(draft),
      includeToken,
    });
    if (copied) this.post({ type: 'notice', level: 'info', message: copied.note });
  }
}

/** VS Code's "Tab moves focus" (editor.tabFocusMode), which the body editor follows. */
function tabMovesFocus(): boolean {
  return vscode.workspace.getConfiguration('editor').get<boolean>('tabFocusMode', false);
}

/** A fresh panel state for "New Request" or from a saved request. */
export function stateFromSaved(saved: SavedRequest): PersistedPanelState {
  return { version: 1, draft: draftFromSaved(saved), savedId: saved.id };
}
