// What every saved-requests command gets, how it reads its arguments, and the one wrapper that registers it.
// Every command takes optional arguments (an id or the tree element, plus an options object) so menus,
// keybindings, other commands and tests can run it without prompts.
import * as vscode from 'vscode';
import type { CommandId } from '../commandIds';
import type { SavedNode } from '../core/savedRequests';
import type { Confirmations } from '../host/confirmations';
import type { ReadonlyDocuments } from '../host/readonlyDocuments';
import type { HostServices } from '../host/services';
import type { RunResultsPanels } from '../runResults/runResultsPanels';
import type { SavedRequestStore } from './savedRequestStore';
import type { SavedRequestsTreeProvider } from './savedRequestsTree';
import { showErrorNotification } from '../host/errorPresenter';

export interface TreeCommandDeps {
  readonly services: HostServices;
  readonly store: SavedRequestStore;
  readonly tree: SavedRequestsTreeProvider;
  readonly treeView: vscode.TreeView<SavedNode>;
  readonly confirmations: Confirmations;
  /** Responses and summaries open here: never as untitled documents, which hot exit would back up to disk. */
  readonly documents: ReadonlyDocuments;
  /** Run Folder's results view. */
  readonly runResults: Pick<RunResultsPanels, 'show'>;
}

/** The options object a command was given (`{ name, url, show: false, … }`); {} when none. */
export type CommandOptions = Record<string, unknown>;

export type TreeCommandHandler = (...args: unknown[]) => Promise<unknown>;

/** The id a command argument names: a string id or a tree element. */
export function idOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (typeof arg === 'object' && arg !== null) {
    const rec = arg as { id?: unknown };
    if (typeof rec.id === 'string' && rec.id) return rec.id;
  }
  return undefined;
}

export function optionsOf(...args: unknown[]): CommandOptions {
  for (const a of args) {
    if (typeof a === 'object' && a !== null && !Array.isArray(a) && !isTreeNode(a)) return a as CommandOptions;
  }
  return {};
}

/** A tree element (menus pass it as the first argument), not an options object. */
function isTreeNode(a: object): boolean {
  const rec = a as { kind?: unknown; id?: unknown };
  return (rec.kind === 'request' || rec.kind === 'folder') && typeof rec.id === 'string';
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Registers one command; a failure goes through the one error presenter (redacted, with its actions, recorded for the
 * tests and the leak scan) and is rethrown when the caller passed `throwErrors: true`.
 */
export function registerTreeCommand(subscriptions: vscode.Disposable[], id: CommandId, handler: TreeCommandHandler): void {
  subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (error) {
        void showErrorNotification(error);
        if (optionsOf(...args).throwErrors === true) throw error;
        return undefined;
      }
    }),
  );
}
