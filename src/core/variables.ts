// {{name}} substitution for saved requests. Variables come from the environment (baseUrl plus the
// user-defined, non-secret per-environment variables). URL path parameters written as {siteId} or
// {{siteId}} that have no value are reported as unresolved so the UI can ask for them.
import type { ApiRequest, Environment, KeyValue } from './model';

const DOUBLE = /\{\{\s*([A-Za-z_$][\w.$-]*)\s*\}\}/g;
/** {name} that is not part of {{name}}. */
const SINGLE = /(?<!\{)\{([A-Za-z_][\w.-]*)\}(?!\})/g;

/** baseUrl plus the environment's own variables (baseUrl always the environment's). */
export function variablesOf(env: Environment): Record<string, string> {
  return { ...(env.variables ?? {}), baseUrl: env.baseUrl };
}

/** Names of every {{variable}} (and {pathParam} in the URL path) a request uses, in order of appearance. */
export function variableNamesIn(request: Pick<ApiRequest, 'url' | 'query' | 'headers' | 'body'>): string[] {
  const names: string[] = [];
  const add = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  const scan = (text: string | undefined): void => {
    if (!text) return;
    for (const m of text.matchAll(DOUBLE)) add(m[1]);
  };
  scan(request.url);
  for (const m of pathPart(request.url).matchAll(SINGLE)) add(m[1]);
  for (const kv of request.query ?? []) {
    scan(kv.name);
    scan(kv.value);
  }
  for (const kv of request.headers ?? []) {
    scan(kv.name);
    scan(kv.value);
  }
  scan(request.body);
  return names;
}

function pathPart(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

function substitute(text: string, vars: Readonly<Record<string, string>>, unresolved: Set<string>): string {
  return text.replace(DOUBLE, (whole, name: string) => {
    if (Object.prototype.hasOwnProperty.call(vars, name)) return vars[name];
    unresolved.add(name);
    return whole;
  });
}

function substituteUrl(url: string, vars: Readonly<Record<string, string>>, unresolved: Set<string>): string {
  const replaced = substitute(url, vars, unresolved);
  const cut = replaced.search(/[?#]/);
  const path = cut < 0 ? replaced : replaced.slice(0, cut);
  const rest = cut < 0 ? '' : replaced.slice(cut);
  const newPath = path.replace(SINGLE, (whole, name: string) => {
    if (Object.prototype.hasOwnProperty.call(vars, name)) return encodeURIComponent(vars[name]);
    unresolved.add(name);
    return whole;
  });
  return newPath + rest;
}

function substituteRows(
  rows: readonly KeyValue[] | undefined,
  vars: Readonly<Record<string, string>>,
  unresolved: Set<string>,
): KeyValue[] | undefined {
  if (!rows) return undefined;
  return rows.map((row) => {
    // Disabled rows are not sent, so their variables do not need values.
    if (row.enabled === false) return row;
    return { ...row, name: substitute(row.name, vars, unresolved), value: substitute(row.value, vars, unresolved) };
  });
}

/**
 * Replaces {{name}} in URL, query, headers and body, and {name} path parameters in the URL path.
 * Whatever has no value is left as written and listed in `unresolved` (in order of appearance).
 */
export function resolveVariables(
  request: ApiRequest,
  vars: Readonly<Record<string, string>>,
): { request: ApiRequest; unresolved: string[] } {
  const unresolved = new Set<string>();
  const url = substituteUrl(request.url, vars, unresolved);
  const query = substituteRows(request.query, vars, unresolved);
  const headers = substituteRows(request.headers, vars, unresolved);
  const body = request.body === undefined ? undefined : substitute(request.body, vars, unresolved);
  const resolved: ApiRequest = {
    method: request.method,
    url,
    auth: request.auth,
    ...(query ? { query } : {}),
    ...(headers ? { headers } : {}),
    ...(body !== undefined ? { body } : {}),
  };
  // Report in order of appearance.
  const ordered = variableNamesIn(request).filter((n) => unresolved.has(n));
  for (const n of unresolved) if (!ordered.includes(n)) ordered.push(n);
  return { request: resolved, unresolved: ordered };
}

/** "Missing values for {{siteId}}, {{subjectId}}. Define them as variables of Staging, or enter them when asked." */
export function describeUnresolved(unresolved: readonly string[], environmentName: string): string {
  const list = unresolved.map((n) => `{{${n}}}`).join(', ');
  return `Missing value${unresolved.length === 1 ? '' : 's'} for ${list}. Define ${unresolved.length === 1 ? 'it' : 'them'} as variables of the environment "${environmentName}" or enter ${unresolved.length === 1 ? 'it' : 'them'} when asked.`;
}
