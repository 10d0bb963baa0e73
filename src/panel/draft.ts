// The request panel's draft and what it becomes: draft ↔ saved request, draft → API request, URL ↔ query rows.
// Shared by the host (src/panel) and the webview (src/webview): no `vscode`, no DOM, no Node.
import type { Capture, Check } from '../core/checks';
import { rawCheck, rowsFromCaptures, rowsFromChecks } from '../core/checkRows';
import type { ApiRequest, KeyValue, SavedRequest } from '../core/model';
import { decodeQueryPart, encodeQueryKeepingVariables, splitUrlParts } from '../core/urlParts';
import { validateJson } from './jsonText';
import type { DraftRequest, DraftRow } from './protocol';

export function emptyDraft(): DraftRequest {
  return { name: '', method: 'GET', url: '', query: [], headers: [], body: '', bodyMode: 'json', auth: 'bearer' };
}

// ---------------------------------------------------------------------------------------------------------
// URL ↔ query table

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
    .map((r) => `${encodeQueryKeepingVariables(r.name)}=${encodeQueryKeepingVariables(r.value)}`)
    .join('&');
}

/**
 * The query rows after the user edited the URL: the URL's pairs become the enabled rows (in order);
 * disabled rows, which the URL does not show, are kept after them.
 */
export function queryRowsFromUrl(url: string, previous: readonly DraftRow[]): DraftRow[] {
  const parsed = parseQueryString(splitUrlParts(url).query);
  return [...parsed, ...previous.filter((r) => !r.enabled)];
}

/** The URL after the user edited the query table: its query string is replaced by the enabled rows. */
export function urlWithQuery(url: string, rows: readonly DraftRow[]): string {
  const { base, hash } = splitUrlParts(url);
  const query = buildQueryString(rows);
  return `${base}${query ? `?${query}` : ''}${hash}`;
}

// ---------------------------------------------------------------------------------------------------------
// Draft ↔ request

function rowsToKeyValues(rows: readonly DraftRow[]): KeyValue[] {
  return rows.filter((r) => r.name.trim() !== '').map((r) => ({ name: r.name.trim(), value: r.value, enabled: r.enabled }));
}

/**
 * What the panel hands to services.runRequest: the URL without its query string (the query rows carry it),
 * disabled rows kept but marked, a JSON content type added when the body is JSON and none is set.
 */
export function apiRequestFromDraft(draft: DraftRequest): ApiRequest {
  const { base, hash } = splitUrlParts(draft.url.trim());
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
  const url = splitUrlParts(saved.url).hasQuery || !query.some((r) => r.enabled) ? saved.url : urlWithQuery(saved.url, query);
  const rows = splitUrlParts(saved.url).hasQuery ? queryRowsFromUrl(saved.url, query) : query;
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
    checks: rowsFromChecks(saved.expect),
    captures: rowsFromCaptures(saved.capture),
  };
}

/** Saved form: path without query string + query rows (so diffs stay clean), keeps the description. */
export function savedFromDraft(draft: DraftRequest, id: string, existing?: SavedRequest): SavedRequest {
  const api = apiRequestFromDraft(draft);
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
    // Rows as the file would hold them; the store validates them (and says which row is wrong).
    ...(draft.checks !== undefined ? { expect: draft.checks.map((r) => rawCheck(r) as unknown as Check) } : {}),
    ...(draft.captures !== undefined ? { capture: draft.captures.map((r) => (r.from === 'status' ? { name: r.name, from: r.from } : { ...r }) as Capture) } : {}),
  };
}

export function defaultRequestName(draft: Pick<DraftRequest, 'method' | 'url'>): string {
  const path = splitUrlParts(draft.url.trim()).base.replace(/^https?:\/\/[^/]+/i, '') || '/';
  return `${draft.method} ${path}`;
}

/** Panel title: the request's name, or method + path for an unsaved one. */
export function panelTitle(draft: DraftRequest): string {
  const name = draft.name.trim();
  if (name) return name;
  return draft.url.trim() ? defaultRequestName(draft) : 'New Request';
}

/**
 * Whether two drafts would save as the same request (the panel's dirty check): compares the saved form, so what is
 * not saved (the body's JSON/raw mode, an empty header row) does not count as an edit.
 */
export function sameSavedForm(a: DraftRequest, b: DraftRequest): boolean {
  return JSON.stringify(savedFromDraft(a, '')) === JSON.stringify(savedFromDraft(b, ''));
}
