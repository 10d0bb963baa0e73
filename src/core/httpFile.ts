// Import and export of .http / .rest files (REST Client and httpYac format):
//   @baseUrl = https://staging.api.studyteamapp.com      file variables
//   ### List sites                                       request separator (text after it: a name)
//   # @name List sites                                   or // @name …
//   GET {{baseUrl}}/rpi/sites HTTP/1.1                   request line (method optional → GET)
//       ?limit=10                                        query continuation lines
//   Authorization: Bearer {{token}}                      → auth "bearer" (the header is dropped)
//   Content-Type: application/json                       headers until a blank line
//                                                        blank line, then the body
// No `vscode` here.
import { HTTP_METHODS } from './model';
import type { HttpMethod, KeyValue } from './model';
import { allRequests, newId, requestNode } from './savedRequests';
import type { SavedFolderNode, SavedNode, SavedRequest, SavedRequestNode } from './savedRequests';
import { looksLikeToken } from './redaction';
import { splitUrl, joinUrl } from './urlParts';

export interface HttpFileImport {
  /** Requests in file order; `# @folder A/B` comments rebuild folders. */
  readonly items: SavedNode[];
  /** File variables (`@name = value`), e.g. baseUrl. */
  readonly variables: Record<string, string>;
  /** Things that were dropped or not understood, each naming the request. Never a secret value. */
  readonly warnings: string[];
}

export interface HttpImportOptions {
  /** URLs on this origin become paths relative to the environment's baseUrl. */
  readonly baseUrl?: string;
  readonly idFactory?: (kind: 'request' | 'folder') => string;
}

const SEPARATOR = /^\s*###(.*)$/;
const FILE_VARIABLE = /^\s*@([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/;
const META = /^\s*(?:#+|\/{2,})\s*@([\w-]+)(?:\s*[=:]?\s*(.*?))?\s*$/;
const COMMENT = /^\s*(?:#|\/\/)/;
const REQUEST_LINE = new RegExp(`^\\s*(?:(${HTTP_METHODS.join('|')})\\s+)?(\\S+?)(?:\\s+HTTP\\/[\\d.]+)?\\s*$`, 'i');
const OTHER_METHOD_LINE = /^\s*([A-Z]+)\s+(https?:\/\/\S+|\{\{\S+|\/\S*)/;
const HEADER = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s?(.*?)\s*$/;
const DISABLED_HEADER = /^\s*#\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s?(.*?)\s*$/;
const QUERY_CONTINUATION = /^\s+[?&]/;
const BEARER_HEADER_VALUE = /^\s*Bearer\b/i;

/** Turns `{{baseUrl}}/x`, `{{host}}/x` (a file variable holding a URL) or `<baseUrl origin>/x` into `/x`. */
function toRelativeUrl(url: string, fileVars: Readonly<Record<string, string>>, baseUrl: string | undefined): string {
  const leadingVar = /^\{\{\s*([\w.$-]+)\s*\}\}(.*)$/.exec(url);
  if (leadingVar) {
    const [, name, rest] = leadingVar;
    const value = fileVars[name];
    const isBase = name === 'baseUrl' || name === 'host' || name === 'baseURL' || (value !== undefined && /^https?:\/\//i.test(value));
    if (isBase && (rest === '' || rest.startsWith('/') || rest.startsWith('?'))) return rest === '' ? '/' : rest;
    return url;
  }
  if (baseUrl) {
    const base = baseUrl.replace(/\/+$/, '');
    if (url === base) return '/';
    if (url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) return url.slice(base.length);
  }
  return url;
}

function makeName(method: HttpMethod, url: string): string {
  const path = url.split('?')[0] || url;
  return `${method} ${path}`;
}

interface Block {
  readonly title: string | undefined;
  readonly lines: string[];
}

function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block = { title: undefined, lines: [] };
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const sep = SEPARATOR.exec(line);
    if (sep) {
      blocks.push(current);
      const title = sep[1].trim().replace(/^#+\s*/, '');
      current = { title: title || undefined, lines: [] };
    } else current.lines.push(line);
  }
  blocks.push(current);
  return blocks;
}

/** Parses a .http / .rest file into saved requests. */
export function parseHttpFile(text: string, options: HttpImportOptions = {}): HttpFileImport {
  const idFactory = options.idFactory ?? newId;
  const variables: Record<string, string> = {};
  const warnings: string[] = [];
  const items: SavedNode[] = [];
  const folders = new Map<string, SavedFolderNode>();

  const placeIn = (folderPath: string | undefined, node: SavedRequestNode): void => {
    if (!folderPath) {
      items.push(node);
      return;
    }
    let list = items;
    let key = '';
    for (const part of folderPath.split('/').map((p) => p.trim()).filter(Boolean)) {
      key = key ? `${key}/${part}` : part;
      let folder = folders.get(key);
      if (!folder) {
        folder = { kind: 'folder', id: idFactory('folder'), name: part, children: [] };
        folders.set(key, folder);
        list.push(folder);
      }
      list = folder.children;
    }
    list.push(node);
  };

  for (const block of splitBlocks(text)) {
    let name: string | undefined;
    let description: string | undefined;
    let folder: string | undefined;
    let i = 0;
    let requestLine: RegExpExecArray | undefined;
    // Preamble: file variables, comments and @meta before the request line.
    for (; i < block.lines.length; i++) {
      const line = block.lines[i];
      if (!line.trim()) continue;
      const variable = FILE_VARIABLE.exec(line);
      if (variable) {
        variables[variable[1]] = variable[2];
        continue;
      }
      const meta = META.exec(line);
      if (meta) {
        const key = meta[1].toLowerCase();
        const value = (meta[2] ?? '').trim();
        if (key === 'name' && value) name = value;
        else if ((key === 'description' || key === 'title') && value) {
          if (key === 'title' && !name) name = value;
          else description = description ? `${description}\n${value}` : value;
        } else if (key === 'folder' && value) folder = value;
        continue;
      }
      if (COMMENT.test(line)) continue;
      const m = REQUEST_LINE.exec(line);
      if (m && (m[1] || /^(https?:\/\/|\{\{)/i.test(m[2]))) {
        requestLine = m;
        i++;
        break;
      }
      const other = OTHER_METHOD_LINE.exec(line);
      const label = name ?? block.title ?? `line "${line.trim().slice(0, 40)}"`;
      warnings.push(
        other ? `Skipped "${label}": the method ${other[1]} is not supported.` : `Skipped "${label}": no request line (METHOD URL) was found.`,
      );
      requestLine = undefined;
      i = block.lines.length;
      break;
    }
    if (!requestLine) continue;

    const method = (requestLine[1] ?? 'GET').toUpperCase() as HttpMethod;
    let rawUrl = requestLine[2];
    // Multi-line query: lines starting with whitespace then ? or &.
    while (i < block.lines.length && QUERY_CONTINUATION.test(block.lines[i])) {
      rawUrl += block.lines[i].trim();
      i++;
    }
    const requestName = name ?? block.title ?? makeName(method, toRelativeUrl(rawUrl, variables, options.baseUrl));

    const headers: KeyValue[] = [];
    let auth: 'bearer' | 'none' = 'none';
    for (; i < block.lines.length; i++) {
      const line = block.lines[i];
      if (!line.trim()) {
        i++;
        break;
      }
      const disabled = DISABLED_HEADER.exec(line);
      if (disabled && !META.test(line)) {
        headers.push({ name: disabled[1], value: disabled[2], enabled: false });
        continue;
      }
      if (COMMENT.test(line)) continue;
      const header = HEADER.exec(line);
      if (!header) {
        // REST Client also allows a body right after the headers without a blank line only for
        // file references; treat anything else as the start of the body.
        break;
      }
      const [, headerName, value] = header;
      if (headerName.toLowerCase() === 'authorization') {
        if (BEARER_HEADER_VALUE.test(value)) {
          auth = 'bearer';
          if (!/^\s*Bearer\s+\{\{[^}]+\}\}\s*$/i.test(value)) {
            warnings.push(`"${requestName}": a literal bearer token was dropped; the request uses the environment's token instead.`);
          }
        } else {
          warnings.push(`"${requestName}": the Authorization header (not Bearer) was dropped; saved requests never hold credentials.`);
        }
        continue;
      }
      if (looksLikeToken(value)) {
        warnings.push(`"${requestName}": the header "${headerName}" looked like a token and was dropped.`);
        continue;
      }
      headers.push({ name: headerName, value });
    }
    const bodyLines = block.lines.slice(i);
    while (bodyLines.length && !bodyLines[bodyLines.length - 1].trim()) bodyLines.pop();
    // Trailing comment lines (e.g. the next request's "# @name" before a missing ###) are not body.
    const body = bodyLines.join('\n');
    if (/^\s*<\s+\S/.test(body)) warnings.push(`"${requestName}": the body refers to a file ("< path"), which is imported as text.`);

    const { url, query } = splitUrl(toRelativeUrl(rawUrl, variables, options.baseUrl));
    const request: SavedRequest = { id: idFactory('request'), name: requestName, method, url, auth };
    if (description) request.description = description;
    if (query.length) request.query = query;
    if (headers.length) request.headers = headers;
    if (body) request.body = body;
    placeIn(folder, requestNode(request));
  }
  return { items, variables, warnings };
}

export interface HttpExportOptions {
  /** Written as `@baseUrl = …` at the top. */
  readonly baseUrl?: string;
  /** Extra non-secret file variables (written after baseUrl). */
  readonly variables?: Readonly<Record<string, string>>;
  /** A first comment line, e.g. the collection or folder name. */
  readonly title?: string;
}

/** Writes requests (folders flattened, each request tagged `# @folder A/B`) as a .http file. */
export function toHttpFile(nodes: readonly SavedNode[], options: HttpExportOptions = {}): string {
  const out: string[] = [];
  out.push(`# ${options.title ?? 'StudyTeam saved requests'} — exported from StudyTeam for VS Code`);
  out.push('# Requests with auth "bearer" send `Authorization: Bearer {{token}}`; define @token (never commit it).');
  out.push('');
  out.push(`@baseUrl = ${options.baseUrl ?? 'https://staging.api.studyteamapp.com'}`);
  for (const [name, value] of Object.entries(options.variables ?? {})) {
    if (name !== 'baseUrl' && name !== 'token') out.push(`@${name} = ${value}`);
  }
  for (const { request, folderPath } of allRequests(nodes)) {
    out.push('');
    out.push(`### ${request.name}`);
    out.push(`# @name ${request.name}`);
    if (folderPath.length) out.push(`# @folder ${folderPath.join('/')}`);
    for (const line of (request.description ?? '').split(/\r?\n/)) if (line.trim()) out.push(`# @description ${line}`);
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(request.url) || request.url.startsWith('{{');
    const base = absolute ? request.url : `{{baseUrl}}${request.url.startsWith('/') ? '' : '/'}${request.url}`;
    out.push(`${request.method} ${joinUrl(base, request.query ?? [])}`);
    if (request.auth === 'bearer') out.push('Authorization: Bearer {{token}}');
    for (const h of request.headers ?? []) out.push(h.enabled === false ? `# ${h.name}: ${h.value}` : `${h.name}: ${h.value}`);
    if (request.body) {
      out.push('');
      out.push(request.body.replace(/\r\n/g, '\n'));
    }
  }
  return `${out.join('\n')}\n`;
}
