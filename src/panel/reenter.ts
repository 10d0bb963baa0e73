// After a window reload a request panel comes back with the credential values typed into its headers or query blank
// (they are never written to disk, see diskState.ts); the panel says which ones to enter again, until they are.
import type { DraftRequest, DraftRow } from './protocol';

/** Row indices of the blanked values (the disk copy's omittedValues). */
export interface ReenterValues {
  readonly headers: readonly number[];
  readonly query: readonly number[];
}

/** The panel's notice while some of those values are still blank; undefined once all were entered again. */
export function reenterMessage(reenter: ReenterValues, draft: DraftRequest): string | undefined {
  const blank = (rows: readonly DraftRow[], i: number): string | undefined => (rows[i] && rows[i].value === '' ? rows[i].name.trim() || `row ${i + 1}` : undefined);
  const names = [
    ...reenter.headers.map((i) => blank(draft.headers, i)).filter((n): n is string => n !== undefined).map((n) => `header "${n}"`),
    ...reenter.query.map((i) => blank(draft.query, i)).filter((n): n is string => n !== undefined).map((n) => `query parameter "${n}"`),
  ];
  if (names.length === 0) return undefined;
  return `The value of ${names.join(', ')} was not kept across the window reload (credentials are never written to disk): enter it again, or use auth mode "bearer".`;
}
