// The saved-requests feature: store (file + watcher), tree view with drag and drop, and its commands.
// The composition root calls registerSavedRequests once; everything it creates is disposed through
// context.subscriptions.
import * as vscode from 'vscode';
import type { SavedNode } from '../core/savedRequests';
import type { HostServices } from '../host/services';
import { SavedRequestStore, requestsFileUri } from './savedRequestStore';
import type { StoreState } from './savedRequestStore';
import { SAVED_REQUESTS_VIEW, SavedRequestsDragAndDrop, SavedRequestsTreeProvider } from './savedRequestsTree';
import type { Confirmations } from '../host/confirmations';
import type { ReadonlyDocuments } from '../host/readonlyDocuments';
import type { RunResultsPanels } from '../runResults/runResultsPanels';
import { registerEditCommands } from './editCommands';
import { registerImportExportCommands } from './importExportCommands';
import { registerRunCommands } from './runCommands';
import { showErrorNotification } from '../host/errorPresenter';
import { FormatMigrationNote } from './formatMigrationNote';

export interface SavedRequestsFeature {
  /** The store; also what the request panel uses (findRequest / upsertRequest). */
  readonly store: SavedRequestStore;
  readonly tree: SavedRequestsTreeProvider;
  readonly treeView: vscode.TreeView<SavedNode>;
  /** The tree's drag-and-drop controller (tests call handleDrop). */
  readonly dragAndDrop: SavedRequestsDragAndDrop;
  /** Resolves after the first load of the file. */
  readonly ready: Promise<StoreState>;
  /** The one-time note after a save moved an older file to the current format. */
  readonly formatNote: FormatMigrationNote;
}

export function registerSavedRequests(
  context: Pick<vscode.ExtensionContext, 'subscriptions' | 'globalStorageUri' | 'workspaceState' | 'extensionUri'>,
  services: HostServices,
  confirmations: Confirmations,
  documents: ReadonlyDocuments,
  runResults: Pick<RunResultsPanels, 'show'>,
): SavedRequestsFeature {
  const store = new SavedRequestStore(requestsFileUri(context.globalStorageUri), services.logger);
  context.subscriptions.push(store);
  const formatNote = new FormatMigrationNote(context.workspaceState, context.extensionUri, store.fileUri);
  context.subscriptions.push(store.onDidMigrateFormat((migration) => void formatNote.show(migration)));

  const tree = new SavedRequestsTreeProvider(store, () => services.environments.active().baseUrl);
  context.subscriptions.push(tree);

  const dragAndDrop = new SavedRequestsDragAndDrop(store, (message) => void showErrorNotification(message));
  const treeView = vscode.window.createTreeView(SAVED_REQUESTS_VIEW, {
    treeDataProvider: tree,
    dragAndDropController: dragAndDrop,
    showCollapseAll: true,
    canSelectMany: true,
  });
  context.subscriptions.push(treeView);
  context.subscriptions.push(services.environments.onDidChange(() => tree.refresh()));

  // The error is also a problem on the file (Problems view, a squiggle at the spot); it clears once the file is fixed.
  const problems = vscode.languages.createDiagnosticCollection('studyteam.requests');
  context.subscriptions.push(problems);

  // The error stays on screen as a progress notification, which closes by itself once the file is fixed (an
  // error toast cannot be taken back). The tree's message says the same.
  let closeErrorNotice: (() => void) | undefined;
  const reportState = (state: StoreState): void => {
    closeErrorNotice?.();
    closeErrorNotice = undefined;
    problems.clear();
    if (state.kind === 'ok') {
      if (treeView.message) vscode.window.setStatusBarMessage(`$(check) StudyTeam: ${vscode.workspace.asRelativePath(store.fileUri)} is valid again`, 5000);
      treeView.message = undefined;
      return;
    }
    const where = state.line ? ` (line ${state.line}, column ${state.column})` : '';
    treeView.message = `⚠ ${vscode.workspace.asRelativePath(store.fileUri)} has an error${where}. It is not changed until you fix it.`;
    const title = `StudyTeam: ${asSentence(store.describeInvalid())} Saved requests are read-only until you fix it; the file is not overwritten.`;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => new Promise<void>((resolve) => (closeErrorNotice = resolve)));
    services.logger.log('warn', 'tree', title);
    const at = new vscode.Position(Math.max(0, (state.line ?? 1) - 1), Math.max(0, (state.column ?? 1) - 1));
    const problem = new vscode.Diagnostic(new vscode.Range(at, at.translate(0, 1)), `${asSentence(state.message)} Saved requests are read-only until this is fixed.`, vscode.DiagnosticSeverity.Error);
    problem.source = 'StudyTeam';
    problems.set(store.fileUri, [problem]);
  };
  context.subscriptions.push({ dispose: () => closeErrorNotice?.() });
  context.subscriptions.push(store.onDidChangeState(reportState));

  const deps = { services, store, tree, treeView, confirmations, documents, runResults };
  registerEditCommands(context.subscriptions, deps);
  registerRunCommands(context.subscriptions, deps);
  registerImportExportCommands(context.subscriptions, deps);

  // An invalid file is reported through onDidChangeState (the initial state is ok).
  const ready = store.load();
  return { store, tree, treeView, dragAndDrop, ready, formatNote };
}

/** Ends with a full stop: "… line 4, column 25: Property name expected" → "… line 4, column 25: property name expected." */
export function asSentence(text: string): string {
  const trimmed = text.trim().replace(/: ([A-Z])([a-z])/g, (_m, first: string, next: string) => `: ${first.toLowerCase()}${next}`);
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
