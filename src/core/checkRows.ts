// Checks and captures as the request panel's table rows (every cell text), and back. The panel shows the
// same messages the file validation gives (validateCheck / validateCapture). Pure, browser-safe: the
// webview bundle uses it too. No `vscode`.
import { validateCapture, validateCheck, type Capture, type Check } from './checks';

export interface CheckRow {
  readonly kind: string;
  readonly path: string;
  readonly op: string;
  /** The value as typed: 202, [200, 202], 2xx, a regex, "text" or text, {"a": 1}. */
  readonly value: string;
}

export interface CaptureRow {
  readonly name: string;
  readonly from: string;
  readonly path: string;
}

/** Kinds whose checks take a path, and operators that take no value. */
const PATH_KINDS = new Set(['header', 'json']);
const NO_VALUE_OPS = new Set(['exists', 'valid']);

function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function rowsFromChecks(expect: readonly Check[] | undefined): CheckRow[] {
  return (expect ?? []).map((c) => ({ kind: c.kind, path: 'path' in c ? c.path : '', op: c.op, value: 'value' in c ? valueText(c.value) : '' }));
}

export function rowsFromCaptures(capture: readonly Capture[] | undefined): CaptureRow[] {
  return (capture ?? []).map((c) => ({ name: c.name, from: c.from, path: c.from === 'status' ? '' : c.path }));
}

/** For `equals` (json) and the numeric operators a cell is JSON when it parses ("42" is text, 42 a number), else text. */
function parseValue(kind: string, op: string, text: string): unknown {
  const trimmed = text.trim();
  const wantsText = op === 'matches' || op === 'type' || (kind === 'header' && op === 'equals') || (kind === 'status' && op === 'class');
  if (wantsText) return text; // as typed: a regex may well contain quotes
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

/** The raw check of a row (what the file would hold), before validation. */
export function rawCheck(row: CheckRow): Record<string, unknown> {
  const raw: Record<string, unknown> = { kind: row.kind };
  if (PATH_KINDS.has(row.kind)) raw.path = row.path;
  raw.op = row.op;
  if (!NO_VALUE_OPS.has(row.op)) raw.value = parseValue(row.kind, row.op, row.value);
  return raw;
}

/** A row's problems, in the words of the file validation ("Check 2: "value" must be a status code 100–599."). */
export function checkRowErrors(row: CheckRow, index: number): string[] {
  const errors: string[] = [];
  validateCheck(rawCheck(row), `Check ${index + 1}`, errors);
  return errors;
}

export function captureRowErrors(row: CaptureRow, index: number): string[] {
  const errors: string[] = [];
  validateCapture(row.from === 'status' ? { name: row.name, from: row.from } : { ...row }, `Capture ${index + 1}`, errors);
  return errors;
}

/** Valid rows as checks and captures; `errors` lists every problem (nothing is dropped silently). */
export function checksFromRows(checks: readonly CheckRow[], captures: readonly CaptureRow[]): { expect: Check[]; capture: Capture[]; errors: string[] } {
  const errors: string[] = [];
  const expect: Check[] = [];
  checks.forEach((row, i) => {
    const check = validateCheck(rawCheck(row), `Check ${i + 1}`, errors);
    if (check) expect.push(check);
  });
  const capture: Capture[] = [];
  captures.forEach((row, i) => {
    const c = validateCapture(row.from === 'status' ? { name: row.name, from: row.from } : { ...row }, `Capture ${i + 1}`, errors);
    if (c) capture.push(c);
  });
  const names = capture.map((c) => c.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) errors.push(`Capture ${i + 1}: "${n}" is captured more than once.`);
  });
  return { expect, capture, errors };
}
