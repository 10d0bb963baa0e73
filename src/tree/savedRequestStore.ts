// The saved requests on disk: `.studyteam/requests.json` in the (first) workspace folder, or
// `requests.json` in global storage without a workspace. Writes are atomic (temp file + rename) and go
// through the secret guard; an invalid file is reported with line and column and is never overwritten
// while invalid; a FileSystemWatcher reloads after external edits (git pull, hand edits).
import * as vscode from 'vscode';
import type { Logger, SavedRequest } from '../core/model';
import { allRequests, emptyCollection, findNode, findRequest, SAVED_REQUESTS_SCHEMA_VERSION, SavedRequestsError, toSavedRequest } from '../core/savedRequests';
import { parseCollection, serializeCollection, validateSavedRequest } from '../core/savedRequestsFile';
import { addNode, appendImported, deleteNode, duplicateNode, moveNode, renameNode, upsertRequest } from '../core/collectionEdits';
import type { NodeLocation, SavedCollection, SavedNode, SavedRequestNode } from '../core/savedRequests';
import { describeSecretFindings, findSecrets } from '../core/secretGuard';

export const REQUESTS_DIR = '.studyteam';
export const REQUESTS_FILE = 'requests.json';


/** A save wrote a file that was in an older format in the current one. */
export interface FormatMigration {
  readonly fromVersion: number;
  readonly toVersion: number;
}

export type StoreState =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalid'; readonly message: string; readonly line?: number; readonly column?: number };

/** The file of this window: the first workspace folder's `.studyteam/requests.json`, else global storage. */
export function requestsFileUri(globalStorageUri: vscode.Uri): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, REQUESTS_DIR, REQUESTS_FILE) : vscode.Uri.joinPath(globalStorageUri, REQUESTS_FILE);
}

function isNotFound(error: unknown): boolean {
  return error instanceof vscode.FileSystemError && (error.code === 'FileNotFound' || error.code === 'EntryNotFound');
}

export class SavedRequestStore implements vscode.Disposable {
  private collection: SavedCollection = emptyCollection();
  private currentState: StoreState = { kind: 'ok' };
  /** The text last read from or written to disk (undefined: no file). */
  private diskText: string | undefined;
  /** The format version of the file on disk (undefined: no file, or an empty one). */
  private diskVersion: number | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<StoreState>();
  private readonly saved = new vscode.EventEmitter<string>();
  private readonly migrated = new vscode.EventEmitter<FormatMigration>();
  /** A save rewrote an older-format file (version 1 or 2) in the current format. */
  readonly onDidMigrateFormat = this.migrated.event;
  /** A request was saved through upsertRequest (the request panel's Save / Save As); carries its id. */
  readonly onDidSaveRequest = this.saved.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.stateChanged, this.saved, this.migrated];
  private queue: Promise<unknown> = Promise.resolve();
  private reloadTimer: NodeJS.Timeout | undefined;
  private loaded: Promise<StoreState> | undefined;

  /** Fires after the collection changed (a save, a reload). */
  readonly onDidChange = this.changed.event;
  /** Fires when the file becomes invalid or valid again. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    readonly fileUri: vscode.Uri,
    private readonly logger: Logger,
  ) {
    const dir = vscode.Uri.joinPath(fileUri, '..');
    const base = fileUri.path.slice(fileUri.path.lastIndexOf('/') + 1);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, base));
    const schedule = (): void => {
      if (this.reloadTimer) clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => {
        this.reloadTimer = undefined;
        void this.reload();
      }, 75);
    };
    this.disposables.push(watcher, watcher.onDidChange(schedule), watcher.onDidCreate(schedule), watcher.onDidDelete(schedule));
  }

  get state(): StoreState {
    return this.currentState;
  }

  /** Reads the file once (later calls share the first load). */
  load(): Promise<StoreState> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  /** Reads the file again now (the watcher calls this; tests may too). */
  reload(): Promise<StoreState> {
    return this.serial(async () => {
      await this.readFromDisk();
      return this.currentState;
    });
  }

  /** A snapshot of the whole collection. */
  snapshot(): SavedCollection {
    return this.collection;
  }

  /** The top-level nodes. */
  all(): readonly SavedNode[] {
    return this.collection.items;
  }

  allRequests(): Array<{ request: SavedRequestNode; folderPath: string[] }> {
    return allRequests(this.collection);
  }

  findNode(id: string): NodeLocation | undefined {
    return findNode(this.collection, id);
  }

  findRequest(id: string): SavedRequest | undefined {
    const node = findRequest(this.collection, id);
    return node ? toSavedRequest(node) : undefined;
  }

  /** Saves a request (replacing the one with the same id, in place) — refused when it holds a secret. */
  async upsertRequest(request: SavedRequest, parentFolderId?: string): Promise<void> {
    const plain = toSavedRequest(request);
    const checked = validateSavedRequest(plain, `"${request.name}"`);
    if (!checked.ok) {
      const secrets = findSecrets(plain);
      throw secrets.length ? new SavedRequestsError('contains-secret', describeSecretFindings(request.name, secrets)) : new SavedRequestsError('invalid-operation', checked.errors.join(' '));
    }
    await this.mutate(`save "${request.name}"`, (c) => upsertRequest(c, checked.value, parentFolderId));
    this.saved.fire(request.id);
  }

  async addNode(node: SavedNode, parentFolderId?: string, index?: number): Promise<void> {
    if (node.kind === 'request') this.assertNoSecrets(node);
    return this.mutate(`add "${node.name}"`, (c) => addNode(c, node, parentFolderId, index));
  }

  rename(id: string, name: string): Promise<void> {
    return this.mutate('rename', (c) => renameNode(c, id, name));
  }

  async duplicate(id: string): Promise<string> {
    let newId = '';
    await this.mutate('duplicate', (c) => {
      const result = duplicateNode(c, id);
      newId = result.id;
      return result.collection;
    });
    return newId;
  }

  move(id: string, targetFolderId: string | undefined, index?: number): Promise<void> {
    return this.mutate('move', (c) => moveNode(c, id, targetFolderId, index));
  }

  delete(id: string): Promise<void> {
    return this.mutate('delete', (c) => deleteNode(c, id));
  }

  /** Adds imported nodes (fresh ids where they collide); every request passes the secret guard first. */
  async addImported(nodes: readonly SavedNode[], parentFolderId?: string): Promise<void> {
    for (const { request } of allRequests(nodes)) this.assertNoSecrets(request);
    return this.mutate(`import ${nodes.length} item(s)`, (c) => appendImported(c, nodes, parentFolderId));
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    for (const d of this.disposables) d.dispose();
  }

  // -------------------------------------------------------------------------------------------------

  private assertNoSecrets(request: SavedRequest): void {
    const secrets = findSecrets(request);
    if (secrets.length) throw new SavedRequestsError('contains-secret', describeSecretFindings(request.name, secrets));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private setState(state: StoreState): void {
    const was = this.currentState;
    this.currentState = state;
    if (was.kind !== state.kind || (state.kind === 'invalid' && was.kind === 'invalid' && was.message !== state.message)) {
      this.stateChanged.fire(state);
    }
  }

  /** Reads the file; returns false when it is unchanged since the last read/write. */
  private async readFromDisk(): Promise<void> {
    let text: string | undefined;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(this.fileUri));
    } catch (error) {
      if (!isNotFound(error)) {
        this.setState({ kind: 'invalid', message: `cannot be read (${error instanceof Error ? error.message : String(error)})` });
        this.changed.fire();
        return;
      }
    }
    if (text === this.diskText && this.currentState.kind === 'ok') return;
    this.diskText = text;
    if (text === undefined) {
      this.diskVersion = undefined;
      this.collection = emptyCollection();
      this.setState({ kind: 'ok' });
      this.changed.fire();
      return;
    }
    const parsed = parseCollection(text);
    if (parsed.ok) {
      this.collection = parsed.value;
      this.diskVersion = parsed.fileVersion;
      this.setState({ kind: 'ok' });
      this.logger.log('info', 'tree', `loaded ${allRequests(parsed.value).length} saved request(s)`);
    } else {
      // Keep showing the last good collection, but never write until the file is fixed.
      this.setState({ kind: 'invalid', message: parsed.errors.join(' '), line: parsed.line, column: parsed.column });
      this.logger.log('warn', 'tree', `the saved requests file is invalid${parsed.line ? ` at line ${parsed.line}, column ${parsed.column}` : ''}`);
    }
    this.changed.fire();
  }

  private mutate(what: string, change: (c: SavedCollection) => SavedCollection): Promise<void> {
    return this.serial(async () => {
      // Pick up external edits that the watcher has not delivered yet, so a save never clobbers them.
      await this.readFromDisk();
      if (this.currentState.kind === 'invalid') {
        throw new SavedRequestsError('invalid-file', `Cannot ${what}: ${this.describeInvalid()} Fix the file first; it is left untouched until then.`, ['showLog']);
      }
      const next = change(this.collection);
      const text = serializeCollection(next);
      await this.writeAtomically(text);
      const fromVersion = this.diskVersion;
      this.collection = next;
      this.diskText = text;
      this.diskVersion = SAVED_REQUESTS_SCHEMA_VERSION;
      this.changed.fire();
      this.logger.log('info', 'tree', `${what}: ${allRequests(next).length} saved request(s)`);
      if (fromVersion !== undefined && fromVersion < SAVED_REQUESTS_SCHEMA_VERSION) {
        this.logger.log('info', 'tree', `the saved requests file was format ${fromVersion}; it is now format ${SAVED_REQUESTS_SCHEMA_VERSION}`);
        this.migrated.fire({ fromVersion, toVersion: SAVED_REQUESTS_SCHEMA_VERSION });
      }
    });
  }

  /** "the saved requests file (…/requests.json) has an error at line 4, column 23: …" */
  describeInvalid(): string {
    const s = this.currentState;
    if (s.kind !== 'invalid') return '';
    return `${vscode.workspace.asRelativePath(this.fileUri)} ${s.line ? `has a JSON error at ${s.message}` : `is invalid: ${s.message}`}`;
  }

  private async writeAtomically(text: string): Promise<void> {
    const dir = vscode.Uri.joinPath(this.fileUri, '..');
    await vscode.workspace.fs.createDirectory(dir);
    const name = this.fileUri.path.slice(this.fileUri.path.lastIndexOf('/') + 1);
    const temp = vscode.Uri.joinPath(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
    await vscode.workspace.fs.writeFile(temp, new TextEncoder().encode(text));
    try {
      await vscode.workspace.fs.rename(temp, this.fileUri, { overwrite: true });
    } catch (error) {
      await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
      throw error;
    }
  }
}
