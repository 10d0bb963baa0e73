// The saved-requests model: a versioned collection of folders and requests, kept in a workspace file
// (.studyteam/requests.json) that teams commit. The types, ids and read-only queries live here; reading
// and writing the file is in savedRequestsFile.ts, the pure tree operations in collectionEdits.ts.
// No `vscode` here.
import type { ErrorAction } from './errors';
import { randomBytes } from 'node:crypto';
import type { SavedRequest } from './model';
import { cloneCheck } from './checks';

/**
 * Version 2 added `expect` and `capture`; version 3 stores a JSON body as JSON and any other body as a list of
 * lines (`bodyLines`). Version 1 and 2 files still load; they are written as version 3 when next saved.
 */
export const SAVED_REQUESTS_SCHEMA_VERSION = 3;

export interface SavedFolder {
  id: string;
  name: string;
  children: SavedNode[];
}
export type SavedRequestNode = { kind: 'request' } & SavedRequest;
export type SavedFolderNode = { kind: 'folder' } & SavedFolder;
export type SavedNode = SavedRequestNode | SavedFolderNode;
export interface SavedCollection {
  /** Always the current version in memory; an older file is migrated when it is next written. */
  version: typeof SAVED_REQUESTS_SCHEMA_VERSION;
  items: SavedNode[];
}

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
