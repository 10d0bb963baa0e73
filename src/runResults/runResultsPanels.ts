// The Run Folder results view: a webview panel "Run results: <folder> — <environment>" listing each request of a run
// (failures first) with its status, time and checks; a row opens that response in the request panel. One panel per
// folder: running it again replaces the run shown. The responses stay in this host's memory while the panel is open
// and go with it; nothing is written to disk, and no serializer is registered, so the view is never restored after a
// reload (it would have nothing but patient data to restore). The Markdown summary stays as an explicit export.
import * as vscode from 'vscode';
import type { Logger, SavedRequest } from '../core/model';
import type { RunResultsView, StoredRunResponse } from '../core/runResultsView';
import { panelOptions, webviewHtml } from '../panel/panelHtml';
import { isResultsToHost, RUN_RESULTS_VIEW_TYPE } from './runResultsProtocol';
import type { ActiveEnvironmentInfo, HostToResults, ResultRowInfo, ResultsToHost, RunResultsInfo } from './runResultsProtocol';

/** A finished run as the view shows it, with what a row opens. */
export interface ShownRun {
  /** The folder that ran (undefined: all saved requests). */
  readonly folderId: string | undefined;
  readonly view: RunResultsView;
  /** The summary as Markdown (Open as Markdown, Copy as Markdown): no bodies. */
  readonly markdown: string;
  /** The requests as they ran, by id (a request deleted since still opens, as a draft). */
  readonly requests: ReadonlyMap<string, SavedRequest>;
  /** By row key: the response received (or the error) — in memory only. */
  readonly responses: ReadonlyMap<string, StoredRunResponse>;
  /** By request id: problems of its body against its endpoint's schema. */
  readonly bodyProblems: ReadonlyMap<string, { readonly title: string; readonly problems: readonly string[] }>;
  /** Responses not kept because the run's responses passed the memory limit. */
  readonly responsesNotKept: number;
}

export interface RunResultsDeps {
  readonly extensionUri: vscode.Uri;
  readonly logger: Logger;
  /** Read-only documents (never untitled: hot exit would back those up to disk). */
  readonly documents: { show(title: string, content: string, language?: string, options?: { preview?: boolean }): Promise<unknown> };
  /** Opens the request in the request panel, showing the stored response when there is one. */
  openResponse(request: SavedRequest, stored: StoredRunResponse | undefined): void;
  /** Runs the folder again (undefined: all saved requests) — on the active environment. */
  runAgain(folderId: string | undefined): Thenable<unknown>;
  /** The active environment (where Run Again runs), and when it changes. */
  readonly environments: { active(): ActiveEnvironmentInfo; readonly onDidChange: vscode.Event<unknown> };
}

/** What tests see of an open results panel. */
export interface RunResultsPanelInfo {
  readonly title: string;
  readonly folderId: string | undefined;
  readonly visible: boolean;
  readonly active: boolean;
  /** The webview has said "ready" and has the run. */
  readonly ready: boolean;
  readonly run: RunResultsInfo;
  readonly markdown: string;
  /** The environment Run Again runs on (the active one), as last sent to the view. */
  readonly runAgainOn: ActiveEnvironmentInfo;
}

const ALL = '\u0000all';

class ResultsPanel implements vscode.Disposable {
  private ready = false;
  private disposed = false;
  /** The row whose response was opened last: focused again when the view is shown again. */
  private openedKey: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly deps: RunResultsDeps,
    readonly panel: vscode.WebviewPanel,
    public run: ShownRun,
    onDisposed: () => void,
  ) {
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, { bundle: 'runResults', title: `StudyTeam Run results: ${run.view.title}`, app: 'studyteam-run-results' });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(() => {
        // Torn down when hidden (no retainContextWhenHidden): it says "ready" again on reveal and gets the run again.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDisposed();
      }),
      deps.environments.onDidChange(() => this.post({ type: 'activeEnvironment', active: this.active })),
    );
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Only the id and name: the view needs nothing else of the environment (no URLs, no credentials). */
  get active(): ActiveEnvironmentInfo {
    const { id, name } = this.deps.environments.active();
    return { id, name };
  }

  get info(): RunResultsInfo {
    const { view, bodyProblems, responses, responsesNotKept } = this.run;
    const rows = view.rows.map((row): ResultRowInfo => {
      const problems = bodyProblems.get(row.id);
      return { ...row, ...(problems ? { bodyProblems: problems } : {}), responseKept: responses.get(row.key)?.kind === 'response' };
    });
    return { ...view, rows, responsesNotKept };
  }

  show(run: ShownRun): void {
    this.run = run;
    this.panel.title = titleOf(run);
    this.postResults();
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }

  /** The run, the active environment and the row opened last (focused again in a fresh webview). */
  private postResults(): void {
    this.post({ type: 'results', run: this.info, active: this.active, ...(this.openedKey ? { focusKey: this.openedKey } : {}) });
  }

  private post(message: HostToResults): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isResultsToHost(message)) {
      this.deps.logger.log('warn', 'panel', 'ignored a malformed message from the run results view');
      return;
    }
    void this.handle(message).catch((error: unknown) => {
      this.post({ type: 'notice', message: error instanceof Error ? error.message : String(error) });
    });
  }

  private async handle(message: ResultsToHost): Promise<void> {
    const run = this.run;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.postResults();
        return;
      case 'openRow': {
        const row = run.view.rows.find((r) => r.key === message.key);
        const request = row && run.requests.get(row.id);
        if (!row || !request) return;
        const stored = run.responses.get(row.key);
        this.openedKey = row.key;
        this.deps.openResponse(request, stored);
        if (!stored) this.post({ type: 'notice', message: `The response of "${row.name}" was not kept (over the memory limit for one run): run the request again to see it.` });
        return;
      }
      case 'runAgain':
        await this.deps.runAgain(run.folderId);
        return;
      case 'openMarkdown':
        await this.deps.documents.show(`Run ${run.view.title} (${run.view.environmentName}).md`, run.markdown, 'markdown', { preview: false });
        return;
      case 'copyMarkdown':
        await vscode.env.clipboard.writeText(run.markdown);
        this.post({ type: 'notice', message: 'Copied the summary as Markdown (statuses and checks, no bodies).' });
        return;
    }
  }
}

function titleOf(run: ShownRun): string {
  return `Run results: ${run.view.title} — ${run.view.environmentName}`;
}

export class RunResultsPanels implements vscode.Disposable {
  private readonly open = new Map<string, ResultsPanel>();

  constructor(private readonly deps: RunResultsDeps) {}

  /** Shows a finished run: in the folder's results panel (replacing its earlier run), or a new one. */
  show(run: ShownRun): void {
    const key = run.folderId ?? ALL;
    const existing = this.open.get(key);
    if (existing) {
      existing.show(run);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      RUN_RESULTS_VIEW_TYPE,
      titleOf(run),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      panelOptions(this.deps.extensionUri),
    );
    const results = new ResultsPanel(this.deps, panel, run, () => {
      if (this.open.get(key) === results) this.open.delete(key);
    });
    this.open.set(key, results);
  }

  panels(): RunResultsPanelInfo[] {
    return [...this.open.values()].map((p) => ({
      title: p.panel.title,
      folderId: p.run.folderId,
      visible: p.panel.visible,
      active: p.panel.active,
      ready: p.isReady,
      run: p.info,
      markdown: p.run.markdown,
      runAgainOn: p.active,
    }));
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
    this.open.clear();
  }
}
