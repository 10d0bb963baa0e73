// requests.json as text: parsing and validation (versions 1, 2 and 3; an older file is read as it always
// was and written as version 3 when next saved), the refusal of literal secrets, and a stable serialisation
// (fixed key order, 2-space JSON, trailing newline, JSON bodies as JSON and other bodies as lines — see
// savedRequestBody.ts) for clean diffs and merges. No `vscode` here.
import { HTTP_METHODS } from './model';
import type { AuthMode, HttpMethod, KeyValue, SavedRequest } from './model';
import { describeJsonError, parseJsonWithLocation } from './jsonLocation';
import { findSecrets } from './secretGuard';
import { orderedCapture, orderedCheck, validateCaptures, validateChecks } from './checks';
import { bodyFromFile, bodyToFile } from './savedRequestBody';
import { emptyCollection, requestNode, SAVED_REQUESTS_SCHEMA_VERSION } from './savedRequests';
import type { SavedCollection, SavedNode } from './savedRequests';

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

// ---------------------------------------------------------------------------------------------------
// Validation

const REQUEST_KEYS = new Set(['kind', 'id', 'name', 'description', 'method', 'url', 'auth', 'query', 'headers', 'body', 'bodyLines', 'expect', 'capture']);
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
  const body = bodyFromFile(raw, at, fileVersion, errors);
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
    ...(body !== undefined && { body }),
    ...(expect !== undefined && { expect }),
    ...(capture !== undefined && { capture }),
  };
  return refuseSecrets(at, value);
}

/** A request that holds a literal secret (a bearer token, an API key) is refused: the file must never hold one. */
function refuseSecrets(at: string, value: SavedRequest): Validation<SavedRequest> {
  const secrets = findSecrets(value);
  if (!secrets.length) return { ok: true, value };
  return {
    ok: false,
    errors: [
      `${at}: ${secrets.map((s) => `${s.where} ${s.reason}`).join('; ')}. Remove it and use "auth": "bearer" instead — the file must never hold a secret.`,
    ],
  };
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
  if (raw.version !== 1 && raw.version !== 2 && raw.version !== SAVED_REQUESTS_SCHEMA_VERSION) {
    if (typeof raw.version === 'number' && raw.version > SAVED_REQUESTS_SCHEMA_VERSION) {
      return {
        ok: false,
        errors: [`The file uses schema version ${raw.version}, written by a newer StudyTeam extension. Update the extension to open it.`],
      };
    }
    return { ok: false, errors: [`"version" must be ${SAVED_REQUESTS_SCHEMA_VERSION} (or 2 or 1, the formats before it).`] };
  }
  const errors: string[] = [];
  for (const key of Object.keys(raw)) if (key !== 'version' && key !== 'items') errors.push(`The file has an unknown top-level property "${key}".`);
  const items = validateNodes(raw.items, 'items', 0, new Set(), errors, raw.version);
  return errors.length ? { ok: false, errors } : { ok: true, value: { version: SAVED_REQUESTS_SCHEMA_VERSION, items } };
}

export type ParseCollectionResult =
  /** `fileVersion`: the version the file was written in (absent for an empty file); older than the current one means it is migrated on the next save. */
  | { ok: true; value: SavedCollection; fileVersion?: number }
  | { ok: false; errors: string[]; line?: number; column?: number };

/** Parses file text: JSON syntax errors carry line and column; an empty file is an empty collection. */
export function parseCollection(text: string): ParseCollectionResult {
  if (!text.replace(/^\uFEFF/, '').trim()) return { ok: true, value: emptyCollection() };
  const parsed = parseJsonWithLocation(text);
  if (!parsed.ok) {
    const hint = unquotedPlaceholderHint(text, parsed.offset);
    return { ok: false, errors: [`${describeJsonError(parsed)}${hint ?? ''}`], line: parsed.line, column: parsed.column };
  }
  const checked = validateCollection(parsed.value);
  return checked.ok ? { ok: true, value: checked.value, fileVersion: (parsed.value as { version: number }).version } : checked;
}

/**
 * When a syntax error is at a {{placeholder}} written without quotes (typed by hand into a JSON "body", where
 * `"limit": {{limit}}` is not JSON), how to write it instead; else undefined.
 */
function unquotedPlaceholderHint(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  const column = offset - lineStart;
  for (const m of line.matchAll(/(^\s*|[:,[]\s*)(\{\{[^{}"\n]*\}\})/g)) {
    const start = (m.index ?? 0) + m[1].length;
    if (column < start || column > start + m[2].length) continue;
    const placeholder = m[2];
    return (
      ` — ${placeholder} is not in quotes, so the file is not JSON. In a "body", write "${placeholder}" (in quotes) if the API takes` +
      ` a string there; for a number or true/false, keep the body as text in "bodyLines" (its lines, each a JSON string),` +
      ` as StudyTeam saves such a body.`
    );
  }
  return undefined;
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
  Object.assign(out, bodyToFile(node.body));
  if (node.expect && node.expect.length) out.expect = node.expect.map(orderedCheck);
  if (node.capture && node.capture.length) out.capture = node.capture.map(orderedCapture);
  return out;
}

/** 2-space JSON, fixed key order, trailing newline; always the current version (an older file is migrated here). */
export function serializeCollection(collection: SavedCollection): string {
  return `${JSON.stringify({ version: SAVED_REQUESTS_SCHEMA_VERSION, items: collection.items.map(orderedNode) }, null, 2)}\n`;
}
