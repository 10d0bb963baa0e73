// Which saved request, item or folder a command acts on: the one given (an id or the tree element), the
// selection, or a QuickPick.
import * as vscode from 'vscode';
import { allFolders } from '../core/savedRequests';
import type { SavedNode } from '../core/savedRequests';
import { idOf, str } from './commandDeps';
import type { CommandOptions, TreeCommandDeps } from './commandDeps';
import type { SavedRequest } from '../core/model';

/** The element given, or a QuickPick of every saved request. */
export async function pickRequest(deps: TreeCommandDeps, arg: unknown, placeHolder: string): Promise<SavedRequest | undefined> {
  const id = idOf(arg);
  if (id) {
    const found = deps.store.findRequest(id);
    if (!found) throw new Error(`There is no saved request with id "${id}" (it may have been deleted).`);
    return found;
  }
  const items = deps.store.allRequests().map(({ request, folderPath }) => ({
    label: request.name,
    description: `${request.method} ${request.url}`,
    detail: folderPath.length ? folderPath.join(' › ') : undefined,
    id: request.id,
  }));
  if (!items.length) {
    void vscode.window.showInformationMessage('There are no saved requests yet. Use "New Request" or "Add StudyTeam Examples".');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return pick ? deps.store.findRequest(pick.id) : undefined;
}

/** The element given, else the tree's selection, else a QuickPick of saved requests. */
export async function pickNode(deps: TreeCommandDeps, arg: unknown, placeHolder: string): Promise<SavedNode | undefined> {
  const id = idOf(arg) ?? deps.treeView.selection[0]?.id;
  if (id) {
    const found = deps.store.findNode(id);
    if (!found) throw new Error(`There is no saved item with id "${id}" (it may have been deleted).`);
    return found.node;
  }
  const req = await pickRequest(deps, undefined, placeHolder);
  return req ? deps.store.findNode(req.id)?.node : undefined;
}

/** A QuickPick of folders (and "Top level"); `exclude` leaves out a folder and everything inside it. undefined: dismissed. */
export async function pickFolder(deps: TreeCommandDeps, placeHolder: string, includeTop: boolean, exclude?: string): Promise<{ id: string | undefined } | undefined> {
  const folders = allFolders(deps.store.snapshot()).filter(({ folder }) => !exclude || !containsId(folder, exclude));
  const items: Array<vscode.QuickPickItem & { id: string | undefined }> = [
    ...(includeTop ? [{ label: '$(root-folder) Top level', id: undefined }] : []),
    ...folders.map(({ folder, path }) => ({ label: `$(folder) ${folder.name}`, description: path.length > 1 ? path.slice(0, -1).join(' › ') : undefined, id: folder.id })),
  ];
  const pick = await vscode.window.showQuickPick(items, { placeHolder });
  return pick ? { id: pick.id } : undefined;
}

function containsId(node: SavedNode, id: string): boolean {
  return node.id === id || (node.kind === 'folder' && node.children.some((c) => containsId(c, id)));
}

/** The folder a "new …" command adds to: `parentId`, a folder element, a request's folder, or the top level. */
export function parentFor(deps: TreeCommandDeps, arg: unknown, options: CommandOptions): string | undefined {
  const explicit = str(options.parentId);
  if (explicit) return explicit;
  const id = idOf(arg);
  if (!id) return undefined;
  const found = deps.store.findNode(id);
  if (!found) return undefined;
  return found.node.kind === 'folder' ? found.node.id : found.parent?.id;
}
