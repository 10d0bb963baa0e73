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
import { registerEditCommands } from './editCommands';
import { registerImportExportCommands } from './importExportCommands';
import { registerRunCommands } from './runCommands';
import { showErrorNotification } from '../host/errorPresenter';

export interface SavedRequestsFeature {
  /** The store; also what the request panel uses (findRequest / upsertRequest). */
  readonly store: SavedRequestStore;
  readonly tree: SavedRequestsTreeProvider;
  readonly treeView: vscode.TreeView<SavedNode>;
  /** The tree's drag-and-drop controller (tests call handleDrop). */
  readonly dragAndDrop: SavedRequestsDragAndDrop;
  /** Resolves after the first load of the file. */
  readonly ready: Promise<StoreState>;
}

export function registerSavedRequests(
  context: Pick<vscode.ExtensionContext, 'subscriptions' | 'globalStorageUri'>,
  services: HostServices,
  confirmations: Confirmations,
  documents: ReadonlyDocuments,
): SavedRequestsFeature {
  const store = new SavedRequestStore(requestsFileUri(context.globalStorageUri), services.logger);
  context.subscriptions.push(store);

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

  const openFileAt = async (line?: number, column?: number): Promise<void> => {
    const doc = await vscode.workspace.openTextDocument(store.fileUri);
    const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), Math.max(0, (column ?? 1) - 1));
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position) });
  };

  const reportState = (state: StoreState): void => {
    if (state.kind === 'ok') {
      treeView.message = undefined;
      return;
    }
    const where = state.line ? ` (line ${state.line}, column ${state.column})` : '';
    treeView.message = `⚠ ${vscode.workspace.asRelativePath(store.fileUri)} has an error${where}. It is not changed until you fix it.`;
    void showErrorNotification(`${store.describeInvalid()} Saved requests are read-only until the file is fixed; it will not be overwritten.`, undefined, [
      { label: 'Open File', run: () => openFileAt(state.line, state.column) },
    ]);
  };
  context.subscriptions.push(store.onDidChangeState(reportState));

  const deps = { services, store, tree, treeView, confirmations, documents };
  registerEditCommands(context.subscriptions, deps);
  registerRunCommands(context.subscriptions, deps);
  registerImportExportCommands(context.subscriptions, deps);

  // An invalid file is reported through onDidChangeState (the initial state is ok).
  const ready = store.load();
  return { store, tree, treeView, dragAndDrop, ready };
}
