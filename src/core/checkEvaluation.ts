// Evaluates a saved request's checks and captures against one response. Results carry expected and actual
// as short, redacted text (never a whole body), so the same result can be shown in the Test Explorer, a
// JUnit report and the console. No `vscode`.
import { describeCheck, looksSecretName, type Capture, type Check } from './checks';
import { parseJsonPath, selectJsonPath } from './jsonPath';
import { REDACTED, redactText } from './redaction';

/** The parts of a response the checks read. */
export interface CheckedResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly text: string;
  readonly truncated?: boolean;
  readonly timings: { readonly totalMs: number };
}

export interface CheckResult {
  /** "status equals 202", "json $.id exists", "capture referralId ← json $.id". */
  readonly label: string;
  readonly passed: boolean;
  /** The path the check reads (a JSONPath or header name), when it has one. */
  readonly path?: string;
  readonly expected: string;
  /** What was found — redacted and cut to ACTUAL_MAX characters. */
  readonly actual: string;
  /** One line for a failure: "json $.id: expected to exist, but the path matched nothing". */
  readonly message?: string;
}

/** The request as it was sent (after variables), for the schema check. */
export interface SentRequestInfo {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
}

/**
 * The schema check's source: whether there is a JSON schema for this request's method and path, and what
 * is wrong with the request body that was sent if there is one. Provided by the caller (the schemas live
 * outside the checks).
 */
export type SchemaValidator = (request: SentRequestInfo) => { known: false } | { known: true; errors: string[] };

export interface CapturedValue {
  readonly name: string;
  readonly value: string;
  /** The name looks like it holds a secret: show it masked. */
  readonly secret: boolean;
}

export const ACTUAL_MAX = 200;
const DEFAULT_CHECK: Check = { kind: 'status', op: 'class', value: '2xx' };
const VARIABLE = /\{\{\s*([A-Za-z_$][\w.$-]*)\s*\}\}/g;

function short(text: string, secrets?: readonly string[]): string {
  const redacted = redactText(text, secrets);
  return redacted.length > ACTUAL_MAX ? `${redacted.slice(0, ACTUAL_MAX - 1)}…` : redacted;
}

function show(value: unknown): string {
  return value === undefined ? '(nothing)' : typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

/** Replaces {{name}} in every string of a check value (objects and lists included). */
function substitute(value: unknown, vars: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') return value.replace(VARIABLE, (whole, name: string) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name]! : whole));
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Parses the body once per response; `undefined` with a reason when it is not JSON. */
class Body {
  private parsed?: { ok: true; value: unknown } | { ok: false; reason: string };
  constructor(private readonly response: CheckedResponse) {}
  json(): { ok: true; value: unknown } | { ok: false; reason: string } {
    if (!this.parsed) {
      if (this.response.truncated) this.parsed = { ok: false, reason: 'the body was truncated (larger than the size limit)' };
      else if (!this.response.text.trim()) this.parsed = { ok: false, reason: 'the body is empty' };
      else {
        try {
          this.parsed = { ok: true, value: JSON.parse(this.response.text) as unknown };
        } catch {
          this.parsed = { ok: false, reason: 'the body is not JSON' };
        }
      }
    }
    return this.parsed;
  }
}

function headerValues(response: CheckedResponse, name: string): string[] {
  const lower = name.toLowerCase();
  return response.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export interface EvaluationContext {
  /** Variables for {{name}} in expected values (environment, --var and values captured so far). */
  readonly variables: Readonly<Record<string, string>>;
  readonly schema?: SchemaValidator;
  /** The request as sent (for the schema lookup). */
  readonly request: SentRequestInfo;
  /** Literal secrets to redact from actual values (captured values with secret-looking names, …). */
  readonly secrets?: readonly string[];
}

function result(check: Check, passed: boolean, expected: string, actual: string, why: string | undefined, ctx: EvaluationContext): CheckResult {
  const label = describeCheck(check);
  const path = 'path' in check ? check.path : undefined;
  const shownActual = short(actual, ctx.secrets);
  return {
    label,
    passed,
    ...(path !== undefined ? { path } : {}),
    expected: short(expected, ctx.secrets),
    actual: shownActual,
    ...(passed ? {} : { message: `${label}: expected ${short(expected, ctx.secrets)}, got ${why ?? shownActual}` }),
  };
}

function evaluateOne(check: Check, response: CheckedResponse, body: Body, ctx: EvaluationContext): CheckResult {
  const expectedValue = 'value' in check ? substitute(check.value, ctx.variables) : undefined;
  switch (check.kind) {
    case 'status': {
      const actual = String(response.status);
      if (check.op === 'equals') return result(check, response.status === check.value, String(check.value), actual, undefined, ctx);
      if (check.op === 'oneOf') return result(check, check.value.includes(response.status), `one of ${check.value.join(', ')}`, actual, undefined, ctx);
      return result(check, actual[0] === check.value[0] && actual.length === 3, check.value, actual, undefined, ctx);
    }
    case 'responseTime': {
      const ms = Math.round(response.timings.totalMs);
      return result(check, response.timings.totalMs < check.value, `below ${check.value} ms`, `${ms} ms`, undefined, ctx);
    }
    case 'header': {
      const values = headerValues(response, check.path);
      const actual = values.length ? (looksSecretName(check.path) || check.path.toLowerCase() === 'set-cookie' ? REDACTED : values.join(', ')) : '(no such header)';
      if (check.op === 'exists') return result(check, values.length > 0, 'present', actual, undefined, ctx);
      if (check.op === 'equals') return result(check, values.some((v) => v === expectedValue), show(expectedValue), actual, undefined, ctx);
      const re = new RegExp(expectedValue as string);
      return result(check, values.some((v) => re.test(v)), `matching /${String(expectedValue)}/`, actual, undefined, ctx);
    }
    case 'json': {
      const parsed = body.json();
      const expected = check.op === 'exists' ? 'to exist' : check.op === 'equals' ? show(expectedValue) : check.op === 'matches' ? `matching /${String(expectedValue)}/` : check.op === 'type' ? `type ${String(expectedValue)}` : `length ${String(expectedValue)}`;
      if (!parsed.ok) return result(check, false, expected, '(no JSON)', parsed.reason, ctx);
      const path = parseJsonPath(check.path);
      if (!path.ok) return result(check, false, expected, '(invalid path)', `an invalid JSONPath (${path.error})`, ctx);
      const selected = selectJsonPath(parsed.value, path.path);
      if (!selected.found) return result(check, false, expected, '(nothing)', `nothing at ${check.path}`, ctx);
      const value = selected.value;
      switch (check.op) {
        case 'exists':
          return result(check, true, expected, show(value), undefined, ctx);
        case 'equals':
          return result(check, deepEqual(value, expectedValue), expected, show(value), undefined, ctx);
        case 'matches': {
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          return result(check, new RegExp(expectedValue as string).test(text), expected, show(value), undefined, ctx);
        }
        case 'type': {
          const actual = typeOf(value);
          const passed = actual === expectedValue || (expectedValue === 'number' && actual === 'integer');
          return result(check, passed, expected, `type ${actual} (${show(value)})`, undefined, ctx);
        }
        case 'length': {
          const length = typeof value === 'string' || Array.isArray(value) ? value.length : typeof value === 'object' && value !== null ? Object.keys(value).length : undefined;
          return result(check, length === expectedValue, expected, length === undefined ? `${typeOf(value)} (no length)` : `length ${length}`, undefined, ctx);
        }
      }
      break;
    }
    case 'schema': {
      // The request body that was sent, against the schema of the request's method and path.
      const known = ctx.schema ? ctx.schema(ctx.request) : { known: false as const };
      if (!known.known) return result(check, false, 'a request body valid against its schema', '(no schema)', `no schema for this request (${ctx.request.method} ${pathOf(ctx.request.url)})`, ctx);
      const errors = known.errors;
      return result(check, errors.length === 0, 'a request body valid against its schema', errors.length ? errors.slice(0, 3).join('; ') : 'valid', undefined, ctx);
    }
  }
  return result(check, false, 'a known check', '(unknown check)', undefined, ctx);
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0]!;
  }
}

/** Every check's result, in order. No checks: one default check, status class 2xx. */
export function evaluateChecks(checks: readonly Check[] | undefined, response: CheckedResponse, ctx: EvaluationContext): CheckResult[] {
  const body = new Body(response);
  const list = checks && checks.length ? checks : [DEFAULT_CHECK];
  return list.map((check) => {
    try {
      return evaluateOne(check, response, body, ctx);
    } catch (error) {
      return result(check, false, 'a check that can run', '(error)', error instanceof Error ? error.message : String(error), ctx);
    }
  });
}

/** Captured values (as text), and a failed result for each capture that found nothing. */
export function evaluateCaptures(captures: readonly Capture[] | undefined, response: CheckedResponse): { values: CapturedValue[]; failures: CheckResult[] } {
  const values: CapturedValue[] = [];
  const failures: CheckResult[] = [];
  if (!captures) return { values, failures };
  const body = new Body(response);
  for (const capture of captures) {
    const label = capture.from === 'status' ? `capture ${capture.name} ← status` : `capture ${capture.name} ← ${capture.from} ${capture.path}`;
    const fail = (why: string): void => {
      failures.push({ label, passed: false, ...(capture.from !== 'status' ? { path: capture.path } : {}), expected: 'a value to capture', actual: '(nothing)', message: `${label}: ${why}` });
    };
    if (capture.from === 'status') {
      values.push({ name: capture.name, value: String(response.status), secret: looksSecretName(capture.name) });
    } else if (capture.from === 'header') {
      const found = headerValues(response, capture.path);
      if (found.length) values.push({ name: capture.name, value: found[0]!, secret: looksSecretName(capture.name) || looksSecretName(capture.path) });
      else fail(`no "${capture.path}" header in the response`);
    } else {
      const parsed = body.json();
      const path = parseJsonPath(capture.path);
      if (!parsed.ok) fail(parsed.reason);
      else if (!path.ok) fail(path.error);
      else {
        const selected = selectJsonPath(parsed.value, path.path);
        if (!selected.found || selected.value === null || selected.value === undefined) fail(`nothing at ${capture.path}`);
        else {
          const v = selected.value;
          values.push({ name: capture.name, value: typeof v === 'string' ? v : JSON.stringify(v), secret: looksSecretName(capture.name) });
        }
      }
    }
  }
  return { values, failures };
}

/** The value as a report may show it: masked when the name looks secret, redacted and shortened otherwise. */
export function displayCaptured(captured: CapturedValue): string {
  return captured.secret ? REDACTED : short(captured.value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Path segments equal to a captured value (raw or URL-encoded) become `{{name}}`. */
export function maskCaptured(message: string, captured: ReadonlyMap<string, string>): string {
  let out = message;
  for (const [value, name] of captured) {
    for (const form of new Set([value, encodeURIComponent(value)])) {
      if (out.includes(form)) out = out.replace(new RegExp(`/${escapeRegExp(form)}(?=[/?#\\s]|$)`, 'g'), `/{{${name}}}`);
    }
  }
  return out;
}
