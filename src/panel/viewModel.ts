// Pure view-model logic of the request panel, shared by the host (src/panel) and the webview (src/webview).
// No `vscode`, no DOM, no Node APIs: plain mocha tests it (test/unit/panelViewModel.test.ts).
import type { ApiRequest, KeyValue, SavedRequest } from '../core/model';
import { decodeQueryPart } from '../core/urlParts';
import { isSensitiveHeader, looksLikeToken } from '../core/redaction';
import type { DraftRequest, DraftRow, PersistedPanelState } from './protocol';

export function emptyDraft(): DraftRequest {
  return { name: '', method: 'GET', url: '', query: [], headers: [], body: '', bodyMode: 'json', auth: 'bearer' };
}

// ---------------------------------------------------------------------------------------------------------
// URL ↔ query table

export interface UrlParts {
  /** Everything before `?` (or `#`). */
  readonly base: string;
  /** The query string without `?` ('' when none). */
  readonly query: string;
  /** Whether the URL had a `?` at all. */
  readonly hasQuery: boolean;
  /** `#fragment` including the `#`, or ''. */
  readonly hash: string;
}

export function splitUrl(url: string): UrlParts {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const q = beforeHash.indexOf('?');
  if (q < 0) return { base: beforeHash, query: '', hasQuery: false, hash };
  return { base: beforeHash.slice(0, q), query: beforeHash.slice(q + 1), hasQuery: true, hash };
}


/** Encodes a query name/value but leaves `{{variables}}` readable. */
export function encodeQueryComponent(text: string): string {
  return text
    .split(/(\{\{[^{}]*\}\})/)
    .map((part) => (/^\{\{[^{}]*\}\}$/.test(part) ? part : encodeURIComponent(part)))
    .join('');
}

export function parseQueryString(query: string): DraftRow[] {
  if (query === '') return [];
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return { name: decodeQueryPart(name), value: decodeQueryPart(value), enabled: true };
    });
}

export function buildQueryString(rows: readonly DraftRow[]): string {
  return rows
    .filter((r) => r.enabled && r.name !== '')
    .map((r) => `${encodeQueryComponent(r.name)}=${encodeQueryComponent(r.value)}`)
    .join('&');
}

/**
 * The query rows after the user edited the URL: the URL's pairs become the enabled rows (in order);
 * disabled rows, which the URL does not show, are kept after them.
 */
export function queryRowsFromUrl(url: string, previous: readonly DraftRow[]): DraftRow[] {
  const parsed = parseQueryString(splitUrl(url).query);
  return [...parsed, ...previous.filter((r) => !r.enabled)];
}

/** The URL after the user edited the query table: its query string is replaced by the enabled rows. */
export function urlWithQuery(url: string, rows: readonly DraftRow[]): string {
  const { base, hash } = splitUrl(url);
  const query = buildQueryString(rows);
  return `${base}${query ? `?${query}` : ''}${hash}`;
}

// ---------------------------------------------------------------------------------------------------------
// {{variables}}

export interface UrlSegment {
  readonly text: string;
  /** Set when the segment is a `{{name}}` reference. */
  readonly variable?: string;
}

/** Splits text into literal and `{{variable}}` segments (for the URL overlay). */
export function variableSegments(text: string): UrlSegment[] {
  const out: UrlSegment[] = [];
  const re = /\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], variable: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Draft → request

function rowsToKeyValues(rows: readonly DraftRow[]): KeyValue[] {
  return rows.filter((r) => r.name.trim() !== '').map((r) => ({ name: r.name.trim(), value: r.value, enabled: r.enabled }));
}

/**
 * What the host hands to services.runRequest: the URL without its query string (the query rows carry it),
 * disabled rows kept but marked, a JSON content type added when the body is JSON and none is set.
 */
export function toApiRequest(draft: DraftRequest): ApiRequest {
  const { base, hash } = splitUrl(draft.url.trim());
  const headers = rowsToKeyValues(draft.headers);
  const hasBody = draft.body.trim() !== '' && draft.method !== 'GET' && draft.method !== 'HEAD';
  if (hasBody && draft.bodyMode === 'json' && !headers.some((h) => h.enabled !== false && h.name.toLowerCase() === 'content-type')) {
    headers.push({ name: 'Content-Type', value: 'application/json', enabled: true });
  }
  const query = rowsToKeyValues(draft.query);
  return {
    method: draft.method,
    url: `${base}${hash}`,
    ...(query.length ? { query } : {}),
    ...(headers.length ? { headers } : {}),
    ...(hasBody ? { body: draft.body } : {}),
    auth: draft.auth,
  };
}

function keyValuesToRows(values: readonly KeyValue[] | undefined): DraftRow[] {
  return (values ?? []).map((kv) => ({ name: kv.name, value: kv.value, enabled: kv.enabled !== false }));
}

export function draftFromSaved(saved: SavedRequest): DraftRequest {
  const query = keyValuesToRows(saved.query);
  // The draft's URL shows the enabled query rows (unless the saved URL already carries a query string).
  const url = splitUrl(saved.url).hasQuery || !query.some((r) => r.enabled) ? saved.url : urlWithQuery(saved.url, query);
  const rows = splitUrl(saved.url).hasQuery ? queryRowsFromUrl(saved.url, query) : query;
  const body = saved.body ?? '';
  return {
    name: saved.name,
    method: saved.method,
    url,
    query: rows,
    headers: keyValuesToRows(saved.headers),
    body,
    bodyMode: body.trim() === '' || validateJson(body).ok ? 'json' : 'raw',
    auth: saved.auth,
  };
}

/** Saved form: path without query string + query rows (so diffs stay clean), keeps the description. */
export function savedFromDraft(draft: DraftRequest, id: string, existing?: SavedRequest): SavedRequest {
  const api = toApiRequest({ ...draft, headers: draft.headers });
  const headers = rowsToKeyValues(draft.headers);
  const body = draft.body.trim() === '' ? undefined : draft.body;
  return {
    id,
    name: draft.name.trim() || defaultRequestName(draft),
    method: draft.method,
    url: api.url,
    ...(api.query?.length ? { query: api.query } : {}),
    ...(headers.length ? { headers } : {}),
    ...(body !== undefined ? { body } : {}),
    auth: draft.auth,
    ...(existing?.description ? { description: existing.description } : {}),
  };
}

export function defaultRequestName(draft: Pick<DraftRequest, 'method' | 'url'>): string {
  const path = splitUrl(draft.url.trim()).base.replace(/^https?:\/\/[^/]+/i, '') || '/';
  return `${draft.method} ${path}`;
}

/** Panel title: the request's name, or method + path for an unsaved one. */
export function panelTitle(draft: DraftRequest): string {
  const name = draft.name.trim();
  if (name) return name;
  return draft.url.trim() ? defaultRequestName(draft) : 'New Request';
}

// ---------------------------------------------------------------------------------------------------------
// JSON

export type JsonValidation = { ok: true } | { ok: false; message: string; line: number; column: number };

/** Validates JSON text; reports the line/column (1-based) of the error where the engine tells the position. */
export function validateJson(text: string): JsonValidation {
  try {
    JSON.parse(text);
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const m = /position (\d+)/.exec(message);
    const pos = m ? Number(m[1]) : text.length;
    const { line, column } = lineColumnAt(text, pos);
    const lc = /\(line \d+ column \d+\)/.test(message) ? message : `${message} (line ${line} column ${column})`;
    return { ok: false, message: lc, line, column };
  }
}

export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Pretty-prints JSON text; returns undefined when it is not JSON. */
export function formatJson(text: string, indent = 2): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, indent);
  } catch {
    return undefined;
  }
}

export function isJsonContentType(contentType: string): boolean {
  return /(^|\/|\+)json\b/i.test(contentType.split(';')[0]?.trim() ?? '');
}

export function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export function jsonKind(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'null';
  }
}

/** Number of direct children of a JSON container (0 for scalars). */
export function childCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

/** Collapsed summary of a container: `[ 3 items ]`, `{ 2 keys }`. */
export function containerSummary(value: unknown): string {
  const n = childCount(value);
  if (Array.isArray(value)) return `[ ${n} item${n === 1 ? '' : 's'} ]`;
  return `{ ${n} key${n === 1 ? '' : 's'} }`;
}

/** A scalar as JSON text, long strings shortened for display. */
export function scalarText(value: unknown, maxChars = 10_000): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > maxChars ? `${text.slice(0, maxChars)}…"` : text;
}

/** Children [start, start+count) of a container as [key, value] pairs (keys are indexes for arrays). */
export function childSlice(value: unknown, start: number, count: number): Array<[string, unknown]> {
  if (Array.isArray(value)) {
    const out: Array<[string, unknown]> = [];
    for (let i = start; i < Math.min(value.length, start + count); i++) out.push([String(i), value[i]]);
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    return Object.keys(rec)
      .slice(start, start + count)
      .map((k) => [k, rec[k]]);
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------
// Formatting

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export type StatusClass = 'informational' | 'success' | 'redirect' | 'client-error' | 'server-error' | 'unknown';

export function statusClass(status: number): StatusClass {
  if (status >= 100 && status < 200) return 'informational';
  if (status >= 200 && status < 300) return 'success';
  if (status >= 300 && status < 400) return 'redirect';
  if (status >= 400 && status < 500) return 'client-error';
  if (status >= 500 && status < 600) return 'server-error';
  return 'unknown';
}

/** VS Code language id for an untitled document holding a response body. */
export function languageForContentType(contentType: string, text = ''): string {
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (isJsonContentType(mime)) return 'json';
  if (/[/+]xml$/.test(mime)) return 'xml';
  if (mime === 'text/html') return 'html';
  if (mime === 'text/css') return 'css';
  if (/javascript|ecmascript/.test(mime)) return 'javascript';
  if (/yaml/.test(mime)) return 'yaml';
  if (mime === 'text/markdown') return 'markdown';
  if (mime === 'text/csv') return 'csv';
  if (mime === '' && looksLikeJson(text) && validateJson(text).ok) return 'json';
  return 'plaintext';
}

/** File extension for "Save to File". */
export function extensionForContentType(contentType: string): string {
  const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const byMime: Record<string, string> = {
    'text/html': 'html',
    'text/css': 'css',
    'text/csv': 'csv',
    'text/plain': 'txt',
    'text/markdown': 'md',
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/gif': 'gif',
    'image/svg+xml': 'svg',
    'image/webp': 'webp',
    'application/pdf': 'pdf',
  };
  if (byMime[mime]) return byMime[mime];
  if (isJsonContentType(mime)) return 'json';
  if (/[/+]xml$/.test(mime)) return 'xml';
  return 'txt';
}

export function isPreviewableImage(contentType: string): boolean {
  return /^image\/(png|jpeg|gif|webp|bmp|x-icon|vnd\.microsoft\.icon)$/i.test((contentType.split(';')[0] ?? '').trim());
}

// ---------------------------------------------------------------------------------------------------------
// Webview state on disk

/** A header row whose value is a credential the user typed in: a sensitive name, or a token-looking value. */
export function isSecretHeaderRow(row: DraftRow): boolean {
  return row.value !== '' && (isSensitiveHeader(row.name.trim()) || looksLikeToken(row.value));
}

/** A query row whose value looks like a token. */
export function isSecretQueryRow(row: DraftRow): boolean {
  return row.value !== '' && looksLikeToken(row.value);
}

function blankRows(rows: readonly DraftRow[], secret: (row: DraftRow) => boolean): { rows: DraftRow[]; omitted: number[] } {
  const omitted: number[] = [];
  const out = rows.map((row, i) => {
    if (!secret(row)) return row;
    omitted.push(i);
    return { ...row, value: '' };
  });
  return { rows: out, omitted };
}

/**
 * The copy of the panel state that may go to the webview's setState, which VS Code writes to disk: no body
 * (it can hold patient data) and no credential values in headers or query rows (see PersistedPanelState).
 */
export function diskSafeState(state: PersistedPanelState): PersistedPanelState {
  const { draft } = state;
  const headers = blankRows(draft.headers, isSecretHeaderRow);
  const query = blankRows(draft.query, isSecretQueryRow);
  const anyValues = headers.omitted.length > 0 || query.omitted.length > 0;
  if (draft.body === '' && !anyValues) return state;
  const url = query.omitted.some((i) => draft.query[i]?.enabled) ? urlWithQuery(draft.url, query.rows) : draft.url;
  return {
    ...state,
    draft: { ...draft, url, headers: headers.rows, query: query.rows, body: '' },
    ...(draft.body !== '' ? { bodyOmitted: true as const } : {}),
    ...(anyValues ? { omittedValues: { headers: headers.omitted, query: query.omitted } } : {}),
  };
}

function restoreRows(rows: readonly DraftRow[], omitted: readonly number[], kept: readonly DraftRow[]): { rows: DraftRow[]; restored: number[] } {
  const out = [...rows];
  const restored: number[] = [];
  const used = new Set<number>();
  const fits = (j: number, row: DraftRow): boolean =>
    !used.has(j) && kept[j] !== undefined && kept[j].value !== '' && kept[j].name.trim().toLowerCase() === row.name.trim().toLowerCase();
  for (const i of omitted) {
    const row = out[i];
    if (!row || row.value !== '') continue;
    // By position when the name still matches, else the first unused kept row of that name with a value.
    const j = fits(i, row) ? i : kept.findIndex((_, k) => fits(k, row));
    if (j < 0) continue;
    used.add(j);
    out[i] = { ...row, value: kept[j]!.value };
    restored.push(i);
  }
  return { rows: out, restored };
}

/**
 * The host's side of diskSafeState on hide/reveal: the webview's restored (disk) state with the body and the
 * blanked values put back from the host's in-memory draft. Returns a state without the omission marks.
 */
export function restoreOmitted(incoming: PersistedPanelState, kept: DraftRequest): PersistedPanelState {
  const { bodyOmitted, omittedValues, ...rest } = incoming;
  let draft = bodyOmitted ? { ...rest.draft, body: kept.body } : rest.draft;
  if (omittedValues) {
    const headers = restoreRows(draft.headers, omittedValues.headers, kept.headers);
    const query = restoreRows(draft.query, omittedValues.query, kept.query);
    const url = query.restored.some((i) => query.rows[i]?.enabled) ? urlWithQuery(draft.url, query.rows) : draft.url;
    draft = { ...draft, url, headers: headers.rows, query: query.rows };
  }
  return { ...rest, draft };
}
