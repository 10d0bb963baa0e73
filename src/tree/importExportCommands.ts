// Import Requests (.http/.rest, curl, Postman collection v2.1) and Export Requests (.http, Postman).
// Each import source is one small function from text to saved nodes; the command asks for the source and
// the text, adds the nodes and says what happened.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { parseCurl } from '../core/curl';
import { parseHttpFile, toHttpFile } from '../core/httpFile';
import { parsePostmanCollection, toPostmanCollection } from '../core/postman';
import { allRequests, newId, requestNode } from '../core/savedRequests';
import type { SavedNode } from '../core/savedRequests';
import { idOf, optionsOf, registerTreeCommand, str } from './commandDeps';
import type { CommandOptions, TreeCommandDeps } from './commandDeps';
import { parentFor } from './pickers';

type ImportKind = 'http' | 'curl' | 'postman';

interface Imported {
  readonly nodes: SavedNode[];
  readonly warnings: string[];
  /** What the summary calls the source ("sites.http", the collection's name). */
  readonly label: string;
}

export interface ImportResult {
  readonly imported: number;
  readonly warnings: readonly string[];
  readonly ids: readonly string[];
}

export function registerImportExportCommands(subscriptions: vscode.Disposable[], deps: TreeCommandDeps): void {
  registerTreeCommand(subscriptions, Commands.importRequests, (arg, opts) => importRequests(deps, arg, opts));
  registerTreeCommand(subscriptions, Commands.exportRequests, (arg, opts) => exportRequests(deps, arg, opts));
}

async function importRequests(deps: TreeCommandDeps, arg: unknown, opts: unknown): Promise<ImportResult | undefined> {
  const options = optionsOf(arg, opts);
  const kind = await importKind(options);
  if (!kind) return undefined;
  const baseUrl = deps.services.environments.active().baseUrl;
  let imported: Imported | undefined;
  if (kind === 'curl') {
    const text = str(options.text) ?? (await askForCurl());
    if (text === undefined) return undefined;
    imported = importCurl(text, baseUrl, str(options.name));
  } else {
    const path = str(options.path);
    const text = str(options.text) ?? (await readImportFile(kind, path));
    if (text === undefined) return undefined;
    imported = kind === 'postman' ? importPostman(text, baseUrl) : importHttp(text, baseUrl, path, options);
  }
  const { nodes, warnings, label } = imported;
  await deps.store.addImported(nodes, parentFor(deps, arg, options));
  const count = allRequests(nodes).length;
  deps.services.logger.log('info', 'tree', `imported ${count} request(s) (${kind}) with ${warnings.length} warning(s)`);
  if (warnings.length) {
    void vscode.window.showWarningMessage(`Imported ${count} request(s) from ${label}, with ${warnings.length} note(s): ${warnings.slice(0, 3).join(' ')}${warnings.length > 3 ? ' …' : ''}`);
  } else void vscode.window.showInformationMessage(`Imported ${count} request(s) from ${label}.`);
  return { imported: count, warnings, ids: nodes.map((n) => n.id) };
}

/** The `kind` option, else guessed from `path`, else a QuickPick. undefined: dismissed. */
async function importKind(options: CommandOptions): Promise<ImportKind | undefined> {
  const given = str(options.kind);
  if (given !== undefined) {
    if (given === 'http' || given === 'curl' || given === 'postman') return given;
    throw new Error(`Unknown import kind "${given}" (use http, curl or postman).`);
  }
  const path = str(options.path);
  if (path) return /\.json$/i.test(path) ? 'postman' : 'http';
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(file-code) .http / .rest file', detail: 'REST Client / httpYac format', source: 'http' as const },
      { label: '$(terminal) curl command', detail: 'From the clipboard or typed in', source: 'curl' as const },
      { label: '$(json) Postman collection v2.1', detail: 'An exported collection .json', source: 'postman' as const },
    ],
    { placeHolder: 'Import saved requests from…' },
  );
  return pick?.source;
}

/** The file at `path`, else one the user picks. undefined: dismissed. */
async function readImportFile(kind: 'http' | 'postman', path: string | undefined): Promise<string | undefined> {
  let file = path;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Import',
      filters: kind === 'postman' ? { 'Postman collection': ['json'] } : { 'HTTP files': ['http', 'rest'] },
    });
    if (!picked?.length) return undefined;
    file = picked[0].fsPath;
  }
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
}

async function askForCurl(): Promise<string | undefined> {
  const clip = await vscode.env.clipboard.readText();
  return vscode.window.showInputBox({
    title: 'StudyTeam: Import curl',
    prompt: 'Paste a curl command (a bearer Authorization header becomes the auth mode; the token is not kept)',
    value: /^\s*curl\s/.test(clip) ? clip : '',
    ignoreFocusOut: true,
  });
}

function importCurl(text: string, baseUrl: string, name: string | undefined): Imported {
  const parsed = parseCurl(text, { baseUrl });
  if (!parsed.ok) throw new Error(parsed.error);
  const label = name ?? `${parsed.request.method} ${parsed.request.url.split('?')[0]}`;
  return { nodes: [requestNode({ ...parsed.request, id: newId('request'), name: label })], warnings: parsed.warnings, label };
}

function importPostman(text: string, baseUrl: string): Imported {
  const parsed = parsePostmanCollection(text, { baseUrl });
  if (!parsed.ok) throw new Error(parsed.error);
  return { nodes: [{ kind: 'folder', id: newId('folder'), name: parsed.name, children: parsed.items }], warnings: parsed.warnings, label: parsed.name };
}

function importHttp(text: string, baseUrl: string, path: string | undefined, options: CommandOptions): Imported {
  const parsed = parseHttpFile(text, { baseUrl });
  const label = path?.split(/[\\/]/).pop() ?? 'the file';
  if (!parsed.items.length) throw new Error(`No requests found in ${label}.${parsed.warnings.length ? ` ${parsed.warnings.join(' ')}` : ''}`);
  const folderName = str(options.folderName) ?? label.replace(/\.(http|rest)$/i, '');
  const nodes: SavedNode[] = options.intoFolder !== false ? [{ kind: 'folder', id: newId('folder'), name: folderName, children: parsed.items }] : parsed.items;
  return { nodes, warnings: parsed.warnings, label };
}

async function exportRequests(deps: TreeCommandDeps, arg: unknown, opts: unknown): Promise<string | undefined> {
  const options = optionsOf(arg, opts);
  const id = idOf(arg) ?? str(options.folderId);
  const node = id ? deps.store.findNode(id)?.node : undefined;
  if (id && !node) throw new Error(`There is no saved item with id "${id}".`);
  const nodes: SavedNode[] = node ? [node] : [...deps.store.all()];
  if (!allRequests(nodes).length) {
    void vscode.window.showInformationMessage('StudyTeam: there is nothing to export yet. Add requests with "New Request…", "Import Requests…" or "Add StudyTeam Examples".');
    return undefined;
  }
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
  const environment = deps.services.environments.active();
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
  deps.services.logger.log('info', 'tree', `exported ${allRequests(nodes).length} request(s) as ${format}`);
  if (options.show !== false) void vscode.window.showInformationMessage(`Exported ${allRequests(nodes).length} request(s) to ${vscode.workspace.asRelativePath(target)}.`);
  return target.fsPath;
}
