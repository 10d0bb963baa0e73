// Import Requests (.http/.rest, curl, Postman collection v2.1) and Export Requests (.http, Postman).
// Each import source is one small function from text to saved nodes; the command asks for the source and
// the text, adds the nodes and says what happened.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { isLoopbackHost } from '../core/environment';
import type { Environment } from '../core/model';
import { curlModule, httpFileModule, postmanModule } from '../host/lazyModules';
import { allRequests, newId, requestNode } from '../core/savedRequests';
import { readableImportedBodies } from '../core/savedRequestBody';
import type { SavedNode } from '../core/savedRequests';
import { idOf, optionsOf, registerTreeCommand, str } from './commandDeps';
import type { CommandOptions, TreeCommandDeps } from './commandDeps';
import { parentFor } from './pickers';

type ImportKind = 'http' | 'curl' | 'postman';

// The converters load on the first import or export (their own bundles), not when the extension activates.

interface Imported {
  readonly nodes: SavedNode[];
  readonly warnings: string[];
  /** Every change made to what the source says (the .http import lists them; others have none yet). */
  readonly changes: string[];
  /** What the summary calls the source ("sites.http", the collection's name). */
  readonly label: string;
}

export interface ImportResult {
  readonly imported: number;
  readonly warnings: readonly string[];
  readonly changes: readonly string[];
  readonly ids: readonly string[];
  /** The folder the import created, when it made one (Run Imported Folder runs it). */
  readonly folderId?: string;
}

const RUN_IMPORTED = 'Run Imported Folder';
const SHOW_CHANGES = 'Show All Changes';

export function registerImportExportCommands(subscriptions: vscode.Disposable[], deps: TreeCommandDeps): void {
  registerTreeCommand(subscriptions, Commands.importRequests, (arg, opts) => importRequests(deps, arg, opts));
  registerTreeCommand(subscriptions, Commands.exportRequests, (arg, opts) => exportRequests(deps, arg, opts));
}

async function importRequests(deps: TreeCommandDeps, arg: unknown, opts: unknown): Promise<ImportResult | undefined> {
  const options = optionsOf(arg, opts);
  const kind = await importKind(options);
  if (!kind) return undefined;
  const environment = deps.services.environments.active();
  let imported: Imported | undefined;
  if (kind === 'curl') {
    const text = str(options.text) ?? (await askForCurl());
    if (text === undefined) return undefined;
    imported = importCurl(text, environment.baseUrl, str(options.name));
  } else {
    const given = str(options.text);
    const file = given === undefined ? await readImportFile(kind, str(options.path)) : { text: given, path: str(options.path) };
    if (file === undefined) return undefined;
    imported =
      kind === 'postman'
        ? importPostman(file.text, environment.baseUrl)
        : importHttp(file.text, environment.baseUrl, environment.name, file.path, options);
  }
  const { warnings, label } = imported;
  const readable = readableImportedBodies(imported.nodes);
  const nodes = readable.nodes;
  const changes = readable.names.length ? [...imported.changes, reindentedNote(readable.names)] : imported.changes;
  await deps.store.addImported(nodes, parentFor(deps, arg, options));
  const count = allRequests(nodes).length;
  const folder = nodes.length === 1 && nodes[0].kind === 'folder' ? nodes[0] : undefined;
  deps.services.logger.log('info', 'tree', `imported ${count} request(s) (${kind}) with ${changes.length} change(s) and ${warnings.length} warning(s)`);
  if (options.show !== false) void announceImport(deps, { count, label, folder, changes, warnings, environmentName: environment.name });
  return { imported: count, warnings, changes, ids: nodes.map((n) => n.id), ...(folder ? { folderId: folder.id } : {}) };
}

/** The change note for JSON bodies that the import laid out in 2 spaces (readableImportedBodies). */
function reindentedNote(names: readonly string[]): string {
  return `JSON body laid out in 2 spaces (the same JSON), so requests.json stores it as JSON, one field a line: ${names.map((n) => `"${n}"`).join(', ')}.`;
}

interface ImportAnnouncement {
  readonly count: number;
  readonly label: string;
  readonly folder: SavedNode | undefined;
  readonly changes: readonly string[];
  readonly warnings: readonly string[];
  readonly environmentName: string;
}

/** The toast: what was imported where, how many changes; Run Imported Folder and Show All Changes. */
async function announceImport(deps: TreeCommandDeps, a: ImportAnnouncement): Promise<void> {
  const where = a.folder ? ` into the folder "${a.folder.name}"` : '';
  const counts = [
    a.changes.length ? `${a.changes.length} change${a.changes.length === 1 ? '' : 's'}` : '',
    a.warnings.length ? `${a.warnings.length} thing${a.warnings.length === 1 ? '' : 's'} left out` : '',
  ].filter(Boolean);
  const first = [...a.warnings, ...a.changes][0];
  const message =
    `Imported ${a.count} request${a.count === 1 ? '' : 's'} from ${a.label}${where}.` +
    (counts.length ? ` ${counts.join(' and ')} — ${first}${a.changes.length + a.warnings.length > 1 ? ' …' : ''}` : '');
  const actions = [...(a.folder ? [RUN_IMPORTED] : []), ...(counts.length ? [SHOW_CHANGES] : [])];
  const show = a.warnings.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const pick = await show(message, ...actions);
  if (pick === RUN_IMPORTED && a.folder) await vscode.commands.executeCommand(Commands.runFolder, a.folder.id);
  else if (pick === SHOW_CHANGES) {
    await deps.documents.show(`Import of ${a.label}.md`, importSummary(a), 'markdown');
  }
}

/** Every change and everything left out, as a short Markdown list. */
export function importSummary(a: Pick<ImportAnnouncement, 'count' | 'label' | 'folder' | 'changes' | 'warnings' | 'environmentName'>): string {
  const lines = [
    `# Import of ${a.label}`,
    '',
    `${a.count} request${a.count === 1 ? '' : 's'}${a.folder ? ` in the folder "${a.folder.name}"` : ''}, to run against the active environment (now ${a.environmentName}).`,
    '',
  ];
  if (a.changes.length) lines.push('## Changed', '', ...a.changes.map((c) => `- ${c}`), '');
  if (a.warnings.length) lines.push('## Left out', '', ...a.warnings.map((w) => `- ${w}`), '');
  return lines.join('\n');
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
async function readImportFile(kind: 'http' | 'postman', path: string | undefined): Promise<{ text: string; path: string } | undefined> {
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
  return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file))), path: file };
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
  const parsed = curlModule().parseCurl(text, { baseUrl });
  if (!parsed.ok) throw new Error(parsed.error);
  const label = name ?? `${parsed.request.method} ${parsed.request.url.split('?')[0]}`;
  return { nodes: [requestNode({ ...parsed.request, id: newId('request'), name: label })], warnings: parsed.warnings, changes: [], label };
}

function importPostman(text: string, baseUrl: string): Imported {
  const parsed = postmanModule().parsePostmanCollection(text, { baseUrl });
  if (!parsed.ok) throw new Error(parsed.error);
  return { nodes: [{ kind: 'folder', id: newId('folder'), name: parsed.name, children: parsed.items }], warnings: parsed.warnings, changes: [], label: parsed.name };
}

function importHttp(text: string, baseUrl: string, environmentName: string, path: string | undefined, options: CommandOptions): Imported {
  const parsed = httpFileModule().parseHttpFile(text, { baseUrl, environmentName });
  const fileName = path?.split(/[\\/]/).pop();
  const label = fileName ?? 'the given .http text';
  if (!parsed.items.length) throw new Error(`No requests found in ${label}.${parsed.warnings.length ? ` ${parsed.warnings.join(' ')}` : ''}`);
  // The folder is named after the file ("events.http" → "events").
  const folderName = str(options.folderName) ?? (fileName ? fileName.replace(/\.(http|rest)$/i, '') : 'Imported requests');
  const nodes: SavedNode[] = options.intoFolder !== false ? [{ kind: 'folder', id: newId('folder'), name: folderName, children: parsed.items }] : parsed.items;
  return { nodes, warnings: parsed.warnings, changes: parsed.changes, label };
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
  const variables = exportableVariables(environment);
  // A local sandbox's URL is gone with the sandbox: the Postman collection keeps {{baseUrl}} without a value
  // and the environment file carries it; Postman's environment values win over the collection's anyway.
  const temporaryBase = isTemporaryBaseUrl(environment.baseUrl);
  const content =
    format === 'postman'
      ? `${JSON.stringify(postmanModule().toPostmanCollection(nodes, { name: title, baseUrl: temporaryBase ? undefined : environment.baseUrl }), null, 2)}\n`
      : httpFileModule().toHttpFile(nodes, { baseUrl: environment.baseUrl, title, variables });
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
  const environmentFile = format === 'postman' ? await writePostmanEnvironment(target, environment, variables) : undefined;
  const count = allRequests(nodes).length;
  deps.services.logger.log('info', 'tree', `exported ${count} request(s) as ${format}${environmentFile ? ` with ${Object.keys(variables).length} environment variable(s)` : ''}`);
  if (options.show !== false) {
    const envPart = environmentFile
      ? `, and the environment "${environment.name}" (baseUrl${Object.keys(variables).length ? ` and ${Object.keys(variables).length} variable(s)` : ''}, an empty secret token — no credentials) to ${vscode.workspace.asRelativePath(environmentFile)}`
      : '';
    void offerRevealOrOpen(`Exported ${count} request${count === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(target)}${envPart}.`, target);
  }
  return target.fsPath;
}

/** The environment's variables that may leave the machine (none that looks secret). */
function exportableVariables(environment: Environment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment.variables ?? {})) if (name !== 'baseUrl' && !postmanModule().isSecretVariable(name, value)) out[name] = value;
  return out;
}

/** A loopback URL (the local sandbox picks a new port each start). */
function isTemporaryBaseUrl(baseUrl: string): boolean {
  try {
    return isLoopbackHost(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

/**
 * Writes `<environment>.postman_environment.json` next to the collection. An existing file is replaced only
 * when it is an earlier export of the same environment; anything else gets a numbered name instead.
 */
async function writePostmanEnvironment(collection: vscode.Uri, environment: Environment, variables: Record<string, string>): Promise<vscode.Uri> {
  const dir = vscode.Uri.joinPath(collection, '..');
  const base = environment.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'environment';
  const json = `${JSON.stringify(postmanModule().toPostmanEnvironment({ name: environment.name, baseUrl: environment.baseUrl, variables }), null, 2)}\n`;
  for (let n = 1; ; n++) {
    const uri = vscode.Uri.joinPath(dir, `${base}${n === 1 ? '' : `-${n}`}.postman_environment.json`);
    if (await isFreeOrOurs(uri, environment.name)) {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(json));
      return uri;
    }
  }
}

async function isFreeOrOurs(uri: vscode.Uri, environmentName: string): Promise<boolean> {
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return true;
  }
  try {
    const old = JSON.parse(text) as { name?: unknown; _postman_variable_scope?: unknown; _postman_exported_using?: unknown };
    return old.name === environmentName && old._postman_variable_scope === 'environment' && old._postman_exported_using === 'StudyTeam for VS Code';
  } catch {
    return false;
  }
}

const REVEAL = 'Reveal';
const OPEN = 'Open';

async function offerRevealOrOpen(message: string, target: vscode.Uri): Promise<void> {
  const pick = await vscode.window.showInformationMessage(message, REVEAL, OPEN);
  if (pick === OPEN) await vscode.commands.executeCommand('vscode.open', target);
  else if (pick === REVEAL) {
    const inWorkspace = vscode.workspace.getWorkspaceFolder(target) !== undefined;
    await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', target);
  }
}
