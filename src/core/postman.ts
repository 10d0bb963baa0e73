// Postman collection v2.1 ⇄ saved requests. Folders stay folders; bearer auth (on the collection, a
// folder or the request, inherited like Postman does) becomes auth mode "bearer" and the token value is
// never kept; noauth becomes "none". Export writes {{baseUrl}} URLs and a collection-level bearer auth
// with {{token}}, and an environment's baseUrl and non-secret variables as a Postman environment file.
// No `vscode` here.
import { postmanTestScript } from './postmanChecks';
import { randomUUID } from 'node:crypto';
import { HTTP_METHODS } from './model';
import type { AuthMode, HttpMethod, KeyValue, SavedRequest } from './model';
import { allRequests, newId, requestNode } from './savedRequests';
import type { SavedNode } from './savedRequests';
import { isSensitiveHeader, looksLikeToken } from './redaction';
import { findSecrets } from './secretGuard';
import { joinUrl, splitPathAndQueryRows } from './urlParts';

export const POSTMAN_SCHEMA_V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface PostmanImport {
  readonly name: string;
  readonly items: SavedNode[];
  /** Collection variables that are not secret-looking (baseUrl, siteId, …). */
  readonly variables: Record<string, string>;
  readonly warnings: string[];
}

export type PostmanImportResult = ({ ok: true } & PostmanImport) | { ok: false; error: string };

type Json = Record<string, unknown>;
function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** undefined: inherit from the parent. */
type AuthChoice = AuthMode | undefined;

function authOf(raw: unknown, where: string, warnings: string[]): AuthChoice {
  if (raw === undefined) return undefined;
  if (raw === null) return undefined; // Postman writes null for "inherit" in some exports.
  if (!isRecord(raw)) return undefined;
  const type = str(raw.type);
  if (type === 'bearer') return 'bearer';
  if (type === 'noauth') return 'none';
  if (type === 'oauth2') {
    warnings.push(`${where}: OAuth 2.0 auth is imported as "bearer" (the environment's client-credentials token).`);
    return 'bearer';
  }
  if (type) warnings.push(`${where}: "${type}" auth is not supported and was dropped (saved requests never hold credentials).`);
  return type ? 'none' : undefined;
}

function descriptionOf(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw || undefined;
  if (isRecord(raw) && typeof raw.content === 'string') return raw.content || undefined;
  return undefined;
}

function relativeFrom(host: string, path: string, baseUrl: string | undefined): string | undefined {
  if (/^\{\{\s*[\w.$-]+\s*\}\}$/.test(host)) return path || '/';
  if (baseUrl) {
    const base = baseUrl.replace(/\/+$/, '');
    const full = `${host}${path}`;
    if (full === base) return '/';
    if (full.startsWith(`${base}/`)) return full.slice(base.length);
  }
  return undefined;
}

/** Postman ":param" path segments become {{param}} so variables fill them. */
function pathParams(path: string): string {
  return path.replace(/(^|\/):([A-Za-z_][\w-]*)/g, '$1{{$2}}');
}

function urlOf(raw: unknown, baseUrl: string | undefined): { url: string; query: KeyValue[] } {
  if (typeof raw === 'string') {
    const { url, query } = splitPathAndQueryRows(raw);
    const m = /^(\{\{\s*[\w.$-]+\s*\}\}|[a-z][a-z0-9+.-]*:\/\/[^/?#]+)(.*)$/i.exec(url);
    const relative = m ? relativeFrom(m[1], m[2], baseUrl) : undefined;
    return { url: pathParams(relative ?? url), query };
  }
  if (!isRecord(raw)) return { url: '/', query: [] };
  const rawText = str(raw.raw) ?? '';
  const hostParts = Array.isArray(raw.host) ? raw.host.map((h) => str(h) ?? '') : typeof raw.host === 'string' ? [raw.host] : [];
  const protocol = str(raw.protocol);
  const port = str(raw.port);
  const pathParts = Array.isArray(raw.path)
    ? raw.path.map((p) => (isRecord(p) ? str(p.value) ?? '' : str(p) ?? ''))
    : typeof raw.path === 'string'
      ? raw.path.split('/').filter(Boolean)
      : undefined;
  let query: KeyValue[];
  if (Array.isArray(raw.query)) {
    query = raw.query.filter(isRecord).map((q) => {
      const row: KeyValue = { name: str(q.key) ?? '', value: str(q.value) ?? '' };
      return q.disabled === true ? { ...row, enabled: false } : row;
    });
  } else query = splitPathAndQueryRows(rawText).query;
  if (hostParts.length === 0 && pathParts === undefined) {
    const fromRaw = urlOf(rawText, baseUrl);
    return { url: fromRaw.url, query };
  }
  const host = hostParts.join('.');
  const path = pathParts && pathParts.length ? `/${pathParts.join('/')}` : '';
  const origin = `${protocol ? `${protocol}://` : /^\{\{/.test(host) ? '' : 'https://'}${host}${port ? `:${port}` : ''}`;
  const relative = relativeFrom(origin, path, baseUrl);
  return { url: pathParams(relative ?? `${origin}${path}`), query };
}

function bodyOf(raw: unknown, where: string, headers: KeyValue[], warnings: string[]): string | undefined {
  if (!isRecord(raw)) return undefined;
  const mode = str(raw.mode);
  const has = (name: string): boolean => headers.some((h) => h.name.toLowerCase() === name);
  if (mode === 'raw') {
    const text = str(raw.raw);
    const language = isRecord(raw.options) && isRecord(raw.options.raw) ? str(raw.options.raw.language) : undefined;
    if (text && language === 'json' && !has('content-type')) headers.push({ name: 'Content-Type', value: 'application/json' });
    return text || undefined;
  }
  if (mode === 'urlencoded' && Array.isArray(raw.urlencoded)) {
    const rows = raw.urlencoded.filter(isRecord).filter((r) => r.disabled !== true);
    if (!has('content-type')) headers.push({ name: 'Content-Type', value: 'application/x-www-form-urlencoded' });
    return rows.map((r) => `${encodeURIComponent(str(r.key) ?? '')}=${encodeURIComponent(str(r.value) ?? '')}`).join('&') || undefined;
  }
  if (mode === 'graphql' && isRecord(raw.graphql)) {
    if (!has('content-type')) headers.push({ name: 'Content-Type', value: 'application/json' });
    const variablesText = str(raw.graphql.variables);
    let variables: unknown;
    try {
      variables = variablesText ? JSON.parse(variablesText) : undefined;
    } catch {
      variables = undefined;
    }
    return JSON.stringify({ query: str(raw.graphql.query) ?? '', ...(variables !== undefined ? { variables } : {}) }, null, 2);
  }
  if (mode) warnings.push(`${where}: the "${mode}" body is not supported and was dropped.`);
  return undefined;
}

/** Parses a Postman v2.1 (or v2.0) collection: text or already-parsed JSON. */
/** The `listen` kinds ("test", "prerequest") of events that carry a non-empty script. */
function scriptsOf(events: unknown): string[] {
  if (!Array.isArray(events)) return [];
  const out: string[] = [];
  for (const e of events) {
    if (!isRecord(e) || !isRecord(e.script)) continue;
    const exec = e.script.exec;
    const code = Array.isArray(exec) ? exec.join('\n') : typeof exec === 'string' ? exec : '';
    const listen = str(e.listen) ?? 'script';
    if (code.trim() && !out.includes(listen)) out.push(listen);
  }
  return out;
}

export function parsePostmanCollection(
  input: string | unknown,
  options: { baseUrl?: string; idFactory?: (kind: 'request' | 'folder') => string } = {},
): PostmanImportResult {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch {
      return { ok: false, error: 'The file is not valid JSON, so it is not a Postman collection.' };
    }
  }
  if (!isRecord(raw) || !isRecord(raw.info) || !Array.isArray(raw.item)) {
    return { ok: false, error: 'This is not a Postman collection (expected "info" and "item"). Export it from Postman as Collection v2.1.' };
  }
  const schema = str(raw.info.schema) ?? '';
  if (schema && !/collection\/v2\.[01]\.\d/.test(schema)) {
    return { ok: false, error: `Only Postman collections v2.0/v2.1 can be imported (this one says ${schema}).` };
  }
  const idFactory = options.idFactory ?? newId;
  const warnings: string[] = [];
  const variables: Record<string, string> = {};
  if (Array.isArray(raw.variable)) {
    for (const v of raw.variable.filter(isRecord)) {
      const key = str(v.key);
      const value = str(v.value) ?? '';
      if (!key) continue;
      if (looksLikeToken(value) || /token|secret|password|api[-_]?key/i.test(key)) {
        if (value) warnings.push(`The collection variable "${key}" looks secret and was not imported.`);
        continue;
      }
      variables[key] = value;
    }
  }
  const baseUrl = options.baseUrl;

  const convert = (items: readonly unknown[], inherited: AuthMode, path: string): SavedNode[] => {
    const out: SavedNode[] = [];
    for (const item of items) {
      if (!isRecord(item)) continue;
      const name = str(item.name)?.trim() || 'Untitled';
      const where = `"${path ? `${path}/` : ''}${name}"`;
      if (Array.isArray(item.item)) {
        const auth = authOf(item.auth, where, warnings) ?? inherited;
        out.push({ kind: 'folder', id: idFactory('folder'), name, children: convert(item.item, auth, path ? `${path}/${name}` : name) });
        continue;
      }
      const req = item.request;
      if (req === undefined) continue;
      for (const listen of scriptsOf(item.event)) {
        warnings.push(
          listen === 'test'
            ? `${where}: its Postman tests (JavaScript) cannot be converted — add checks to the saved request instead (status, JSON path, header, response time).`
            : `${where}: its Postman ${listen} script (JavaScript) cannot be converted and was dropped.`,
        );
      }
      const r: Json = typeof req === 'string' ? { url: req, method: 'GET' } : isRecord(req) ? req : {};
      const method = (str(r.method) ?? 'GET').toUpperCase();
      if (!(HTTP_METHODS as readonly string[]).includes(method)) {
        warnings.push(`Skipped ${where}: the method ${method} is not supported.`);
        continue;
      }
      let auth: AuthMode = authOf(r.auth, where, warnings) ?? inherited;
      const headers: KeyValue[] = [];
      for (const h of Array.isArray(r.header) ? r.header.filter(isRecord) : []) {
        const hName = str(h.key) ?? '';
        const hValue = str(h.value) ?? '';
        if (!hName) continue;
        if (hName.toLowerCase() === 'authorization') {
          if (/^\s*Bearer\b/i.test(hValue) && h.disabled !== true) auth = 'bearer';
          if (!/^\s*Bearer\s+\{\{[^}]+\}\}\s*$/i.test(hValue) || h.disabled === true) {
            warnings.push(`${where}: the Authorization header was dropped (saved requests never hold credentials).`);
          }
          continue;
        }
        if ((isSensitiveHeader(hName) && !/^\s*\{\{[^}]+\}\}\s*$/.test(hValue)) || looksLikeToken(hValue)) {
          warnings.push(`${where}: the header "${hName}" looked like a credential and was dropped.`);
          continue;
        }
        headers.push(h.disabled === true ? { name: hName, value: hValue, enabled: false } : { name: hName, value: hValue });
      }
      const { url, query } = urlOf(r.url, baseUrl);
      const body = bodyOf(r.body, where, headers, warnings);
      const id = idFactory('request');
      const description = descriptionOf(r.description) ?? descriptionOf(item.description);
      const request: SavedRequest = {
        id,
        name,
        method: method as HttpMethod,
        url,
        auth,
        ...(description && { description }),
        ...(query.length > 0 && { query }),
        ...(headers.length > 0 && { headers }),
        ...(body !== undefined && { body }),
      };
      out.push(requestNode(request));
    }
    return out;
  };

  const rootAuth = authOf(raw.auth, 'The collection', warnings) ?? 'none';
  const items = convert(raw.item, rootAuth, '');
  return { ok: true, name: str(raw.info.name) ?? 'Imported collection', items, variables, warnings };
}

export interface PostmanExportOptions {
  readonly name: string;
  /**
   * Value of the {{baseUrl}} collection variable; none when undefined (e.g. a temporary sandbox URL:
   * the environment file carries it instead, and Postman's environment values win over the collection's).
   */
  readonly baseUrl?: string;
  /** Extra non-secret collection variables. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Stable _postman_id (tests); random otherwise. */
  readonly postmanId?: string;
}

function isAbsolute(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith('{{');
}

function postmanUrl(request: SavedRequest): Json {
  const enabled = request.query ?? [];
  const base = isAbsolute(request.url) ? request.url : `{{baseUrl}}${request.url.startsWith('/') ? '' : '/'}${request.url}`;
  const out: Json = { raw: joinUrl(base, enabled) };
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#:]+)(?::(\d+))?([^?#]*)$/i.exec(base) ?? /^()(\{\{[^}]+\}\})()([^?#]*)$/.exec(base);
  if (m) {
    if (m[1]) out.protocol = m[1];
    out.host = m[1] ? m[2].split('.') : [m[2]];
    if (m[3]) out.port = m[3];
    out.path = m[4].split('/').filter(Boolean);
  }
  if (enabled.length) {
    out.query = enabled.map((q) => (q.enabled === false ? { key: q.name, value: q.value, disabled: true } : { key: q.name, value: q.value }));
  }
  return out;
}

function toPostmanItem(node: SavedNode): Json {
  if (node.kind === 'folder') return { name: node.name, item: node.children.map(toPostmanItem) };
  const request: Json = { method: node.method };
  if (node.auth === 'none') request.auth = { type: 'noauth' };
  request.header = (node.headers ?? []).map((h) => (h.enabled === false ? { key: h.name, value: h.value, disabled: true } : { key: h.name, value: h.value }));
  if (node.body !== undefined && node.body !== '') {
    const isJson = (node.headers ?? []).some((h) => h.name.toLowerCase() === 'content-type' && /json/i.test(h.value)) || /^\s*[[{]/.test(node.body);
    request.body = isJson ? { mode: 'raw', raw: node.body, options: { raw: { language: 'json' } } } : { mode: 'raw', raw: node.body };
  }
  request.url = postmanUrl(node);
  if (node.description) request.description = node.description;
  const tests = postmanTestScript(node.expect, node.capture);
  if (tests.length) return { name: node.name, event: [{ listen: 'test', script: { type: 'text/javascript', exec: tests } }], request, response: [] };
  return { name: node.name, request, response: [] };
}

/** A Postman v2.1 collection (as an object; JSON.stringify it with 2 spaces for a file). */
export function toPostmanCollection(nodes: readonly SavedNode[], options: PostmanExportOptions): Json {
  const variable: Json[] = options.baseUrl === undefined ? [] : [{ key: 'baseUrl', value: options.baseUrl, type: 'string' }];
  for (const [key, value] of Object.entries(options.variables ?? {})) {
    if (key !== 'baseUrl' && key !== 'token') variable.push({ key, value, type: 'string' });
  }
  variable.push({ key: 'token', value: '', type: 'string' });
  const usesBearer = allRequests(nodes).some(({ request }) => request.auth === 'bearer');
  return {
    info: {
      _postman_id: options.postmanId ?? newId('folder').slice(4),
      name: options.name,
      description: 'Exported from StudyTeam for VS Code. Set {{token}} to an access token (never commit it).',
      schema: POSTMAN_SCHEMA_V21,
    },
    item: nodes.map(toPostmanItem),
    ...(usesBearer ? { auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] } } : {}),
    variable,
  };
}

export interface PostmanEnvironmentOptions {
  /** The environment's name, e.g. "Staging". */
  readonly name: string;
  readonly baseUrl: string;
  /** The environment's non-secret variables; anything secret-looking is left out all the same. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Stable id and time (tests); random and now otherwise. */
  readonly postmanId?: string;
  readonly exportedAt?: string;
}

const SECRET_VARIABLE_NAME = /token|secret|password|passw|api_?key|client_?id|credential|cookie|session/i;

/** True for names or values that must never be exported (the token has its own, empty, secret entry). */
export function isSecretVariable(name: string, value: string): boolean {
  return SECRET_VARIABLE_NAME.test(name) || looksLikeToken(value) || findSecrets({ url: '', headers: [{ name: 'X', value }] }).length > 0;
}

/**
 * A Postman environment file (the format Postman's "Import" reads): baseUrl, the environment's
 * non-secret variables, and an empty secret-typed `token` to fill in inside Postman.
 */
export function toPostmanEnvironment(options: PostmanEnvironmentOptions): Json {
  const values: Json[] = [{ key: 'baseUrl', value: options.baseUrl, type: 'default', enabled: true }];
  for (const [key, value] of Object.entries(options.variables ?? {})) {
    if (key === 'baseUrl' || key === 'token' || isSecretVariable(key, value)) continue;
    values.push({ key, value, type: 'default', enabled: true });
  }
  values.push({ key: 'token', value: '', type: 'secret', enabled: true });
  return {
    id: options.postmanId ?? randomUUID(),
    name: options.name,
    values,
    _postman_variable_scope: 'environment',
    _postman_exported_at: options.exportedAt ?? new Date().toISOString(),
    _postman_exported_using: 'StudyTeam for VS Code',
  };
}
