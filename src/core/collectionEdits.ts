// Pure tree operations on a saved collection: each returns a new collection and never mutates the given
// one; an operation that does not fit throws a SavedRequestsError with its kind. No `vscode` here.
import type { SavedRequest } from './model';
import { findNode, newId, requestNode, SAVED_REQUESTS_SCHEMA_VERSION, SavedRequestsError, toSavedRequest } from './savedRequests';
import type { NodeLocation, SavedCollection, SavedNode } from './savedRequests';

function containsId(node: SavedNode, id: string): boolean {
  if (node.id === id) return true;
  return node.kind === 'folder' && node.children.some((c) => containsId(c, id));
}

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
