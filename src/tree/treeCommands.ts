// Commands of the saved-requests tree. Every command takes optional arguments (an id or the tree element,
// plus an options object) so menus, keybindings, other commands and tests can run it without prompts.
import * as vscode from 'vscode';
import { curlCarriesToken, toCurl } from '../core/curl';
import { parseHttpFile, toHttpFile } from '../core/httpFile';
import { HTTP_METHODS } from '../core/model';
import type { ApiRequest, AuthMode, Environment, HttpMethod } from '../core/model';
import { parsePostmanCollection, toPostmanCollection } from '../core/postman';
import { allFolders, allRequests, newId, requestNode } from '../core/savedRequests';
import type { SavedFolderNode, SavedNode, SavedRequest } from '../core/savedRequests';
import { studyTeamExamples } from '../core/studyTeamExamples';
import { parseCurl } from '../core/curl';
import { resolveVariables, variablesOf } from '../core/variables';
import { settings } from '../host/settings';
import type { HostServices, RunOutcome } from '../host/services';
import type { SavedRequestStore } from './savedRequestStore';
import type { LastRun, SavedRequestsTreeProvider } from './savedRequestsTree';
import { describeLastRun } from './savedRequestsTree';

export const OPEN_IN_PANEL_COMMAND = 'studyteam.openRequestInPanel';

export interface ConfirmRequest {
  readonly message: string;
  readonly detail?: string;
  readonly confirmLabel: string;
}

/** Optional host pieces: the lead's Confirmations (tests answer modals) and read-only documents. */
export interface TreeCommandExtras {
  confirm?(request: ConfirmRequest): Promise<boolean>;
  documents?: { show(title: string, content: string, language?: string): Promise<unknown> };
}

export interface RunResult {
  readonly id: string;
  readonly name: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly totalMs?: number;
  readonly message?: string;
  readonly cancelled?: boolean;
}

export interface TreeCommandDeps {
  readonly services: HostServices;
  readonly store: SavedRequestStore;
  readonly tree: SavedRequestsTreeProvider;
  readonly treeView: vscode.TreeView<SavedNode>;
  readonly extras: TreeCommandExtras;
}

type Options = Record<string, unknown>;

function idOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (typeof arg === 'object' && arg !== null) {
    const rec = arg as { id?: unknown };
    if (typeof rec.id === 'string' && rec.id) return rec.id;
  }
  return undefined;
}

function optionsOf(...args: unknown[]): Options {
  for (const a of args) {
    if (typeof a === 'object' && a !== null && !Array.isArray(a) && !isTreeNode(a)) return a as Options;
  }
  return {};
}

/** A tree element (menus pass it as the first argument), not an options object. */
function isTreeNode(a: object): boolean {
  const rec = a as { kind?: unknown; id?: unknown };
  return (rec.kind === 'request' || rec.kind === 'folder') && typeof rec.id === 'string';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function confirm(deps: TreeCommandDeps, request: ConfirmRequest): Promise<boolean> {
  if (deps.extras.confirm) return deps.extras.confirm(request);
  const pick = await vscode.window.showWarningMessage(request.message, { modal: true, detail: request.detail }, request.confirmLabel);
  return pick === request.confirmLabel;
}

/** Shows text read-only. Never as an untitled document: hot exit would back it up to disk (responses hold patient data). */
async function showDocument(deps: TreeCommandDeps, title: string, content: string, language: string): Promise<void> {
  if (!deps.extras.documents) throw new Error(`Cannot show "${title}": read-only documents are not available.`);
  await deps.extras.documents.show(title, content, language);
}

/** The selected element, or the one given, or a QuickPick. */
async function pickRequest(deps: TreeCommandDeps, arg: unknown, placeHolder: string): Promise<SavedRequest | undefined> {
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

async function pickNode(deps: TreeCommandDeps, arg: unknown, placeHolder: string): Promise<SavedNode | undefined> {
  const id = idOf(arg) ?? deps.treeView.selection[0]?.id;
  if (id) {
    const found = deps.store.findNode(id);
    if (!found) throw new Error(`There is no saved item with id "${id}" (it may have been deleted).`);
    return found.node;
  }
  const req = await pickRequest(deps, undefined, placeHolder);
  return req ? deps.store.findNode(req.id)?.node : undefined;
}

async function pickFolder(deps: TreeCommandDeps, placeHolder: string, includeTop: boolean, exclude?: string): Promise<{ id: string | undefined } | undefined> {
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

/** The folder a "new …" command adds to: a folder element, a request's folder, or the top level. */
function parentFor(deps: TreeCommandDeps, arg: unknown, options: Options): string | undefined {
  const explicit = str(options.parentId);
  if (explicit) return explicit;
  const id = idOf(arg);
  if (!id) return undefined;
  const found = deps.store.findNode(id);
  if (!found) return undefined;
  return found.node.kind === 'folder' ? found.node.id : found.parent?.id;
}

function toApiRequest(request: SavedRequest): ApiRequest {
  return { method: request.method, url: request.url, query: request.query, headers: request.headers, body: request.body, auth: request.auth };
}

function lastRunOf(outcome: RunOutcome): LastRun {
  if (outcome.ok) {
    return { ok: outcome.response.status < 400, status: outcome.response.status, totalMs: outcome.response.timings.totalMs, environmentName: outcome.environment.name, at: Date.now() };
  }
  return { ok: false, note: outcome.cancelled ? 'cancelled' : 'failed', environmentName: outcome.environment.name, at: Date.now() };
}

function prettyBody(text: string, contentType: string): { content: string; language: string } {
  if (/json/i.test(contentType)) {
    try {
      return { content: JSON.stringify(JSON.parse(text), null, 2), language: 'json' };
    } catch {
      return { content: text, language: 'json' };
    }
  }
  if (/html|xml/i.test(contentType)) return { content: text, language: /html/i.test(contentType) ? 'html' : 'xml' };
  return { content: text, language: 'plaintext' };
}

async function runOne(
  deps: TreeCommandDeps,
  request: SavedRequest,
  options: { variables?: Record<string, string>; interactive: boolean; token?: vscode.CancellationToken; environment?: Environment },
): Promise<{ result: RunResult; outcome: RunOutcome }> {
  let api = toApiRequest(request);
  if (options.variables) {
    const environment = options.environment ?? deps.services.environments.active();
    api = resolveVariables(api, { ...variablesOf(environment), ...options.variables }).request;
  }
  const outcome = await deps.services.runRequest(api, {
    title: request.name,
    ...(options.environment ? { environment: options.environment } : {}),
    showProgress: options.interactive,
    notifyErrors: options.interactive,
    token: options.token,
  });
  const last = lastRunOf(outcome);
  deps.tree.recordRun(request.id, last);
  deps.services.logger.log('info', 'tree', `ran "${request.name}" on ${outcome.environment.name}: ${describeLastRun(last)}`);
  const result: RunResult = outcome.ok
    ? { id: request.id, name: request.name, ok: outcome.response.status < 400, status: outcome.response.status, totalMs: outcome.response.timings.totalMs }
    : { id: request.id, name: request.name, ok: false, message: outcome.message, cancelled: outcome.cancelled };
  return { result, outcome };
}

function summaryMarkdown(folderName: string, environmentName: string, results: readonly RunResult[], totalMs: number): string {
  const sorted = [...results].sort((a, b) => Number(a.ok) - Number(b.ok));
  const failed = results.filter((r) => !r.ok).length;
  const lines = [
    `# Run "${folderName}" on ${environmentName}`,
    '',
    `${results.length} request(s), ${failed} failed, ${Math.round(totalMs)} ms in total. Failures first.`,
    '',
    '| | Request | Status | Time |',
    '|---|---|---|---|',
    ...sorted.map((r) => {
      const status = r.status !== undefined ? String(r.status) : r.cancelled ? 'cancelled' : (r.message ?? 'failed').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
      return `| ${r.ok ? '✅' : '❌'} | ${r.name.replace(/\|/g, '\\|')} | ${status} | ${r.totalMs !== undefined ? `${Math.round(r.totalMs)} ms` : '—'} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

export function registerTreeCommands(
  context: { readonly subscriptions: vscode.Disposable[] },
  services: HostServices,
  store: SavedRequestStore,
  treeView: vscode.TreeView<SavedNode>,
  tree: SavedRequestsTreeProvider,
  extras: TreeCommandExtras = {},
): void {
  const deps: TreeCommandDeps = { services, store, tree, treeView, extras };
  const register = (id: string, handler: (...args: unknown[]) => Promise<unknown>): void => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          void vscode.window.showErrorMessage(`StudyTeam: ${errorText(error)}`);
          if (optionsOf(...args).throwErrors === true) throw error;
          return undefined;
        }
      }),
    );
  };

  const openRequest = async (id: string): Promise<void> => {
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes(OPEN_IN_PANEL_COMMAND)) {
      await vscode.commands.executeCommand(OPEN_IN_PANEL_COMMAND, id);
      return;
    }
    const request = store.findRequest(id);
    if (request) await showDocument(deps, `${request.name}.json`, `${JSON.stringify(request, null, 2)}\n`, 'json');
  };

  register('studyteam.newRequest', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const parentId = parentFor(deps, arg, options);
    let name = str(options.name);
    if (name === undefined) {
      name = await vscode.window.showInputBox({ title: 'StudyTeam: New Request', prompt: 'Name of the request', value: 'New request', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a name') });
      if (name === undefined) return undefined;
    }
    const method = (str(options.method)?.toUpperCase() ?? 'GET') as HttpMethod;
    if (!HTTP_METHODS.includes(method)) throw new Error(`Unknown method ${method}.`);
    const auth: AuthMode = options.auth === 'none' ? 'none' : 'bearer';
    const request: SavedRequest = { id: newId('request'), name: name.trim(), method, url: str(options.url) ?? '/rpi/sites', auth };
    await store.addNode(requestNode(request), parentId);
    if (options.open !== false) await openRequest(request.id);
    return request.id;
  });

  register('studyteam.newFolder', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const parentId = parentFor(deps, arg, options);
    let name = str(options.name);
    if (name === undefined) {
      name = await vscode.window.showInputBox({ title: 'StudyTeam: New Folder', prompt: 'Folder name', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a name') });
      if (name === undefined) return undefined;
    }
    const folder: SavedFolderNode = { kind: 'folder', id: newId('folder'), name: name.trim(), children: [] };
    await store.addNode(folder, parentId);
    return folder.id;
  });

  register('studyteam.runSavedRequest', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const request = await pickRequest(deps, arg, 'Run which saved request?');
    if (!request) return undefined;
    const variables = typeof options.variables === 'object' && options.variables !== null ? (options.variables as Record<string, string>) : undefined;
    const { result, outcome } = await runOne(deps, request, { variables, interactive: options.interactive !== false });
    if (outcome.ok && options.show !== false) {
      const r = outcome.response;
      const body = prettyBody(r.text, r.contentType);
      await showDocument(deps, `${request.name} — ${r.status} (${Math.round(r.timings.totalMs)} ms)`, body.content, body.language);
    }
    return result;
  });

  register('studyteam.runFolder', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    let folderId = idOf(arg);
    if (!folderId) {
      const picked = await pickFolder(deps, 'Run which folder?', true);
      if (!picked) return undefined;
      folderId = picked.id;
    }
    const folderNode = folderId ? store.findNode(folderId)?.node : undefined;
    if (folderId && (!folderNode || folderNode.kind !== 'folder')) throw new Error(`There is no folder with id "${folderId}".`);
    const name = folderNode?.name ?? 'All saved requests';
    const requests = allRequests(folderNode ? [folderNode] : store.all()).map((r) => r.request);
    if (!requests.length) {
      void vscode.window.showInformationMessage(`"${name}" has no requests to run.`);
      return [];
    }
    const environment = services.environments.active();
    const started = Date.now();
    const results: RunResult[] = new Array<RunResult>(requests.length);
    const variables = typeof options.variables === 'object' && options.variables !== null ? (options.variables as Record<string, string>) : undefined;
    // Production runs one at a time, so each write gets its own confirmation in order.
    const concurrency = environment.production ? 1 : concurrencyOf(options.concurrency);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `StudyTeam: running "${name}" on ${environment.name}`, cancellable: true },
      async (progress, token) => {
        let next = 0;
        let done = 0;
        const worker = async (): Promise<void> => {
          for (let i = next++; i < requests.length; i = next++) {
            const request = requests[i]!;
            if (token.isCancellationRequested) {
              results[i] = { id: request.id, name: request.name, ok: false, cancelled: true, message: 'cancelled' };
              continue;
            }
            // The environment captured above, for every request: switching environments mid-run must not redirect the rest.
            results[i] = (await runOne(deps, request, { variables, interactive: false, token, environment })).result;
            progress.report({ message: `${++done}/${requests.length} ${request.name}`, increment: 100 / requests.length });
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
      },
    );
    const failed = results.filter((r) => !r.ok).length;
    services.logger.log('info', 'tree', `ran folder "${name}" on ${environment.name}: ${results.length} request(s), ${failed} failed, ${concurrency} at a time`);
    if (options.show !== false) await showDocument(deps, `Run ${name} (${environment.name}).md`, summaryMarkdown(name, environment.name, results, Date.now() - started), 'markdown');
    return [...results].sort((a, b) => Number(a.ok) - Number(b.ok));
  });

  register('studyteam.openSavedRequest', async (arg) => {
    const request = await pickRequest(deps, arg, 'Open which saved request?');
    if (request) await openRequest(request.id);
    return request?.id;
  });

  register('studyteam.renameItem', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const node = await pickNode(deps, arg, 'Rename which saved request?');
    if (!node) return undefined;
    let name = str(options.name);
    if (name === undefined) {
      name = await vscode.window.showInputBox({ title: `Rename "${node.name}"`, value: node.name, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter a name') });
      if (name === undefined) return undefined;
    }
    await store.rename(node.id, name);
    return node.id;
  });

  register('studyteam.duplicateRequest', async (arg) => {
    const node = await pickNode(deps, arg, 'Duplicate which saved request?');
    if (!node) return undefined;
    const id = await store.duplicate(node.id);
    return id;
  });

  register('studyteam.moveToFolder', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const node = await pickNode(deps, arg, 'Move which saved request?');
    if (!node) return undefined;
    let target: string | undefined;
    if ('folderId' in options) target = str(options.folderId) ?? undefined;
    else {
      const picked = await pickFolder(deps, `Move "${node.name}" to…`, true, node.kind === 'folder' ? node.id : undefined);
      if (!picked) return undefined;
      target = picked.id;
    }
    await store.move(node.id, target, typeof options.index === 'number' ? options.index : undefined);
    return node.id;
  });

  register('studyteam.deleteItem', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const node = await pickNode(deps, arg, 'Delete which saved request?');
    if (!node) return false;
    if (options.confirm !== false) {
      const count = allRequests([node]).length;
      const ok = await confirm(deps, {
        message: node.kind === 'folder' ? `Delete the folder "${node.name}" and its ${count} request(s)?` : `Delete the saved request "${node.name}"?`,
        detail: `It is removed from ${vscode.workspace.asRelativePath(store.fileUri)}. Git (or your history) can bring it back.`,
        confirmLabel: 'Delete',
      });
      if (!ok) return false;
    }
    await store.delete(node.id);
    return true;
  });

  register('studyteam.copyAsCurl', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const request = await pickRequest(deps, arg, 'Copy which saved request as curl?');
    if (!request) return undefined;
    const environment = services.environments.active();
    let includeToken = options.includeToken === true;
    const carriesToken = curlCarriesToken(toApiRequest(request), environment);
    if (carriesToken && options.includeToken === undefined) {
      const choice = await vscode.window.showWarningMessage(
        `Copy "${request.name}" as curl for ${environment.name}`,
        { modal: true, detail: 'The Authorization header shows ‹redacted› unless you include the token. A copied token grants API access until it expires — never paste it into chats, tickets or files.' },
        'Copy (token redacted)',
        'Include token',
      );
      if (!choice) return undefined;
      includeToken = choice === 'Include token';
    }
    let token: string | undefined;
    // Never a token for a URL off the environment's API origin (toCurl leaves it out there, as the runner does).
    if (includeToken && carriesToken) token = (await services.auth.getToken(environment)).value;
    const text = toCurl(toApiRequest(request), environment, { token });
    await vscode.env.clipboard.writeText(text);
    services.logger.log('info', 'tree', `copied "${request.name}" as curl (${token ? 'with token' : 'token redacted'})`);
    void vscode.window.showInformationMessage(`Copied "${request.name}" as curl${token ? ' (with the access token — handle with care)' : ' (token redacted)'}.`);
    return token ? true : text;
  });

  register('studyteam.addExamples', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const folder = studyTeamExamples();
    await store.addNode(folder, parentFor(deps, arg, options));
    return folder.id;
  });

  register('studyteam.importRequests', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    let kind = str(options.kind);
    if (!kind && str(options.path)) kind = /\.json$/i.test(str(options.path)!) ? 'postman' : 'http';
    if (!kind) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: '$(file-code) .http / .rest file', detail: 'REST Client / httpYac format', source: 'http' },
          { label: '$(terminal) curl command', detail: 'From the clipboard or typed in', source: 'curl' },
          { label: '$(json) Postman collection v2.1', detail: 'An exported collection .json', source: 'postman' },
        ],
        { placeHolder: 'Import saved requests from…' },
      );
      if (!pick) return undefined;
      kind = pick.source;
    }
    const environment = services.environments.active();
    const baseUrl = environment.baseUrl;
    let text = str(options.text);
    if (text === undefined && kind !== 'curl') {
      let path = str(options.path);
      if (!path) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: 'Import',
          filters: kind === 'postman' ? { 'Postman collection': ['json'] } : { 'HTTP files': ['http', 'rest'] },
        });
        if (!picked?.length) return undefined;
        path = picked[0].fsPath;
      }
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
    }
    let nodes: SavedNode[];
    let warnings: string[];
    let label: string;
    if (kind === 'curl') {
      if (text === undefined) {
        const clip = await vscode.env.clipboard.readText();
        text = await vscode.window.showInputBox({
          title: 'StudyTeam: Import curl',
          prompt: 'Paste a curl command (a bearer Authorization header becomes the auth mode; the token is not kept)',
          value: /^\s*curl\s/.test(clip) ? clip : '',
          ignoreFocusOut: true,
        });
        if (text === undefined) return undefined;
      }
      const parsed = parseCurl(text, { baseUrl });
      if (!parsed.ok) throw new Error(parsed.error);
      const name = str(options.name) ?? `${parsed.request.method} ${parsed.request.url.split('?')[0]}`;
      nodes = [requestNode({ ...parsed.request, id: newId('request'), name })];
      warnings = parsed.warnings;
      label = name;
    } else if (kind === 'postman') {
      const parsed = parsePostmanCollection(text ?? '', { baseUrl });
      if (!parsed.ok) throw new Error(parsed.error);
      nodes = [{ kind: 'folder', id: newId('folder'), name: parsed.name, children: parsed.items }];
      warnings = parsed.warnings;
      label = parsed.name;
    } else if (kind === 'http') {
      const parsed = parseHttpFile(text ?? '', { baseUrl });
      nodes = parsed.items;
      warnings = parsed.warnings;
      label = str(options.path)?.split(/[\\/]/).pop() ?? 'the file';
      if (!nodes.length) throw new Error(`No requests found in ${label}.${warnings.length ? ` ${warnings.join(' ')}` : ''}`);
      const folderName = str(options.folderName) ?? label.replace(/\.(http|rest)$/i, '');
      if (options.intoFolder !== false) nodes = [{ kind: 'folder', id: newId('folder'), name: folderName, children: nodes }];
    } else throw new Error(`Unknown import kind "${kind}" (use http, curl or postman).`);
    await store.addImported(nodes, parentFor(deps, arg, options));
    const count = allRequests(nodes).length;
    services.logger.log('info', 'tree', `imported ${count} request(s) (${kind}) with ${warnings.length} warning(s)`);
    if (warnings.length) {
      void vscode.window.showWarningMessage(`Imported ${count} request(s) from ${label}, with ${warnings.length} note(s): ${warnings.slice(0, 3).join(' ')}${warnings.length > 3 ? ' …' : ''}`);
    } else void vscode.window.showInformationMessage(`Imported ${count} request(s) from ${label}.`);
    return { imported: count, warnings, ids: nodes.map((n) => n.id) };
  });

  register('studyteam.exportRequests', async (arg, opts) => {
    const options = optionsOf(arg, opts);
    const id = idOf(arg) ?? str(options.folderId);
    const node = id ? store.findNode(id)?.node : undefined;
    if (id && !node) throw new Error(`There is no saved item with id "${id}".`);
    const nodes: SavedNode[] = node ? [node] : [...store.all()];
    if (!allRequests(nodes).length) throw new Error('There is nothing to export yet.');
    let format = str(options.format);
    if (!format) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: '$(file-code) .http file', detail: 'REST Client / httpYac', format: 'http' },
          { label: '$(json) Postman collection v2.1', detail: '{{baseUrl}} and a {{token}} bearer', format: 'postman' },
        ],
        { placeHolder: `Export ${node ? `"${node.name}"` : 'all saved requests'} as…` },
      );
      if (!pick) return undefined;
      format = pick.format;
    }
    const environment = services.environments.active();
    const title = node?.name ?? 'StudyTeam saved requests';
    const content =
      format === 'postman'
        ? `${JSON.stringify(toPostmanCollection(nodes, { name: title, baseUrl: environment.baseUrl }), null, 2)}\n`
        : toHttpFile(nodes, { baseUrl: environment.baseUrl, title });
    let target = str(options.path) ? vscode.Uri.file(str(options.path)!) : undefined;
    if (!target) {
      const fileName = `${title.replace(/[^\w.-]+/g, '-')}${format === 'postman' ? '.postman_collection.json' : '.http'}`;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
        filters: format === 'postman' ? { 'Postman collection': ['json'] } : { 'HTTP file': ['http', 'rest'] },
        saveLabel: 'Export',
      });
      if (!target) return undefined;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    services.logger.log('info', 'tree', `exported ${allRequests(nodes).length} request(s) as ${format}`);
    if (options.show !== false) void vscode.window.showInformationMessage(`Exported ${allRequests(nodes).length} request(s) to ${vscode.workspace.asRelativePath(target)}.`);
    return target.fsPath;
  });
}

/** The `concurrency` option of Run Folder, else the setting; 1 to 50. */
function concurrencyOf(option: unknown): number {
  if (typeof option === 'number' && Number.isFinite(option)) return Math.min(50, Math.max(1, Math.floor(option)));
  return settings.runFolderConcurrency();
}
