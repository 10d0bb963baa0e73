// Saving the request panel's draft like an editor saves a file: a new draft asks where it goes (top level, a
// folder, or a new folder), Save As makes a copy under a new name, and a panel whose saved request is closed with
// unsaved edits asks Save / Don't Save / Cancel. Host only.
import * as vscode from 'vscode';
import type { SavedRequest } from '../core/model';
import { allFolders, folderNode, newId } from '../core/savedRequests';
import type { SavedCollection, SavedNode } from '../core/savedRequests';

/** The saved-requests store as the panel needs it (src/tree/savedRequestStore.ts satisfies it structurally). */
export interface PanelStore {
  findRequest(id: string): SavedRequest | undefined;
  /** Every saved request with the names of its folders (the QuickPick of Open in Request Panel). */
  allRequests(): ReadonlyArray<{ readonly request: SavedRequest; readonly folderPath: readonly string[] }>;
  upsertRequest(request: SavedRequest, parentFolderId?: string): Promise<void>;
  snapshot(): SavedCollection;
  addNode(node: SavedNode, parentFolderId?: string): Promise<void>;
  /** The saved requests changed (this window, the tree, or the file on disk). */
  readonly onDidChange: vscode.Event<void>;
}

export interface SaveLocation {
  /** undefined: the top level. */
  readonly parentId: string | undefined;
  /** "Top level", or the folder path ("Examples › Sites"). */
  readonly label: string;
}

const TOP_LEVEL = 'Top level';
const NEW_FOLDER = 'New folder…';

/** Asks where a new saved request goes: the top level, a folder, or a new folder. undefined when dismissed. */
export async function pickSaveLocation(store: PanelStore, requestName: string): Promise<SaveLocation | undefined> {
  const folders = allFolders(store.snapshot());
  type Item = vscode.QuickPickItem & { readonly location?: SaveLocation; readonly newFolder?: true };
  const items: Item[] = [
    { label: `$(root-folder) ${TOP_LEVEL}`, location: { parentId: undefined, label: TOP_LEVEL } },
    ...folders.map(({ folder, path }) => ({ label: `$(folder) ${folder.name}`, description: path.length > 1 ? path.slice(0, -1).join(' › ') : undefined, location: { parentId: folder.id, label: path.join(' › ') } })),
    { label: `$(new-folder) ${NEW_FOLDER}`, newFolder: true },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `Save "${requestName}" to Saved Requests`, placeHolder: 'Where should it go?', ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.location) return pick.location;
  const name = (await vscode.window.showInputBox({ title: 'New folder for the saved request', prompt: 'Folder name (created at the top level)', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a folder name.') }))?.trim();
  if (!name) return undefined;
  const id = newId('folder');
  await store.addNode(folderNode({ id, name, children: [] }));
  return { parentId: id, label: name };
}

/** Asks for the name of a Save As copy. undefined when dismissed. */
export async function askSaveAsName(current: string): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    title: 'Save As: name of the new saved request',
    value: current ? `${current} (copy)` : '',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Enter a name.'),
  });
  return name?.trim() || undefined;
}
