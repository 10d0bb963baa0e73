// {{name}} substitution for saved requests. Variables come from the environment (baseUrl plus the
// user-defined, non-secret per-environment variables). URL path parameters written as {siteId} or
// {{siteId}} that have no value are reported as unresolved so the UI can ask for them. REST Client /
// httpYac system variables ({{$guid}}, {{$randomInt 1 100}}, {{$timestamp}}, {{$datetime iso8601}}) get
// a fresh value each time a request is resolved (see systemVariables.ts); unsupported ones
// ({{$processEnv HOME}}) are reported as unresolved under their full text ("$processEnv HOME").
import type { ApiRequest, Environment, KeyValue } from './model';
import { SYSTEM_VARIABLE, evaluateSystemVariable, isSupportedSystemVariable, systemVariableKey, systemVariableSource } from './systemVariables';
import type { SystemVariableSource } from './systemVariables';

const DOUBLE = /\{\{\s*([A-Za-z_$][\w.$-]*)\s*\}\}/g;
/** {name} that is not part of {{name}}. */
const SINGLE = /(?<!\{)\{([A-Za-z_][\w.-]*)\}(?!\})/g;
/** A system variable (groups 1, 2) or an ordinary {{name}} (group 3), in one pass so order is kept. */
const ANY_VARIABLE = new RegExp(`${SYSTEM_VARIABLE.source}|${DOUBLE.source}`, 'g');

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
    for (const m of text.matchAll(ANY_VARIABLE)) {
      if (m[1] !== undefined) {
        // Supported system variables get their value by themselves; they are nobody's to define.
        if (!isSupportedSystemVariable(m[1])) add(systemVariableKey(m[1], m[2] ?? ''));
      } else add(m[3]);
    }
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

interface Context {
  readonly vars: Readonly<Record<string, string>>;
  readonly unresolved: Set<string>;
  readonly system: SystemVariableSource;
}

function has(vars: Readonly<Record<string, string>>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(vars, name);
}

function substitute(text: string, ctx: Context): string {
  return text.replace(ANY_VARIABLE, (whole, systemName: string | undefined, systemArgs: string | undefined, name: string | undefined) => {
    if (systemName !== undefined) {
      const value = evaluateSystemVariable(systemName, systemArgs ?? '', ctx.system);
      if (value !== undefined) return value;
      // Unsupported or malformed: a value given for its full text (e.g. typed in when asked) is used.
      const key = systemVariableKey(systemName, systemArgs ?? '');
      if (has(ctx.vars, key)) return ctx.vars[key];
      ctx.unresolved.add(key);
      return whole;
    }
    const plain = name as string;
    if (has(ctx.vars, plain)) return ctx.vars[plain];
    ctx.unresolved.add(plain);
    return whole;
  });
}

function substituteUrl(url: string, ctx: Context): string {
  const { vars, unresolved } = ctx;
  const replaced = substitute(url, ctx);
  const cut = replaced.search(/[?#]/);
  const path = cut < 0 ? replaced : replaced.slice(0, cut);
  const rest = cut < 0 ? '' : replaced.slice(cut);
  const newPath = path.replace(SINGLE, (whole, name: string) => {
    if (has(vars, name)) return encodeURIComponent(vars[name]);
    unresolved.add(name);
    return whole;
  });
  return newPath + rest;
}

function substituteRows(rows: readonly KeyValue[] | undefined, ctx: Context): KeyValue[] | undefined {
  if (!rows) return undefined;
  return rows.map((row) => {
    // Disabled rows are not sent, so their variables do not need values.
    if (row.enabled === false) return row;
    return { ...row, name: substitute(row.name, ctx), value: substitute(row.value, ctx) };
  });
}

/**
 * Replaces {{name}} in URL, query, headers and body, and {name} path parameters in the URL path.
 * System variables get fresh values. Whatever has no value is left as written and listed in
 * `unresolved` (in order of appearance).
 */
export function resolveVariables(
  request: ApiRequest,
  vars: Readonly<Record<string, string>>,
  system: SystemVariableSource = systemVariableSource,
): { request: ApiRequest; unresolved: string[] } {
  const unresolved = new Set<string>();
  const ctx: Context = { vars, unresolved, system };
  const url = substituteUrl(request.url, ctx);
  const query = substituteRows(request.query, ctx);
  const headers = substituteRows(request.headers, ctx);
  const body = request.body === undefined ? undefined : substitute(request.body, ctx);
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
