// Import and export of .http / .rest files (REST Client and httpYac format). The syntax is read by
// httpFileSyntax.ts; here the blocks become saved requests that run against the active environment:
// - `### Read events` is the request's name (`# @name` is REST Client's chaining id: a fallback only);
// - URLs on the environment's API (`{{baseUrl}}/…`, `{{host}}/…`, the API's own origin, a StudyTeam
//   host) become relative, so they run against whichever environment is active;
// - calls to the API use the environment's token (bearer) unless the file says `# @auth none`, except
//   the documented no-auth microsites call (`/microsites-api/…`), which must never carry one;
// - every `@name = value` file variable is resolved into the requests at import (saved folders have no
//   variables of their own), except the API address and anything that looks like a secret;
// - system variables ({{$guid}}, {{$randomInt a b}}, {{$timestamp}}, {{$datetime …}}) stay and get a
//   value when sent; {{$processEnv NAME}} / {{$dotenv NAME}} are refused and become {{NAME}}; chained
//   {{req.response.body.$.id}} become {{req_id}}.
// - checks and captures travel as comment lines (`# ?? status == 202`, `# @capture id = json $.id`; see httpChecks.ts).
// Every change made is listed in `changes`, things dropped or skipped in `warnings`. No `vscode` here.
import type { Capture, Check } from './checks';
import { httpCheckLines, parseHttpCheckLine } from './httpChecks';
import { allRequests, newId, requestNode } from './savedRequests';
import type { SavedFolderNode, SavedNode, SavedRequestNode } from './savedRequests';
import type { AuthMode, HttpMethod, KeyValue, SavedRequest } from './model';
import { looksLikeToken } from './redaction';
import { readHttpFile } from './httpFileSyntax';
import type { RawHttpRequest } from './httpFileSyntax';
import { SYSTEM_VARIABLE, isSupportedSystemVariable } from './systemVariables';
import { splitPathAndQueryRows, joinUrl } from './urlParts';

export interface HttpFileImport {
  /** Requests in file order; `# @folder A/B` comments rebuild folders. */
  readonly items: SavedNode[];
  /** File variables (`@name = value`) as written, e.g. baseUrl. */
  readonly variables: Record<string, string>;
  /** Things that were dropped or not understood, each naming the request. Never a secret value. */
  readonly warnings: string[];
  /** Every change the import made to what the file says, as sentences for the import summary. */
  readonly changes: string[];
}

export interface HttpImportOptions {
  /** The active environment's baseUrl: URLs on it (and on any StudyTeam API host) become relative. */
  readonly baseUrl?: string;
  /** Shown in the summary ("run against Sandbox (local)"). */
  readonly environmentName?: string;
  readonly idFactory?: (kind: 'request' | 'folder') => string;
}

/** The documented call that must be sent without an Authorization header. */
export const NO_AUTH_PATH = /^\/microsites-api\//;
const BASE_NAMES = /^(?:base_?url|host(?:name)?|api(?:_?base)?(?:_?url)?|server|endpoint|url)$/i;
const SECRET_NAMES = /token|secret|password|passw|pwd|api_?key|client_?id|credential|bearer|cookie|session/i;
const STUDYTEAM_HOST = /(?:^|\.)api\.studyteamapp\.com$/i;
const PLAIN_VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
const CHAINED = /\{\{\s*([A-Za-z_][\w-]*)\.(?:response|request)\.[^{}]*?\}\}/g;
const ENV_SYSTEM = /\{\{\s*\$(processEnv|dotenv)\s+%?([A-Za-z_][\w.-]*)\s*\}\}/g;
const BEARER_VALUE = /^\s*Bearer\b/i;

function originAndPath(url: string): { origin: string; path: string } | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return { origin: u.origin, path: u.pathname.replace(/\/+$/, '') };
  } catch {
    return undefined;
  }
}

/** Collects notes that name several requests into one sentence each (kept in first-seen order). */
class Notes {
  private readonly grouped = new Map<string, string[]>();
  add(sentence: string, requestName?: string): void {
    let names = this.grouped.get(sentence);
    if (!names) this.grouped.set(sentence, (names = []));
    if (requestName !== undefined && !names.includes(requestName)) names.push(requestName);
  }
  list(): string[] {
    return [...this.grouped].map(([sentence, names]) => (names.length ? `${sentence}: ${names.map((n) => `"${n}"`).join(', ')}.` : `${sentence}.`));
  }
}

class FileVariables {
  private readonly values = new Map<string, string>();
  /** Names whose value is the API's address (not inlined; URLs on them become relative). */
  readonly apiBases = new Map<string, string>();
  readonly secret = new Set<string>();
  readonly used = new Set<string>();
  private readonly apiOrigin: { origin: string; path: string } | undefined;

  constructor(defs: ReadonlyArray<{ name: string; value: string }>, baseUrl: string | undefined) {
    for (const { name, value } of defs) this.values.set(name, value);
    this.apiOrigin = baseUrl ? originAndPath(baseUrl) : undefined;
    for (const name of this.values.keys()) {
      const value = this.resolved(name) ?? '';
      if (SECRET_NAMES.test(name) || looksLikeToken(value)) this.secret.add(name);
      else if (this.isApiUrl(value) || (BASE_NAMES.test(name) && originAndPath(value))) this.apiBases.set(name, value);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** A value with the file variables it refers to filled in; undefined for a cycle (@a = {{b}}, @b = {{a}}). */
  resolved(name: string, seen: ReadonlySet<string> = new Set()): string | undefined {
    if (seen.has(name)) return undefined;
    const inner = new Set(seen).add(name);
    let cyclic = false;
    const out = (this.values.get(name) ?? '').replace(PLAIN_VARIABLE, (whole, ref: string) => {
      if (!this.values.has(ref)) return whole;
      const value = this.resolved(ref, inner);
      if (value === undefined) cyclic = true;
      return value ?? whole;
    });
    return cyclic ? undefined : out;
  }

  /** On the environment's API origin, or a StudyTeam API host. */
  isApiUrl(url: string): boolean {
    const parts = originAndPath(url);
    if (!parts) return false;
    if (this.apiOrigin && parts.origin === this.apiOrigin.origin) return true;
    return STUDYTEAM_HOST.test(new URL(parts.origin).hostname);
  }

  /** The path of an API URL relative to the environment's baseUrl ("" for the base itself). */
  relativePath(url: string): string {
    const parts = originAndPath(url);
    if (!parts) return '';
    const prefix = this.apiOrigin && parts.origin === this.apiOrigin.origin ? this.apiOrigin.path : '';
    return prefix && (parts.path === prefix || parts.path.startsWith(`${prefix}/`)) ? parts.path.slice(prefix.length) : parts.path;
  }
}

function isAbsolute(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

/** `{{host}}/x`, `https://staging.api…/x` or `/x` → `/x` when it is the API; otherwise undefined. */
function apiRelative(url: string, vars: FileVariables): string | undefined {
  const leading = /^\{\{\s*([\w.-]+)\s*\}\}(.*)$/.exec(url);
  if (leading) {
    const [, name, rest] = leading;
    const known = vars.apiBases.get(name);
    const isBase = known !== undefined || (!vars.has(name) && BASE_NAMES.test(name));
    if (!isBase || !(rest === '' || rest.startsWith('/') || rest.startsWith('?'))) return undefined;
    vars.used.add(name);
    const prefix = known !== undefined ? vars.relativePath(vars.resolved(name) ?? '') : '';
    const joined = `${prefix}${rest}`;
    return joined === '' || joined.startsWith('?') ? `/${joined}` : joined;
  }
  if (url.startsWith('/')) return url;
  if (isAbsolute(url) && vars.isApiUrl(url)) {
    const q = url.search(/[?#]/);
    const path = vars.relativePath(q < 0 ? url : url.slice(0, q));
    return `${path || '/'}${q < 0 ? '' : url.slice(q)}`;
  }
  return undefined;
}

function slug(text: string): string {
  const words = text.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(/\s+/).filter(Boolean);
  const out = words.map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1))).join('');
  return out && /^[A-Za-z_]/.test(out) ? out : `request${out}`;
}

/** Rewrites one text field: file variables inlined, refused/unsupported system and chained variables handled. */
function rewrite(text: string, vars: FileVariables, notes: Notes, requestName: string): string {
  let out = text.replace(ENV_SYSTEM, (_whole, kind: string, name: string) => {
    notes.add(`{{$${kind} ${name}}} is refused (StudyTeam does not read this machine's environment variables or .env files); it became {{${name}}} — define it as a variable of the environment or enter it when asked`, requestName);
    return `{{${name}}}`;
  });
  out = out.replace(CHAINED, (whole: string, source: string) => {
    const field = whole.replace(/^\{\{|\}\}$/g, '').split(/[.$[\]\s]+/).filter(Boolean).pop() ?? 'value';
    const name = `${source}_${field.replace(/[^\w-]/g, '')}`;
    notes.add(`${whole} refers to another request's response (REST Client chaining is not supported); it became {{${name}}} — enter the value when asked`, requestName);
    return `{{${name}}}`;
  });
  out = out.replace(SYSTEM_VARIABLE, (whole: string, name: string) => {
    if (isSupportedSystemVariable(name)) notes.add(`Kept ${whole} (a new value each time the request is sent)`);
    else notes.add(`${whole} is not supported; it stays as written and you are asked for its value when sending`, requestName);
    return whole;
  });
  return out.replace(PLAIN_VARIABLE, (whole, name: string) => {
    if (vars.apiBases.has(name)) {
      vars.used.add(name);
      if (name === 'baseUrl') return whole;
      notes.add(`{{${name}}} became {{baseUrl}} (the environment's API address)`, requestName);
      return '{{baseUrl}}';
    }
    if (!vars.has(name) || vars.secret.has(name)) return whole;
    const value = vars.resolved(name);
    if (value === undefined) {
      notes.add(`@${name} refers to itself through other variables, so it was left as {{${name}}} — you are asked for it when sending`, requestName);
      return whole;
    }
    vars.used.add(name);
    return value;
  });
}

function rewriteRows(rows: readonly KeyValue[], vars: FileVariables, notes: Notes, requestName: string): KeyValue[] {
  return rows.map((row) => ({ ...row, name: rewrite(row.name, vars, notes, requestName), value: rewrite(row.value, vars, notes, requestName) }));
}

/** Parses a .http / .rest file into saved requests that run against the active environment. */
export function parseHttpFile(text: string, options: HttpImportOptions = {}): HttpFileImport {
  const idFactory = options.idFactory ?? newId;
  const raw = readHttpFile(text);
  const variables: Record<string, string> = {};
  for (const { name, value } of raw.variables) variables[name] = value;
  const vars = new FileVariables(raw.variables, options.baseUrl);
  const warnings: string[] = [...raw.skipped];
  const notes = new Notes();
  const items: SavedNode[] = [];
  const folders = new Map<string, SavedFolderNode>();

  const placeIn = (folderPath: string | undefined, node: SavedRequestNode): void => {
    let list = items;
    let key = '';
    for (const part of (folderPath ?? '').split('/').map((p) => p.trim()).filter(Boolean)) {
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

  for (const block of raw.requests) {
    const request = { ...toRequest(block, vars, notes, warnings, options.environmentName ?? 'the active environment'), id: idFactory('request') };
    placeIn(block.metas.find((m) => m.key === 'folder' && m.value)?.value, requestNode(request));
  }

  const inlined = [...vars.used].filter((n) => !vars.apiBases.has(n));
  if (inlined.length) {
    notes.add(`File variables resolved into the requests at import (a saved folder has no variables of its own): ${inlined.map((n) => `@${n}`).join(', ')}`);
  }
  for (const [name, value] of vars.apiBases) {
    if (vars.used.has(name)) notes.add(`@${name} (${value}) is the API's address: URLs on it became relative, so they run against the active environment`);
  }
  const secretNames = [...vars.secret];
  if (secretNames.length) {
    warnings.push(`Not imported: ${secretNames.map((n) => `@${n}`).join(', ')} (looks like a secret; saved requests never hold one — bearer requests use the environment's token).`);
  }
  const unused = Object.keys(variables).filter((n) => !vars.used.has(n) && !vars.secret.has(n));
  if (unused.length) warnings.push(`Not used by any request, so not kept: ${unused.map((n) => `@${n}`).join(', ')}.`);
  return { items, variables, warnings, changes: notes.list() };
}

function toRequest(block: RawHttpRequest, vars: FileVariables, notes: Notes, warnings: string[], environmentName: string): Omit<SavedRequest, 'id'> {
  const meta = (key: string): string | undefined => block.metas.find((m) => m.key === key && m.value)?.value;
  const relative = apiRelative(block.url, vars);
  const name = block.title ?? meta('title') ?? meta('name') ?? `${block.method} ${splitPathAndQueryRows(relative ?? block.url).url}`;
  const { url, query } = splitPathAndQueryRows(rewrite(relative ?? block.url, vars, notes, name));
  const description = block.metas.filter((m) => m.key === 'description' && m.value).map((m) => m.value).join('\n');

  let auth: AuthMode = 'none';
  let hadBearer = false;
  const headers: KeyValue[] = [];
  for (const header of block.headers) {
    if (header.enabled && header.name.toLowerCase() === 'authorization') {
      if (BEARER_VALUE.test(header.value)) {
        hadBearer = true;
        if (!/^\s*Bearer\s+\{\{[^}]+\}\}\s*$/i.test(header.value)) warnings.push(`"${name}": a literal bearer token was dropped; the request uses the environment's token instead.`);
      } else warnings.push(`"${name}": the Authorization header (not Bearer) was dropped; saved requests never hold credentials.`);
      continue;
    }
    if (looksLikeToken(header.value)) {
      warnings.push(`"${name}": the header "${header.name}" looked like a token and was dropped.`);
      continue;
    }
    headers.push(header.enabled ? { name: header.name, value: header.value } : { name: header.name, value: header.value, enabled: false });
  }
  const explicitAuth = meta('auth')?.toLowerCase();
  if (relative !== undefined && NO_AUTH_PATH.test(url)) {
    if (hadBearer) notes.add('The Authorization header was removed from the microsites call (the microsites API refuses requests that carry one)', name);
  } else if (explicitAuth === 'none') {
    // `# @auth none`, as written by the export for requests that send no token.
  } else if (hadBearer) auth = 'bearer';
  else if (relative !== undefined) {
    auth = 'bearer';
    notes.add(`Set to use ${environmentName}'s token (auth bearer), as every StudyTeam API call needs one, though the file had no Authorization header`, name);
  }
  for (const m of block.metas) {
    if (m.key === 'prompt') notes.add(`# @prompt ${m.value}: you are asked for {{${m.value.split(/\s+/)[0]}}} when sending (unless the environment defines it)`, name);
    else if (!['name', 'title', 'description', 'folder', 'auth', 'expect', 'capture', '??'].includes(m.key)) notes.add(`Ignored # @${m.key} (not supported)`, name);
  }
  const expect: Check[] = [];
  const capture: Capture[] = [];
  for (const m of block.metas) {
    if (m.key !== 'expect' && m.key !== 'capture' && m.key !== '??') continue;
    const line = m.key === '??' ? m.value : `@${m.key} ${m.value}`;
    const read = parseHttpCheckLine(line);
    if (!read) continue;
    if ('check' in read) expect.push(read.check);
    else if ('capture' in read) capture.push(read.capture);
    else warnings.push(`"${name}": ${read.error} — not imported as a check.`);
  }

  const rewrittenHeaders = rewriteRows(headers, vars, notes, name);
  const body = block.body === undefined ? undefined : rewrite(block.body, vars, notes, name);
  if (block.body !== undefined && /^\s*<\s+\S/.test(block.body)) warnings.push(`"${name}": the body refers to a file ("< path"), which is imported as text.`);
  return {
    name,
    method: block.method as HttpMethod,
    url,
    auth,
    ...(description && { description }),
    ...(expect.length > 0 && { expect }),
    ...(capture.length > 0 && { capture }),
    ...(query.length > 0 && { query: query.map((row) => ({ name: row.name, value: row.value })) }),
    ...(rewrittenHeaders.length > 0 && { headers: rewrittenHeaders }),
    ...(body !== undefined && { body }),
  };
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
    out.push(`# @name ${slug(request.name)}`);
    if (folderPath.length) out.push(`# @folder ${folderPath.join('/')}`);
    for (const line of (request.description ?? '').split(/\r?\n/)) if (line.trim()) out.push(`# @description ${line}`);
    out.push(...httpCheckLines(request));
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(request.url) || request.url.startsWith('{{');
    const base = absolute ? request.url : `{{baseUrl}}${request.url.startsWith('/') ? '' : '/'}${request.url}`;
    out.push(`${request.method} ${joinUrl(base, request.query ?? [])}`);
    if (request.auth === 'bearer') out.push('Authorization: Bearer {{token}}');
    else if (!NO_AUTH_PATH.test(request.url)) out.splice(out.length - 1, 0, '# @auth none'); // else an import would add bearer
    for (const h of request.headers ?? []) out.push(h.enabled === false ? `# ${h.name}: ${h.value}` : `${h.name}: ${h.value}`);
    if (request.body) {
      out.push('');
      out.push(request.body.replace(/\r\n/g, '\n'));
    }
  }
  return `${out.join('\n')}\n`;
}
