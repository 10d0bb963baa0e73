// New Request, New Folder, Open, Rename, Duplicate, Move to Folder, Delete, Copy as curl and Add StudyTeam Examples.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { HTTP_METHODS } from '../core/model';
import type { AuthMode, HttpMethod, SavedRequest } from '../core/model';
import { allRequests, newId, requestNode } from '../core/savedRequests';
import type { SavedFolderNode } from '../core/savedRequests';
import { copyRequestAsCurl } from '../host/curlCopy';
import { studyTeamExamplesModule } from '../host/lazyModules';
import { optionsOf, registerTreeCommand, str } from './commandDeps';
import type { TreeCommandDeps } from './commandDeps';
import { parentFor, pickFolder, pickNode, pickRequest } from './pickers';
import { TreeClicks } from './treeClicks';

export function registerEditCommands(subscriptions: vscode.Disposable[], deps: TreeCommandDeps): void {
  const { store } = deps;

  registerTreeCommand(subscriptions, Commands.newRequest, async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const parentId = parentFor(deps, arg, options);
    const name = str(options.name) ?? (await askName('StudyTeam: New Request', 'Name of the request', 'New request'));
    if (name === undefined) return undefined;
    const method = (str(options.method)?.toUpperCase() ?? 'GET') as HttpMethod;
    if (!HTTP_METHODS.includes(method)) throw new Error(`Unknown method ${method}.`);
    const auth: AuthMode = options.auth === 'none' ? 'none' : 'bearer';
    const request: SavedRequest = { id: newId('request'), name: name.trim(), method, url: str(options.url) ?? '/rpi/sites', auth };
    await store.addNode(requestNode(request), parentId);
    if (options.open !== false) await vscode.commands.executeCommand(Commands.openRequestInPanel, request.id);
    return request.id;
  });

  registerTreeCommand(subscriptions, Commands.newFolder, async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const parentId = parentFor(deps, arg, options);
    const name = str(options.name) ?? (await askName('StudyTeam: New Folder', 'Folder name'));
    if (name === undefined) return undefined;
    const folder: SavedFolderNode = { kind: 'folder', id: newId('folder'), name: name.trim(), children: [] };
    await store.addNode(folder, parentId);
    return folder.id;
  });

  const clicks = new TreeClicks();
  registerTreeCommand(subscriptions, Commands.openSavedRequest, async (arg, opts) => {
    const request = await pickRequest(deps, arg, 'Open which saved request?');
    if (!request) return undefined;
    // A click on the row opens a preview panel (the next click on another request replaces it); a double click keeps
    // it open. Opened any other way (menu, palette, other commands), it is a panel that stays.
    const click = optionsOf(arg, opts).click === true;
    const preview = click && clicks.click(request.id) === 'single';
    await vscode.commands.executeCommand(Commands.openRequestInPanel, request.id, { preview });
    return request.id;
  });

  registerTreeCommand(subscriptions, Commands.renameItem, async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const node = await pickNode(deps, arg, 'Rename which saved request?');
    if (!node) return undefined;
    const name = str(options.name) ?? (await askName(`Rename "${node.name}"`, undefined, node.name));
    if (name === undefined) return undefined;
    await store.rename(node.id, name);
    return node.id;
  });

  registerTreeCommand(subscriptions, Commands.duplicateRequest, async (arg) => {
    const node = await pickNode(deps, arg, 'Duplicate which saved request?');
    return node ? store.duplicate(node.id) : undefined;
  });

  registerTreeCommand(subscriptions, Commands.moveToFolder, async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const node = await pickNode(deps, arg, 'Move which saved request?');
    if (!node) return undefined;
    let target: string | undefined;
    if ('folderId' in options) target = str(options.folderId);
    else {
      const picked = await pickFolder(deps, `Move "${node.name}" to…`, true, node.kind === 'folder' ? node.id : undefined);
      if (!picked) return undefined;
      target = picked.id;
    }
    await store.move(node.id, target, typeof options.index === 'number' ? options.index : undefined);
    return node.id;
  });

  registerTreeCommand(subscriptions, Commands.deleteItem, async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const node = await pickNode(deps, arg, 'Delete which saved request?');
    if (!node) return false;
    if (options.confirm !== false) {
      const count = allRequests([node]).length;
      const ok = await deps.confirmations.confirm({
        message: node.kind === 'folder' ? `Delete the folder "${node.name}" and its ${count} request(s)?` : `Delete the saved request "${node.name}"?`,
        detail: `It is removed from ${vscode.workspace.asRelativePath(store.fileUri)}. Git (or your history) can bring it back.`,
        confirmLabel: 'Delete',
      });
      if (!ok) return false;
    }
    await store.delete(node.id);
    return true;
  });

  // No question by default: the command reads the token from $STUDYTEAM_TOKEN. `includeToken: true` copies a live token (asks first).
  registerTreeCommand(subscriptions, Commands.copyAsCurl, async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const request = await pickRequest(deps, arg, 'Copy which saved request as curl?');
    if (!request) return undefined;
    const curlDeps = { auth: deps.services.auth, confirmations: deps.confirmations, logger: deps.services.logger };
    const copied = await copyRequestAsCurl(curlDeps, request, deps.services.environments.active(), { name: request.name, includeToken: options.includeToken === true });
    // Never hand a live token back to whoever ran the command.
    return copied && (copied.withToken ? true : copied.text);
  });

  registerTreeCommand(subscriptions, Commands.addExamples, async (arg, opts) => {
    const folder = studyTeamExamplesModule().studyTeamExamples();
    await store.addNode(folder, parentFor(deps, arg, optionsOf(arg, opts)));
    return folder.id;
  });
}

/** An input box for a name (not empty). undefined: dismissed. */
function askName(title: string, prompt: string | undefined, value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a name') });
}
