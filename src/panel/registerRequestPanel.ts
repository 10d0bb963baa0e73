// Registers the request panel feature: the commands studyteam.openRequestInPanel (arg: saved request id) and
// studyteam.newRequestPanel, and the WebviewPanelSerializer that restores panels after a window reload
// (from the draft the webview persisted — never a response body or token). One panel per saved request; a click in
// the tree opens a preview panel that the next click replaces (workbench.editor.enablePreview), Keep Open keeps it.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { REQUEST_PANEL_VIEW_TYPE } from './protocol';
import { isPersistedPanelState } from './protocolGuards';
import type { DraftRequest, MetricsStage, PersistedPanelState } from './protocol';
import type { PanelMetrics } from './panelMetrics';
import type { OpenOptions, RequestPanel, RequestPanelDeps } from './requestPanel';
import type { PanelStore } from './saveFlow';
import type { PanelDocuments } from './responseOnHost';
import type { StoredRunResponse } from '../core/runResultsView';
import type { SavedRequest } from '../core/model';
import type { Confirmations } from '../host/confirmations';
import type { HostServices } from '../host/services';
import { draftFromSaved, emptyDraft, panelTitle, savedFromDraft } from './draft';
import { newId } from '../core/savedRequests';
import { presentError, showErrorNotification } from '../host/errorPresenter';
import { RememberedVariables } from './rememberedVariables';
import { pickSaveLocation } from './saveFlow';
import { PanelRecords } from './panelRecords';
import type { PanelMemento } from './panelRecords';
import { restorePanelsWithoutTab } from './panelRestore';
import { panelOptions } from './panelHtml';

/** The panel's host side is loaded when the first panel opens or is restored, not when the extension activates. */
function panelModule(): typeof import('./requestPanel') {
  return require('./requestPanel') as typeof import('./requestPanel');
}

/** What tests and other features can see of an open panel. */
export interface RequestPanelInfo {
  readonly savedId: string | undefined;
  readonly title: string;
  readonly visible: boolean;
  readonly active: boolean;
  /** The webview has said "ready" (and is not hidden). */
  readonly ready: boolean;
  readonly draft: DraftRequest;
  /** Unsaved edits (the tab title starts with ●). */
  readonly dirty: boolean;
  /** A preview: the next request opened with a click in the tree replaces it (its title ends with "(Preview)"). */
  readonly preview: boolean;
  /** Opened → the webview was ready to take input, in ms (host clock); undefined until then. */
  readonly openToReadyMs: number | undefined;
  /** Test builds: of that, the webview document's start → ready (webview clock). */
  readonly webviewLoadMs: number | undefined;
  /** Test builds: of that, the panel's own script (webview clock). */
  readonly webviewScriptMs: number | undefined;
}

export interface RequestPanelFeature extends vscode.Disposable {
  /** The last `metrics` message of any panel (a click → first paint of the body). */
  readonly lastMetrics: PanelMetrics | undefined;
  /** Open panels, oldest first. */
  panels(): readonly RequestPanelInfo[];
  /** Opens (or reveals) the panel of a saved request, as a preview when asked; undefined when the id is unknown. */
  openSavedRequest(id: string, options?: OpenOptions): RequestPanelInfo | undefined;
  /** Opens a fresh panel, optionally pre-filled. */
  openNewRequest(draft?: Partial<DraftRequest>): RequestPanelInfo;
  /**
   * Opens (or reveals) the panel of a saved request — as a preview — showing a response received elsewhere (a Run
   * Folder row); a request deleted since opens as an unsaved draft of what ran.
   */
  showResponse(request: SavedRequest, stored: StoredRunResponse | undefined): RequestPanelInfo;
  /** Resolves with the next metrics message of that stage (default 'firstPaint') (tests/benchmark). */
  nextMetrics(timeoutMs?: number, stage?: MetricsStage): Promise<PanelMetrics>;
  /**
   * Resolves once the window has settled after activation, with the titles of the panels reopened from the
   * extension's records because VS Code did not bring their tabs back after a reload (panelRestore.ts).
   */
  whenRestored(): Promise<readonly string[]>;
}

/** The context key the Keep Open action's `when` clauses read: the active request panel is a preview. */
const PREVIEW_ACTIVE_KEY = 'studyteam.activePanelIsPreview';

/** VS Code's own setting: with previews off, every open is a panel that stays. */
function previewsEnabled(): boolean {
  return vscode.workspace.getConfiguration('workbench.editor').get<boolean>('enablePreview', true);
}

function requestIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  // Tree context menus pass the element.
  if (typeof arg === 'object' && arg !== null) {
    const rec = arg as { id?: unknown };
    if (typeof rec.id === 'string' && rec.id) return rec.id;
  }
  return undefined;
}

/** The QuickPick of "Open in Request Panel" from the Command Palette: every saved request, with its folders. */
async function pickSavedRequest(store: PanelStore): Promise<string | undefined> {
  const all = store.allRequests();
  if (all.length === 0) {
    // Not awaited: the command finishes at once, the notification stays until the user answers it.
    const create = 'New Request Panel';
    void vscode.window.showInformationMessage('StudyTeam: there are no saved requests yet.', create).then((choice) => {
      if (choice === create) void vscode.commands.executeCommand(Commands.newRequestPanel);
    });
    return undefined;
  }
  const items = all.map(({ request, folderPath }) => ({
    label: request.name,
    description: `${request.method} ${request.url}`,
    detail: folderPath.length ? folderPath.join(' / ') : undefined,
    id: request.id,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Open in Request Panel',
    placeHolder: 'Choose a saved request',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.id;
}

export function registerRequestPanel(
  context: { readonly subscriptions: vscode.Disposable[]; readonly extensionUri: vscode.Uri; readonly workspaceState: PanelMemento },
  services: HostServices,
  store: PanelStore,
  confirmations: Confirmations,
  documents: PanelDocuments,
): RequestPanelFeature {
  const open = new Set<RequestPanel>();
  const bySavedId = new Map<string, RequestPanel>();
  /** The one preview panel (undefined, or no longer a preview, when there is none). */
  let previewPanel: RequestPanel | undefined;
  let previewActive = false;
  const updatePreviewContext = (): void => {
    const active = [...open].some((p) => p.isPreview && p.panel.active);
    if (active === previewActive) return;
    previewActive = active;
    void vscode.commands.executeCommand('setContext', PREVIEW_ACTIVE_KEY, active);
  };
  let lastMetrics: PanelMetrics | undefined;
  let metricsWaiters: Array<(m: PanelMetrics) => void> = [];
  const records = new PanelRecords(context.workspaceState);
  /** Which record is each open panel's (panelRecords.ts). */
  const recordIds = new WeakMap<RequestPanel, string>();
  const recordOf = (panel: RequestPanel): string => {
    let id = recordIds.get(panel);
    if (!id) recordIds.set(panel, (id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`));
    return id;
  };

  const deps: RequestPanelDeps = {
    extensionUri: context.extensionUri,
    services,
    store,
    confirmations,
    remembered: new RememberedVariables(),
    documents,
    onMetrics(metrics) {
      lastMetrics = metrics;
      const host = metrics.hostRoundTripMs === undefined ? '' : `, host round trip ${Math.round(metrics.hostRoundTripMs)} ms`;
      const request = metrics.hostRequestMs === undefined ? '' : `, request ${Math.round(metrics.hostRequestMs)} ms`;
      services.logger.log(
        'info',
        'panel',
        `${metrics.stage === 'firstPaint' ? 'Send' : 'Load full tree'} → first paint ${Math.round(metrics.clickToPaintMs)} ms (${metrics.paintedBytes} of ${metrics.bodyBytes} bytes${request}${host})`,
      );
      const waiters = metricsWaiters;
      metricsWaiters = [];
      for (const w of waiters) w(metrics);
    },
    onSaved(panel, savedId) {
      for (const [id, p] of bySavedId) if (p === panel && id !== savedId) bySavedId.delete(id);
      bySavedId.set(savedId, panel);
    },
    onViewStateChanged: () => updatePreviewContext(),
    onChanged(panel) {
      records.put(recordOf(panel), panel.panel.title, panel.fullState, panel.panel.viewColumn);
    },
    onDisposed(panel, closedInUi) {
      open.delete(panel);
      if (previewPanel === panel) previewPanel = undefined;
      updatePreviewContext();
      if (closedInUi && !shuttingDown) records.remove(recordOf(panel));
      for (const [id, p] of bySavedId) if (p === panel) bySavedId.delete(id);
      if (closedInUi && !shuttingDown && panel.isDirty) void askAfterClose(panel.fullState, panel.savedBaseline);
    },
  };
  let shuttingDown = false;

  /**
   * A panel with unsaved edits was closed. VS Code cannot keep a webview panel from closing, so the question comes
   * right after: Save stores the edits, Don't Save drops them, Cancel (or Escape) reopens the panel with them — the
   * edits are never lost without an answer.
   */
  const askAfterClose = async (state: PersistedPanelState, baseline: DraftRequest): Promise<void> => {
    const name = panelTitle(state.draft);
    const choice = await confirmations.choose({
      message: `Do you want to save the changes you made to "${name}"?`,
      detail: "The request panel was closed with unsaved changes. Save keeps them in Saved Requests, Don't Save discards them, Cancel reopens the panel with them.",
      choices: ['Save', "Don't Save"],
    });
    if (choice === "Don't Save") {
      services.logger.log('info', 'panel', `closed "${name}" without saving its changes`);
      return;
    }
    if (choice === 'Save') {
      const existing = state.savedId ? store.findRequest(state.savedId) : undefined;
      const where = existing ? undefined : await pickSaveLocation(store, name);
      if (existing || where) {
        try {
          await store.upsertRequest(savedFromDraft(state.draft, existing?.id ?? newId('request'), existing), where?.parentId);
          void vscode.window.showInformationMessage(`StudyTeam: saved "${name}"${where ? ` to ${where.label}` : ''}.`);
          return;
        } catch (error) {
          void showErrorNotification(`"${name}" was not saved: ${presentError(error).message} The panel is open again with your changes.`);
        }
      }
    }
    track(panelModule().RequestPanel.create(deps, state, baseline));
  };

  const track = (panel: RequestPanel): RequestPanel => {
    open.add(panel);
    deps.onChanged(panel);
    if (panel.savedId && !bySavedId.has(panel.savedId)) bySavedId.set(panel.savedId, panel);
    return panel;
  };

  const info = (panel: RequestPanel): RequestPanelInfo => ({
    savedId: panel.savedId,
    title: panel.panel.title,
    visible: panel.panel.visible,
    active: panel.panel.active,
    ready: panel.isReady,
    draft: panel.draft,
    dirty: panel.isDirty,
    preview: panel.isPreview,
    openToReadyMs: panel.openToReadyMs,
    webviewLoadMs: panel.webviewLoadMs,
    webviewScriptMs: panel.webviewScriptMs,
  });

  const openSaved = (id: string, options: OpenOptions = {}): RequestPanel | undefined => {
    const preview = options.preview === true && previewsEnabled();
    const existing = bySavedId.get(id);
    if (existing) {
      // Opened to stay (a double click in the tree, a menu, the palette): a preview showing it stays too.
      if (!preview) existing.keepOpen();
      existing.reveal(preview);
      return existing;
    }
    const saved = store.findRequest(id);
    if (!saved) return undefined;
    const { RequestPanel, stateFromSaved } = panelModule();
    const current = previewPanel?.isPreview ? previewPanel : undefined;
    if (preview && current) {
      if (!current.isDirty) {
        // The preview tab shows this request instead (unsaved edits would have made it stay: they are never replaced).
        current.replaceWith(stateFromSaved(saved));
        for (const [key, p] of bySavedId) if (p === current) bySavedId.delete(key);
        bySavedId.set(id, current);
        current.reveal(true);
        return current;
      }
      current.keepOpen();
    }
    const panel = track(RequestPanel.create(deps, stateFromSaved(saved), undefined, { preview }));
    if (preview) previewPanel = panel;
    return panel;
  };

  const openNew = (draft?: Partial<DraftRequest>): RequestPanel => {
    const state: PersistedPanelState = { version: 1, draft: { ...emptyDraft(), ...(draft ?? {}) } };
    return track(panelModule().RequestPanel.create(deps, state));
  };

  /** Takes on a panel restored after a reload (by VS Code's serializer, or reopened from the records). */
  const adopt = (panel: vscode.WebviewPanel, restored: PersistedPanelState): void => {
    // A saved request that is already open elsewhere (or was deleted) is restored as an unsaved draft.
    const savedId = restored.savedId;
    const saved = savedId !== undefined && !bySavedId.has(savedId) ? store.findRequest(savedId) : undefined;
    let draft = restored.draft;
    if (restored.bodyOmitted) {
      // Bodies are never written to disk with the panel state; a saved request's body comes back from its file.
      draft = { ...draft, body: saved?.body ?? '' };
      if (!saved) {
        void vscode.window.showInformationMessage(
          `StudyTeam: the body of "${panelTitle(draft)}" was not kept across the reload — request bodies can hold patient data, so only saved requests keep theirs.`,
        );
      }
    }
    if (restored.omittedValues) {
      void vscode.window.showInformationMessage(
        `StudyTeam: credential values typed into the headers or query of "${panelTitle(draft)}" were not kept across the reload — enter them again, or use auth mode "bearer".`,
      );
    }
    track(panelModule().RequestPanel.revive(deps, panel, saved ? { version: 1, draft, savedId: savedId as string } : { version: 1, draft }, restored.omittedValues));
  };

  // Panels open before the reload whose tab VS Code did not restore at all come back from the records too.
  const restore = restorePanelsWithoutTab({
    records,
    live: () => [...open].map((p) => ({ recordId: recordOf(p), title: p.panel.title })),
    reopen: (state, column) =>
      adopt(vscode.window.createWebviewPanel(REQUEST_PANEL_VIEW_TYPE, panelTitle(state.draft), { viewColumn: column ?? vscode.ViewColumn.Active, preserveFocus: true }, panelOptions(context.extensionUri)), state),
    log: (level, message) => services.logger.log(level, 'panel', message),
  });

  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(Commands.openRequestInPanel, async (arg?: unknown, options?: unknown) => {
      const id = requestIdOf(arg) ?? (await pickSavedRequest(store));
      if (!id) return undefined;
      const preview = typeof options === 'object' && options !== null && (options as { preview?: unknown }).preview === true;
      const panel = openSaved(id, { preview });
      if (!panel) {
        void showErrorNotification(`The saved request "${id}" no longer exists. It may have been deleted or renamed in the file.`);
        return undefined;
      }
      return panel.savedId;
    }),
    vscode.commands.registerCommand(Commands.newRequestPanel, () => {
      openNew();
    }),
    vscode.commands.registerCommand(Commands.keepPanelOpen, () => {
      const target = [...open].find((p) => p.isPreview && p.panel.active) ?? (previewPanel?.isPreview ? previewPanel : undefined);
      target?.keepOpen();
      return target !== undefined;
    }),
    vscode.window.registerWebviewPanelSerializer(REQUEST_PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        // VS Code keeps the webview's state with the editors it saves, now and then: it can be seconds older than the
        // panel's last edit, or missing. The host's own disk-safe copy (panelRecords.ts) is written as the draft
        // changes, so it wins — unless two kept panels have this title (then VS Code's copy is the one of this tab).
        const openIds = new Set([...open].map(recordOf));
        const unique = records.countTitled(panel.title, openIds) === 1;
        const kept = records.take(panel.title, openIds);
        const vsCodes = isPersistedPanelState(state) && (state.draft.name.trim() !== '' || state.draft.url.trim() !== '') ? state : undefined;
        const usable = (unique ? kept : undefined) ?? vsCodes ?? kept ?? (isPersistedPanelState(state) ? state : undefined);
        if (!usable) services.logger.log('warn', 'panel', 'restored a request panel without valid state; starting empty');
        else if (usable === kept) services.logger.log('info', 'panel', `restored "${panelTitle(usable.draft)}" from the extension's copy of its state${vsCodes ? '' : " (the window's copy had none)"}`);
        adopt(panel, usable ?? { version: 1, draft: emptyDraft() });
      },
    }),
  ];
  context.subscriptions.push(...disposables);

  const feature: RequestPanelFeature = {
    get lastMetrics() {
      return lastMetrics;
    },
    panels: () => [...open].map(info),
    openSavedRequest(id, options) {
      const panel = openSaved(id, options);
      return panel ? info(panel) : undefined;
    },
    openNewRequest: (draft) => info(openNew(draft)),
    showResponse(request, stored) {
      // The panel that will show it: this request's own, else the preview tab it replaces, else a new one (in the
      // active group, the results view's). Covering the results view, it takes the keyboard focus (which would
      // otherwise be left on a hidden webview); beside it, the focus stays on the rows.
      const reused = bySavedId.get(request.id) ?? (previewPanel?.isPreview && !previewPanel.isDirty ? previewPanel : undefined);
      const coversResults = !reused || reused.panel.viewColumn === vscode.window.tabGroups.activeTabGroup.viewColumn;
      // As a preview, like a click in the tree: going down the rows does not pile up tabs.
      const panel = openSaved(request.id, { preview: true }) ?? openNew(draftFromSaved(request));
      if (stored) panel.showStoredResponse(stored);
      if (coversResults) panel.reveal(false);
      return info(panel);
    },
    whenRestored: () => restore.settled,
    nextMetrics(timeoutMs = 30_000, stage: MetricsStage = 'firstPaint') {
      return new Promise<PanelMetrics>((resolve, reject) => {
        const timer = setTimeout(() => {
          metricsWaiters = metricsWaiters.filter((w) => w !== waiter);
          reject(new Error(`no panel metrics (${stage}) within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (m: PanelMetrics): void => {
          if (m.stage !== stage) {
            metricsWaiters.push(waiter);
            return;
          }
          clearTimeout(timer);
          resolve(m);
        };
        metricsWaiters.push(waiter);
      });
    },
    dispose() {
      shuttingDown = true;
      // First: closing the panels at shutdown must not read as the user closing them (their records stay).
      restore.dispose();
      for (const panel of [...open]) panel.dispose();
      for (const d of disposables) d.dispose();
    },
  };
  context.subscriptions.push(feature);
  return feature;
}
