// Checks and captures of a saved request (`expect` / `capture` in .studyteam/requests.json, schema
// version 2): the declarative model, its validation (messages name the item and the row) and its stable
// serialisation. One row shape for every check — kind, path, operator, value — so the file, the panel's
// table and the reports all speak the same language. No scripting, no `vscode`.
import { parseJsonPath } from './jsonPath';

export type CheckKind = 'status' | 'responseTime' | 'header' | 'json' | 'schema';
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object';
export const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'];

/**
 * One check. `path` is a header name (kind header) or a JSONPath (kind json). String values may hold
 * {{variables}} (environment variables, --var values and values captured earlier in the run).
 */
export type Check =
  | { kind: 'status'; op: 'equals'; value: number }
  | { kind: 'status'; op: 'oneOf'; value: number[] }
  /** "2xx", "4xx", … */
  | { kind: 'status'; op: 'class'; value: string }
  | { kind: 'responseTime'; op: 'below'; value: number }
  | { kind: 'header'; path: string; op: 'exists' }
  | { kind: 'header'; path: string; op: 'equals' | 'matches'; value: string }
  | { kind: 'json'; path: string; op: 'exists' }
  | { kind: 'json'; path: string; op: 'equals'; value: unknown }
  | { kind: 'json'; path: string; op: 'matches'; value: string }
  | { kind: 'json'; path: string; op: 'type'; value: JsonType }
  | { kind: 'json'; path: string; op: 'length'; value: number }
  /** The body is valid against the JSON schema of the request (when there is one for its endpoint). */
  | { kind: 'schema'; op: 'valid' };

export type CaptureSource = 'json' | 'header' | 'status';
/** `name` ← the value at `path` (a JSONPath, or a header name) or the status code. */
export type Capture = { name: string; from: 'json' | 'header'; path: string } | { name: string; from: 'status' };

/** Which operators each kind takes (the panel offers these; validation enforces them). */
export const CHECK_OPERATORS: Readonly<Record<CheckKind, readonly string[]>> = {
  status: ['equals', 'oneOf', 'class'],
  responseTime: ['below'],
  header: ['exists', 'equals', 'matches'],
  json: ['exists', 'equals', 'matches', 'type', 'length'],
  schema: ['valid'],
};

const CHECK_KEYS = new Set(['kind', 'path', 'op', 'value']);
const CAPTURE_KEYS = new Set(['name', 'from', 'path']);
const STATUS_CLASS = /^[1-5]xx$/;
const VARIABLE_NAME = /^[A-Za-z_$][\w.$-]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isStatus = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599;

function checkRegex(value: string, at: string, errors: string[]): void {
  try {
    new RegExp(value);
  } catch (error) {
    errors.push(`${at}: "value" is not a valid regular expression (${error instanceof Error ? error.message : String(error)}).`);
  }
}

function checkPath(kind: 'header' | 'json', path: unknown, at: string, errors: string[]): path is string {
  if (typeof path !== 'string' || !path.trim()) {
    errors.push(`${at}: "path" must be ${kind === 'json' ? 'a JSONPath like "$.payload.referral[0].subjectId"' : 'a header name like "content-type"'}.`);
    return false;
  }
  if (kind === 'header' && !HEADER_NAME.test(path)) {
    errors.push(`${at}: "${path}" is not a valid header name.`);
    return false;
  }
  if (kind === 'json') {
    const parsed = parseJsonPath(path);
    if (!parsed.ok) {
      errors.push(`${at}: JSONPath "${path}": ${parsed.error}`);
      return false;
    }
  }
  return true;
}

/** Validates one `expect` row; `at` prefixes every message (e.g. `items[0] ("Create referral").expect[2]`). */
export function validateCheck(raw: unknown, at: string, errors: string[]): Check | undefined {
  if (!isRecord(raw)) {
    errors.push(`${at} must be an object like {"kind": "status", "op": "equals", "value": 200}.`);
    return undefined;
  }
  const before = errors.length;
  for (const key of Object.keys(raw)) if (!CHECK_KEYS.has(key)) errors.push(`${at} has an unknown property "${key}".`);
  const { kind, op, value, path } = raw;
  if (typeof kind !== 'string' || !(kind in CHECK_OPERATORS)) {
    errors.push(`${at}: "kind" must be one of ${Object.keys(CHECK_OPERATORS).join(', ')}${typeof kind === 'string' ? ` (got "${kind}")` : ''}.`);
    return undefined;
  }
  const ops = CHECK_OPERATORS[kind as CheckKind];
  const operator = op === undefined && kind === 'schema' ? 'valid' : op;
  if (typeof operator !== 'string' || !ops.includes(operator)) {
    errors.push(`${at}: "op" of a ${kind} check must be one of ${ops.join(', ')}${typeof op === 'string' ? ` (got "${op}")` : ''}.`);
    return undefined;
  }
  const needsPath = kind === 'header' || kind === 'json';
  if (!needsPath && path !== undefined) errors.push(`${at}: a ${kind} check has no "path".`);
  const noValue = operator === 'exists' || operator === 'valid';
  if (noValue && value !== undefined) errors.push(`${at}: "${operator}" takes no "value".`);
  if (!noValue && value === undefined) errors.push(`${at}: "${operator}" needs a "value".`);
  if (needsPath && !checkPath(kind as 'header' | 'json', path, at, errors)) return undefined;
  if (errors.length > before) return undefined;

  switch (`${kind}.${operator}`) {
    case 'status.equals':
      if (!isStatus(value)) errors.push(`${at}: "value" must be a status code 100–599.`);
      break;
    case 'status.oneOf':
      if (!Array.isArray(value) || !value.length || !value.every(isStatus)) errors.push(`${at}: "value" must be a non-empty list of status codes, e.g. [200, 202].`);
      break;
    case 'status.class':
      if (typeof value !== 'string' || !STATUS_CLASS.test(value)) errors.push(`${at}: "value" must be a status class like "2xx".`);
      break;
    case 'responseTime.below':
      if (typeof value !== 'number' || !(value > 0)) errors.push(`${at}: "value" must be a number of milliseconds above 0.`);
      break;
    case 'header.equals':
    case 'header.matches':
    case 'json.matches':
      if (typeof value !== 'string') errors.push(`${at}: "value" must be a string.`);
      else if (operator === 'matches') checkRegex(value, at, errors);
      break;
    case 'json.type':
      if (typeof value !== 'string' || !(JSON_TYPES as readonly string[]).includes(value)) errors.push(`${at}: "value" must be one of ${JSON_TYPES.join(', ')}.`);
      break;
    case 'json.length':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) errors.push(`${at}: "value" must be a whole number ≥ 0.`);
      break;
  }
  if (errors.length > before) return undefined;
  const out: Record<string, unknown> = { kind, ...(needsPath ? { path } : {}), op: operator };
  if (!noValue) out.value = Array.isArray(value) ? [...(value as unknown[])] : value;
  return out as Check;
}

/** Validates one `capture` row. */
export function validateCapture(raw: unknown, at: string, errors: string[]): Capture | undefined {
  if (!isRecord(raw)) {
    errors.push(`${at} must be an object like {"name": "referralId", "from": "json", "path": "$.id"}.`);
    return undefined;
  }
  const before = errors.length;
  for (const key of Object.keys(raw)) if (!CAPTURE_KEYS.has(key)) errors.push(`${at} has an unknown property "${key}".`);
  const { name, from, path } = raw;
  if (typeof name !== 'string' || !VARIABLE_NAME.test(name)) {
    errors.push(`${at}: "name" must be a variable name (letters, digits, _ . $ -), used later as {{name}}.`);
  }
  if (from !== 'json' && from !== 'header' && from !== 'status') {
    errors.push(`${at}: "from" must be "json", "header" or "status".`);
    return undefined;
  }
  if (from === 'status') {
    if (path !== undefined) errors.push(`${at}: a status capture has no "path".`);
  } else {
    checkPath(from, path, at, errors);
  }
  if (errors.length > before) return undefined;
  return from === 'status' ? { name: name as string, from } : { name: name as string, from, path: path as string };
}

function validateList<T>(raw: unknown, where: string, errors: string[], one: (row: unknown, at: string, errors: string[]) => T | undefined): T[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    errors.push(`${where} must be a list.`);
    return undefined;
  }
  const out: T[] = [];
  raw.forEach((row, i) => {
    const value = one(row, `${where}[${i}]`, errors);
    if (value !== undefined) out.push(value);
  });
  return out;
}

export function validateChecks(raw: unknown, where: string, errors: string[]): Check[] | undefined {
  return validateList(raw, where, errors, validateCheck);
}

export function validateCaptures(raw: unknown, where: string, errors: string[]): Capture[] | undefined {
  const list = validateList(raw, where, errors, validateCapture);
  const seen = new Set<string>();
  for (const capture of list ?? []) {
    if (seen.has(capture.name)) errors.push(`${where}: "${capture.name}" is captured more than once.`);
    seen.add(capture.name);
  }
  return list;
}

/** Fixed key order for the file: kind, path, op, value / name, from, path. */
export function orderedCheck(check: Check): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: check.kind };
  if ('path' in check) out.path = check.path;
  out.op = check.op;
  if ('value' in check) out.value = check.value;
  return out;
}

export function orderedCapture(capture: Capture): Record<string, unknown> {
  return capture.from === 'status' ? { name: capture.name, from: 'status' } : { name: capture.name, from: capture.from, path: capture.path };
}

export function cloneCheck(check: Check): Check {
  return JSON.parse(JSON.stringify(check)) as Check;
}

/** "status equals 202", "json $.id exists", "header content-type matches json" — for reports and test names. */
export function describeCheck(check: Check): string {
  const path = 'path' in check ? ` ${check.path}` : '';
  const value = 'value' in check ? ` ${typeof check.value === 'string' ? check.value : JSON.stringify(check.value)}` : '';
  return `${check.kind}${path} ${check.op}${value}`;
}

/** Names that look like they hold a secret: their captured values are masked in results. */
export function looksSecretName(name: string): boolean {
  return /secret|token|password|passwd|pwd|api[-_.]?key|credential|auth|session|cookie|private/i.test(name);
}
