// The "Saved Requests" tree: folders and requests, a method icon per request, the path as description
// (plus the last status and time of a run in this session, kept in memory only), a tooltip with method,
// URL and auth mode, contextValues for the menus, and drag and drop to reorder and move.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { HttpMethod } from '../core/model';
import type { SavedNode } from '../core/savedRequests';
import type { SavedRequestStore } from './savedRequestStore';
import { joinUrl } from '../core/urlParts';

export const SAVED_REQUESTS_VIEW = 'studyteam.savedRequests';
export const TREE_MIME = 'application/vnd.code.tree.studyteam.savedrequests';
export const CONTEXT_REQUEST = 'request';
export const CONTEXT_FOLDER = 'folder';

export interface LastRun {
  readonly ok: boolean;
  /** HTTP status, or undefined when it failed before a response (network, cancelled, declined). */
  readonly status?: number;
  readonly totalMs?: number;
  /** Short reason for failures ("cancelled", "network error"). Never a body or token. */
  readonly note?: string;
  readonly environmentName: string;
  readonly at: number;
  /** Checks of a collection run (Run Folder, Test Explorer): how many passed and failed. */
  readonly checks?: { readonly passed: number; readonly failed: number };
}

const METHOD_ICONS: Record<HttpMethod, [string, string]> = {
  GET: ['arrow-down', 'charts.green'],
  HEAD: ['arrow-small-down', 'charts.green'],
  POST: ['add', 'charts.yellow'],
  PUT: ['arrow-up', 'charts.blue'],
  PATCH: ['edit', 'charts.purple'],
  DELETE: ['trash', 'charts.red'],
  OPTIONS: ['settings', 'descriptionForeground'],
};

export function describeLastRun(run: LastRun): string {
  const checks = run.checks ? ` · ${run.checks.passed}/${run.checks.passed + run.checks.failed} checks` : '';
  if (run.status !== undefined) return `${run.status} · ${Math.round(run.totalMs ?? 0)} ms${checks}`;
  return run.note ?? 'failed';
}

export class SavedRequestsTreeProvider implements vscode.TreeDataProvider<SavedNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SavedNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly lastRuns = new Map<string, LastRun>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: SavedRequestStore,
    private readonly baseUrl: () => string,
  ) {
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  /** Records a run of this session (memory only) and refreshes the row. */
  recordRun(id: string, run: LastRun): void {
    this.lastRuns.set(id, run);
    this.changed.fire();
  }

  getTreeItem(node: SavedNode): vscode.TreeItem {
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.contextValue = CONTEXT_FOLDER;
      item.iconPath = vscode.ThemeIcon.Folder;
      item.tooltip = `${node.name} — ${countRequests(node)} request(s)`;
      return item;
    }
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.contextValue = CONTEXT_REQUEST;
    const run = this.lastRuns.get(node.id);
    // After a run in this session: a check mark or a cross (the method stays in the description).
    const [icon, color] = run ? (run.ok ? ['pass', 'testing.iconPassed'] : ['error', 'testing.iconFailed']) : METHOD_ICONS[node.method];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    const path = node.url;
    item.description = run ? `${describeLastRun(run)} — ${node.method} ${path}` : `${node.method} ${path}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escapeMarkdown(node.name)}**\n\n`);
    const base = this.baseUrl();
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(node.url) || node.url.startsWith('{{');
    const shownUrl = joinUrl(absolute ? node.url : `${base.replace(/\/+$/, '')}${node.url.startsWith('/') ? '' : '/'}${node.url}`, node.query ?? []);
    tooltip.appendMarkdown(`\`${node.method}\` ${escapeMarkdown(shownUrl)}\n\n`);
    tooltip.appendMarkdown(
      node.auth === 'bearer' ? 'Auth: bearer — the active environment\'s access token' : 'Auth: none — no Authorization header is sent',
    );
    if (node.description) tooltip.appendMarkdown(`\n\n${escapeMarkdown(node.description)}`);
    if (run) tooltip.appendMarkdown(`\n\nLast run (${escapeMarkdown(run.environmentName)}): ${escapeMarkdown(describeLastRun(run))}`);
    item.tooltip = tooltip;
    // A click opens it in a preview panel, a double click keeps it open (treeClicks.ts tells them apart).
    item.command = { command: Commands.openSavedRequest, title: 'Open', arguments: [node.id, { click: true }] };
    return item;
  }

  getChildren(node?: SavedNode): SavedNode[] {
    if (!node) return [...this.store.all()];
    return node.kind === 'folder' ? [...node.children] : [];
  }

  getParent(node: SavedNode): SavedNode | undefined {
    return this.store.findNode(node.id)?.parent;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function countRequests(node: SavedNode): number {
  return node.kind === 'request' ? 1 : node.children.reduce((n, c) => n + countRequests(c), 0);
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** Reorder and move by drag and drop. Dropping on a folder moves into it; on a request, before it; on empty space, to the end. */
export class SavedRequestsDragAndDrop implements vscode.TreeDragAndDropController<SavedNode> {
  readonly dragMimeTypes = [TREE_MIME];
  readonly dropMimeTypes = [TREE_MIME];

  constructor(
    private readonly store: SavedRequestStore,
    private readonly onError: (message: string) => void,
  ) {}

  handleDrag(source: readonly SavedNode[], dataTransfer: vscode.DataTransfer): void {
    dataTransfer.set(TREE_MIME, new vscode.DataTransferItem(source.map((n) => n.id)));
  }

  async handleDrop(target: SavedNode | undefined, dataTransfer: vscode.DataTransfer, token?: vscode.CancellationToken): Promise<void> {
    const item = dataTransfer.get(TREE_MIME);
    if (!item || token?.isCancellationRequested) return;
    const ids = await idsOf(item);
    // Dragging a folder together with things inside it: move only the outermost.
    const moving = ids.filter((id) => !ids.some((other) => other !== id && this.isInside(id, other)));
    try {
      for (const id of moving) {
        if (target && id === target.id) continue;
        if (!target) await this.store.move(id, undefined);
        else if (target.kind === 'folder') await this.store.move(id, target.id);
        else {
          const at = this.store.findNode(target.id);
          if (!at) continue;
          await this.store.move(id, at.parent?.id, at.index);
        }
      }
    } catch (error) {
      this.onError(error instanceof Error ? error.message : String(error));
    }
  }

  private isInside(id: string, folderId: string): boolean {
    let parent = this.store.findNode(id)?.parent;
    while (parent) {
      if (parent.id === folderId) return true;
      parent = this.store.findNode(parent.id)?.parent;
    }
    return false;
  }
}

async function idsOf(item: vscode.DataTransferItem): Promise<string[]> {
  const value: unknown = item.value;
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return [value];
  try {
    const parsed: unknown = JSON.parse(await item.asString());
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
