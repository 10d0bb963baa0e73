// What of the request panel's state may be written to disk. The webview's setState copy is written by VS Code to
// the workspace storage, so it never carries the body (it can hold patient data) nor credential values the user
// typed into headers or query rows; the host keeps those in memory and puts them back on hide/reveal.
// Shared by the host and the webview: no `vscode`, no DOM, no Node.
import { isSensitiveHeader, looksLikeToken } from '../core/redaction';
import { findSecrets } from '../core/secretGuard';
import { urlWithQuery } from './draft';
import type { DraftRequest, DraftRow, PersistedPanelState } from './protocol';

/**
 * A header row whose value is a credential the user typed in: a sensitive name, a token-looking value, or anything
 * the saved-requests file refuses (a token inside the value).
 */
export function isSecretHeaderRow(row: DraftRow): boolean {
  if (row.value === '') return false;
  return isSensitiveHeader(row.name.trim()) || looksLikeToken(row.value) || findSecrets({ url: '', headers: [{ name: row.name, value: row.value }] }).length > 0;
}

/** A query row whose value looks like a token, or that the saved-requests file refuses (access_token=…, api_key=…). */
export function isSecretQueryRow(row: DraftRow): boolean {
  if (row.value === '') return false;
  return looksLikeToken(row.value) || findSecrets({ url: '', query: [{ name: row.name.trim(), value: row.value }] }).length > 0;
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
