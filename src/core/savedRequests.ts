// The saved-requests model: a versioned collection of folders and requests, kept in a workspace file
// (.studyteam/requests.json) that teams commit. Validation with messages that name the item, a stable
// serialisation (fixed key order, 2-space JSON, trailing newline) for clean diffs, and pure tree
// operations that return a new collection. No `vscode` here.
import type { ErrorAction } from './errors';
import { randomBytes } from 'node:crypto';
import { HTTP_METHODS } from './model';
import type { AuthMode, HttpMethod, KeyValue, SavedRequest } from './model';
import { describeJsonError, parseJsonWithLocation } from './jsonLocation';
import { findSecrets } from './secretGuard';
import { cloneCheck, orderedCapture, orderedCheck, validateCaptures, validateChecks } from './checks';

/** Version 2 added `expect` and `capture`. Version 1 files still load; they are written as version 2 when saved. */
export const SAVED_REQUESTS_SCHEMA_VERSION = 2;

export interface SavedFolder {
  id: string;
  name: string;
  children: SavedNode[];
}
export type SavedRequestNode = { kind: 'request' } & SavedRequest;
export type SavedFolderNode = { kind: 'folder' } & SavedFolder;
export type SavedNode = SavedRequestNode | SavedFolderNode;
export interface SavedCollection {
  /** Always the current version in memory; a version 1 file is migrated when it is next written. */
  version: typeof SAVED_REQUESTS_SCHEMA_VERSION;
  items: SavedNode[];
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export type SavedRequestsErrorKind =
  /** An id that is not (or no longer) in the collection. */
  | 'not-found'
  /** The operation does not fit the item (a folder into itself, an empty name, a duplicate id, …). */
  | 'invalid-operation'
  /** The request holds a literal secret (a bearer token, an API key); saving it is refused. */
  | 'contains-secret'
  /** requests.json cannot be parsed; nothing is written until it is fixed. */
  | 'invalid-file';

/** A tree operation that cannot be done, with a kind and the actions that help (like StudyTeamError). */
export class SavedRequestsError extends Error {
  override readonly name = 'SavedRequestsError';
  readonly actions: readonly ErrorAction[];

  constructor(
    readonly kind: SavedRequestsErrorKind,
    message: string,
    actions: readonly ErrorAction[] = [],
  ) {
    super(message);
    this.actions = actions;
  }
}

export function emptyCollection(): SavedCollection {
  return { version: SAVED_REQUESTS_SCHEMA_VERSION, items: [] };
}

/** A short random id: "req_3f9a1c0b2d4e" / "fld_…". */
export function newId(kind: 'request' | 'folder' = 'request'): string {
  return `${kind === 'folder' ? 'fld' : 'req'}_${randomBytes(6).toString('hex')}`;
}

export function requestNode(request: SavedRequest): SavedRequestNode {
  return { kind: 'request', ...request };
}
export function folderNode(folder: SavedFolder): SavedFolderNode {
  return { kind: 'folder', ...folder };
}
/** The SavedRequest fields of a node (without `kind`). */
export function toSavedRequest(node: SavedRequestNode | SavedRequest): SavedRequest {
  return {
    id: node.id,
    name: node.name,
    method: node.method,
    url: node.url,
    auth: node.auth,
    ...(node.description !== undefined && { description: node.description }),
    ...(node.query !== undefined && { query: node.query.map((kv) => ({ ...kv })) }),
    ...(node.headers !== undefined && { headers: node.headers.map((kv) => ({ ...kv })) }),
    ...(node.body !== undefined && { body: node.body }),
    ...(node.expect !== undefined && { expect: node.expect.map(cloneCheck) }),
    ...(node.capture !== undefined && { capture: node.capture.map((c) => ({ ...c })) }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Validation

const REQUEST_KEYS = new Set(['kind', 'id', 'name', 'description', 'method', 'url', 'auth', 'query', 'headers', 'body', 'expect', 'capture']);
const FOLDER_KEYS = new Set(['kind', 'id', 'name', 'children']);
const KEY_VALUE_KEYS = new Set(['name', 'value', 'enabled']);
const MAX_DEPTH = 32;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function labelOf(raw: Record<string, unknown>, path: string): string {
  return typeof raw.name === 'string' && raw.name.trim() ? `${path} ("${raw.name}")` : path;
}

function validateKeyValues(raw: unknown, where: string, errors: string[]): KeyValue[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push(`${where} must be a list of {"name", "value"} rows.`);
    return undefined;
  }
  const out: KeyValue[] = [];
  raw.forEach((row, i) => {
    const at = `${where}[${i}]`;
    if (!isRecord(row)) {
      errors.push(`${at} must be an object with "name" and "value".`);
      return;
    }
    for (const key of Object.keys(row)) if (!KEY_VALUE_KEYS.has(key)) errors.push(`${at} has an unknown property "${key}".`);
    if (typeof row.name !== 'string') errors.push(`${at}.name must be a string.`);
    if (typeof row.value !== 'string') errors.push(`${at}.value must be a string.`);
    if (row.enabled !== undefined && typeof row.enabled !== 'boolean') errors.push(`${at}.enabled must be true or false.`);
    if (typeof row.name === 'string' && typeof row.value === 'string') {
      out.push(row.enabled === false ? { name: row.name, value: row.value, enabled: false } : { name: row.name, value: row.value });
    }
  });
  return out;
}

/** Checks one request (without `kind`). `where` prefixes every message, e.g. `items[0]`. */
export function validateSavedRequest(raw: unknown, where = 'request', fileVersion = SAVED_REQUESTS_SCHEMA_VERSION): Validation<SavedRequest> {
  const errors: string[] = [];
  if (!isRecord(raw)) return { ok: false, errors: [`${where} must be an object.`] };
  const at = labelOf(raw, where);
  for (const key of Object.keys(raw)) {
    if (!REQUEST_KEYS.has(key)) errors.push(`${at} has an unknown property "${key}".`);
    else if (fileVersion < 2 && (key === 'expect' || key === 'capture')) errors.push(`${at}: "${key}" needs "version": 2 at the top of the file.`);
  }
  if (typeof raw.id !== 'string' || !raw.id.trim()) errors.push(`${at}: "id" must be a non-empty string.`);
  if (typeof raw.name !== 'string' || !raw.name.trim()) errors.push(`${at}: "name" must be a non-empty string.`);
  if (typeof raw.method !== 'string' || !(HTTP_METHODS as readonly string[]).includes(raw.method)) {
    errors.push(`${at}: "method" must be one of ${HTTP_METHODS.join(', ')}${typeof raw.method === 'string' ? ` (got "${raw.method}")` : ''}.`);
  }
  if (typeof raw.url !== 'string' || !raw.url.trim()) errors.push(`${at}: "url" must be a path like "/rpi/sites" or an absolute URL.`);
  if (raw.auth !== 'bearer' && raw.auth !== 'none') errors.push(`${at}: "auth" must be "bearer" or "none".`);
  if (raw.description !== undefined && typeof raw.description !== 'string') errors.push(`${at}: "description" must be a string.`);
  if (raw.body !== undefined && typeof raw.body !== 'string') {
    errors.push(`${at}: "body" must be a string (JSON bodies are stored as text).`);
  }
  const query = validateKeyValues(raw.query, `${at}.query`, errors);
  const headers = validateKeyValues(raw.headers, `${at}.headers`, errors);
  const expect = validateChecks(raw.expect, `${at}.expect`, errors);
  const capture = validateCaptures(raw.capture, `${at}.capture`, errors);
  if (errors.length) return { ok: false, errors };
  const value: SavedRequest = {
    id: raw.id as string,
    name: raw.name as string,
    method: raw.method as HttpMethod,
    url: raw.url as string,
    auth: raw.auth as AuthMode,
    ...(raw.description !== undefined && { description: raw.description as string }),
    ...(query !== undefined && { query }),
    ...(headers !== undefined && { headers }),
    ...(raw.body !== undefined && { body: raw.body as string }),
    ...(expect !== undefined && { expect }),
    ...(capture !== undefined && { capture }),
  };
  const secrets = findSecrets(value);
  if (secrets.length) {
    return {
      ok: false,
      errors: [
        `${at}: ${secrets.map((s) => `${s.where} ${s.reason}`).join('; ')}. Remove it and use "auth": "bearer" instead — the file must never hold a secret.`,
      ],
    };
  }
  return { ok: true, value };
}

function validateNodes(raw: unknown, where: string, depth: number, ids: Set<string>, errors: string[], version: number): SavedNode[] {
  if (!Array.isArray(raw)) {
    errors.push(`${where} must be a list.`);
    return [];
  }
  if (depth > MAX_DEPTH) {
    errors.push(`${where}: folders are nested more than ${MAX_DEPTH} levels deep.`);
    return [];
  }
  const out: SavedNode[] = [];
  raw.forEach((item, i) => {
    const path = `${where}[${i}]`;
    if (!isRecord(item)) {
      errors.push(`${path} must be an object.`);
      return;
    }
    if (typeof item.id === 'string' && item.id) {
      if (ids.has(item.id)) errors.push(`${labelOf(item, path)}: the id "${item.id}" is used more than once.`);
      ids.add(item.id);
    }
    if (item.kind === 'folder') {
      const at = labelOf(item, path);
      for (const key of Object.keys(item)) if (!FOLDER_KEYS.has(key)) errors.push(`${at} has an unknown property "${key}".`);
      if (typeof item.id !== 'string' || !item.id.trim()) errors.push(`${at}: "id" must be a non-empty string.`);
      if (typeof item.name !== 'string' || !item.name.trim()) errors.push(`${at}: "name" must be a non-empty string.`);
      const children = validateNodes(item.children, `${at}.children`, depth + 1, ids, errors, version);
      if (typeof item.id === 'string' && typeof item.name === 'string') {
        out.push({ kind: 'folder', id: item.id, name: item.name, children });
      }
    } else if (item.kind === 'request') {
      const { kind: _kind, ...rest } = item;
      void _kind;
      const checked = validateSavedRequest(rest, path, version);
      if (checked.ok) out.push(requestNode(checked.value));
      else errors.push(...checked.errors);
    } else {
      errors.push(`${labelOf(item, path)}: "kind" must be "request" or "folder".`);
    }
  });
  return out;
}

/** Checks a parsed collection. Messages name the item (`items[1].children[0] ("List sites")`). */
export function validateCollection(raw: unknown): Validation<SavedCollection> {
  if (!isRecord(raw)) return { ok: false, errors: [`The file must contain a JSON object like {"version": ${SAVED_REQUESTS_SCHEMA_VERSION}, "items": []}.`] };
  if (raw.version !== 1 && raw.version !== SAVED_REQUESTS_SCHEMA_VERSION) {
    if (typeof raw.version === 'number' && raw.version > SAVED_REQUESTS_SCHEMA_VERSION) {
      return {
        ok: false,
        errors: [`The file uses schema version ${raw.version}, written by a newer StudyTeam extension. Update the extension to open it.`],
      };
    }
    return { ok: false, errors: [`"version" must be ${SAVED_REQUESTS_SCHEMA_VERSION} (or 1, the version before checks).`] };
  }
  const errors: string[] = [];
  for (const key of Object.keys(raw)) if (key !== 'version' && key !== 'items') errors.push(`The file has an unknown top-level property "${key}".`);
  const items = validateNodes(raw.items, 'items', 0, new Set(), errors, raw.version);
  return errors.length ? { ok: false, errors } : { ok: true, value: { version: SAVED_REQUESTS_SCHEMA_VERSION, items } };
}

export type ParseCollectionResult =
  | { ok: true; value: SavedCollection }
  | { ok: false; errors: string[]; line?: number; column?: number };

/** Parses file text: JSON syntax errors carry line and column; an empty file is an empty collection. */
export function parseCollection(text: string): ParseCollectionResult {
  if (!text.replace(/^\uFEFF/, '').trim()) return { ok: true, value: emptyCollection() };
  const parsed = parseJsonWithLocation(text);
  if (!parsed.ok) return { ok: false, errors: [describeJsonError(parsed)], line: parsed.line, column: parsed.column };
  return validateCollection(parsed.value);
}

// ---------------------------------------------------------------------------------------------------
// Serialisation (stable key order)

function orderedKeyValues(rows: readonly KeyValue[]): Array<Record<string, unknown>> {
  return rows.map((kv) => (kv.enabled === false ? { name: kv.name, value: kv.value, enabled: false } : { name: kv.name, value: kv.value }));
}

function orderedNode(node: SavedNode): Record<string, unknown> {
  if (node.kind === 'folder') {
    return { kind: 'folder', id: node.id, name: node.name, children: node.children.map(orderedNode) };
  }
  const out: Record<string, unknown> = { kind: 'request', id: node.id, name: node.name };
  if (node.description !== undefined) out.description = node.description;
  out.method = node.method;
  out.url = node.url;
  out.auth = node.auth;
  if (node.query && node.query.length) out.query = orderedKeyValues(node.query);
  if (node.headers && node.headers.length) out.headers = orderedKeyValues(node.headers);
  if (node.body !== undefined && node.body !== '') out.body = node.body;
  if (node.expect && node.expect.length) out.expect = node.expect.map(orderedCheck);
  if (node.capture && node.capture.length) out.capture = node.capture.map(orderedCapture);
  return out;
}

/** 2-space JSON, fixed key order, trailing newline. */
export function serializeCollection(collection: SavedCollection): string {
  return `${JSON.stringify({ version: SAVED_REQUESTS_SCHEMA_VERSION, items: collection.items.map(orderedNode) }, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Queries

export interface NodeLocation {
  readonly node: SavedNode;
  /** undefined at the top level. */
  readonly parent: SavedFolderNode | undefined;
  readonly index: number;
  /** Names of the enclosing folders, outermost first. */
  readonly folderPath: readonly string[];
}

export function findNode(collection: SavedCollection, id: string): NodeLocation | undefined {
  const visit = (nodes: readonly SavedNode[], parent: SavedFolderNode | undefined, path: string[]): NodeLocation | undefined => {
    for (let index = 0; index < nodes.length; index++) {
      const node = nodes[index];
      if (node.id === id) return { node, parent, index, folderPath: path };
      if (node.kind === 'folder') {
        const found = visit(node.children, node, [...path, node.name]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(collection.items, undefined, []);
}

export function findRequest(collection: SavedCollection, id: string): SavedRequestNode | undefined {
  const found = findNode(collection, id);
  return found?.node.kind === 'request' ? found.node : undefined;
}

/** Every request in tree order, with the names of its folders. */
export function allRequests(nodes: SavedCollection | readonly SavedNode[]): Array<{ request: SavedRequestNode; folderPath: string[] }> {
  const out: Array<{ request: SavedRequestNode; folderPath: string[] }> = [];
  const visit = (list: readonly SavedNode[], path: string[]): void => {
    for (const node of list) {
      if (node.kind === 'request') out.push({ request: node, folderPath: path });
      else visit(node.children, [...path, node.name]);
    }
  };
  visit(Array.isArray(nodes) ? (nodes as readonly SavedNode[]) : (nodes as SavedCollection).items, []);
  return out;
}

/** Every folder in tree order, with its path of names (including its own). */
export function allFolders(collection: SavedCollection): Array<{ folder: SavedFolderNode; path: string[] }> {
  const out: Array<{ folder: SavedFolderNode; path: string[] }> = [];
  const visit = (list: readonly SavedNode[], path: string[]): void => {
    for (const node of list) {
      if (node.kind === 'folder') {
        out.push({ folder: node, path: [...path, node.name] });
        visit(node.children, [...path, node.name]);
      }
    }
  };
  visit(collection.items, []);
  return out;
}

function containsId(node: SavedNode, id: string): boolean {
  if (node.id === id) return true;
  return node.kind === 'folder' && node.children.some((c) => containsId(c, id));
}

// ---------------------------------------------------------------------------------------------------
// Tree operations (pure: they return a new collection and never mutate the given one)

function cloneNode(node: SavedNode): SavedNode {
  if (node.kind === 'folder') return { kind: 'folder', id: node.id, name: node.name, children: node.children.map(cloneNode) };
  return requestNode(toSavedRequest(node));
}

function cloneCollection(collection: SavedCollection): SavedCollection {
  return { version: SAVED_REQUESTS_SCHEMA_VERSION, items: collection.items.map(cloneNode) };
}

/** The mutable children list of a folder (or the top level) inside a cloned collection. */
function childrenOf(collection: SavedCollection, folderId: string | undefined): SavedNode[] {
  if (folderId === undefined) return collection.items;
  const found = findNode(collection, folderId);
  if (!found) throw new SavedRequestsError('not-found', `There is no folder with id "${folderId}" (it may have been deleted).`);
  if (found.node.kind !== 'folder') throw new SavedRequestsError('invalid-operation', `"${found.node.name}" is a request, not a folder.`);
  return found.node.children;
}

function requireNode(collection: SavedCollection, id: string): NodeLocation {
  const found = findNode(collection, id);
  if (!found) throw new SavedRequestsError('not-found', `There is no saved request or folder with id "${id}" (it may have been deleted).`);
  return found;
}

function insertAt(list: SavedNode[], node: SavedNode, index: number | undefined): void {
  const at = index === undefined || index < 0 || index > list.length ? list.length : index;
  list.splice(at, 0, node);
}

function checkNewIds(collection: SavedCollection, node: SavedNode): void {
  const visit = (n: SavedNode): void => {
    if (findNode(collection, n.id)) throw new SavedRequestsError('invalid-operation', `The id "${n.id}" is already used by another saved item.`);
    if (n.kind === 'folder') n.children.forEach(visit);
  };
  visit(node);
}

/** Adds a node (request or folder) to a folder (or the top level), at `index` or at the end. */
export function addNode(collection: SavedCollection, node: SavedNode, parentId?: string, index?: number): SavedCollection {
  checkNewIds(collection, node);
  const next = cloneCollection(collection);
  insertAt(childrenOf(next, parentId), cloneNode(node), index);
  return next;
}

/**
 * Replaces the request with the same id (keeping its place), or adds it to `parentId` / the top level.
 * A request without `expect` / `capture` keeps the saved ones (an editor that does not show checks never
 * drops them); an empty list clears them.
 */
export function upsertRequest(collection: SavedCollection, request: SavedRequest, parentId?: string): SavedCollection {
  const existing = findNode(collection, request.id);
  if (!existing) return addNode(collection, requestNode(toSavedRequest(request)), parentId);
  if (existing.node.kind !== 'request') throw new SavedRequestsError('invalid-operation', `"${existing.node.name}" is a folder, not a request.`);
  const next = cloneCollection(collection);
  const list = childrenOf(next, existing.parent?.id);
  const kept = toSavedRequest(existing.node);
  const replacement = toSavedRequest({
    ...request,
    ...(request.expect === undefined && kept.expect !== undefined && { expect: kept.expect }),
    ...(request.capture === undefined && kept.capture !== undefined && { capture: kept.capture }),
  });
  list[existing.index] = requestNode(replacement);
  return next;
}

export function renameNode(collection: SavedCollection, id: string, name: string): SavedCollection {
  const trimmed = name.trim();
  if (!trimmed) throw new SavedRequestsError('invalid-operation', 'A name cannot be empty.');
  requireNode(collection, id);
  const next = cloneCollection(collection);
  const found = requireNode(next, id);
  childrenOf(next, found.parent?.id)[found.index] = { ...found.node, name: trimmed };
  return next;
}

function copyName(name: string, siblings: readonly SavedNode[]): string {
  const taken = new Set(siblings.map((s) => s.name));
  const base = `${name} copy`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** Copies a request or a folder (with new ids throughout) right after the original. */
export function duplicateNode(
  collection: SavedCollection,
  id: string,
  idFactory: (kind: 'request' | 'folder') => string = newId,
): { collection: SavedCollection; id: string } {
  const found = requireNode(collection, id);
  const withNewIds = (node: SavedNode): SavedNode =>
    node.kind === 'folder'
      ? { kind: 'folder', id: idFactory('folder'), name: node.name, children: node.children.map(withNewIds) }
      : requestNode({ ...toSavedRequest(node), id: idFactory('request') });
  const next = cloneCollection(collection);
  const list = childrenOf(next, found.parent?.id);
  const copy = { ...withNewIds(found.node), name: copyName(found.node.name, list) };
  list.splice(found.index + 1, 0, copy);
  return { collection: next, id: copy.id };
}

/**
 * Moves a node into `targetFolderId` (undefined: the top level) at `index` (default: the end). Moving
 * within the same parent reorders; `index` counts positions in the target list before the move.
 */
export function moveNode(collection: SavedCollection, id: string, targetFolderId: string | undefined, index?: number): SavedCollection {
  const found = requireNode(collection, id);
  if (targetFolderId !== undefined) {
    if (containsId(found.node, targetFolderId)) {
      throw new SavedRequestsError('invalid-operation', `Cannot move the folder "${found.node.name}" into itself or one of its subfolders.`);
    }
    const target = findNode(collection, targetFolderId);
    if (!target) throw new SavedRequestsError('not-found', `There is no folder with id "${targetFolderId}" (it may have been deleted).`);
    if (target.node.kind !== 'folder') throw new SavedRequestsError('invalid-operation', `"${target.node.name}" is a request, not a folder.`);
  }
  const next = cloneCollection(collection);
  const source = childrenOf(next, found.parent?.id);
  const [moved] = source.splice(found.index, 1);
  const target = childrenOf(next, targetFolderId);
  let at = index;
  if (at !== undefined && source === target && found.index < at) at -= 1;
  insertAt(target, moved, at);
  return next;
}

/** Moves a node to `index` within its own parent. */
export function reorderNode(collection: SavedCollection, id: string, index: number): SavedCollection {
  const found = requireNode(collection, id);
  const next = cloneCollection(collection);
  const list = childrenOf(next, found.parent?.id);
  const [moved] = list.splice(found.index, 1);
  insertAt(list, moved, Math.max(0, Math.min(index, list.length)));
  return next;
}

/** Removes a node (a folder with everything in it). */
export function deleteNode(collection: SavedCollection, id: string): SavedCollection {
  const found = requireNode(collection, id);
  const next = cloneCollection(collection);
  childrenOf(next, found.parent?.id).splice(found.index, 1);
  return next;
}

/** Appends imported nodes, giving fresh ids to any that collide with existing ones. */
export function appendImported(
  collection: SavedCollection,
  nodes: readonly SavedNode[],
  parentId?: string,
  idFactory: (kind: 'request' | 'folder') => string = newId,
): SavedCollection {
  const used = new Set<string>();
  const remember = (list: readonly SavedNode[]): void => {
    for (const n of list) {
      used.add(n.id);
      if (n.kind === 'folder') remember(n.children);
    }
  };
  remember(collection.items);
  const fresh = (node: SavedNode): SavedNode => {
    let id = node.id;
    while (!id || used.has(id)) id = idFactory(node.kind);
    used.add(id);
    return node.kind === 'folder'
      ? { kind: 'folder', id, name: node.name, children: node.children.map(fresh) }
      : requestNode({ ...toSavedRequest(node), id });
  };
  const next = cloneCollection(collection);
  const list = childrenOf(next, parentId);
  for (const node of nodes) list.push(fresh(node));
  return next;
}
