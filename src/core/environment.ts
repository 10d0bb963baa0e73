// The environment model: defaults, derived URLs, validation and request URL resolution. No `vscode`.
import { StudyTeamError } from './errors';
import type { Environment, KeyValue } from './model';

export const DEFAULT_ENVIRONMENTS: readonly Environment[] = Object.freeze([
  Object.freeze({ id: 'staging', name: 'Staging', baseUrl: 'https://staging.api.studyteamapp.com', production: false }),
  Object.freeze({ id: 'production', name: 'Production', baseUrl: 'https://api.studyteamapp.com', production: true }),
]);

function trimTrailingSlashes(url: string): string {
  // Called for every request (its URL, the token cache's identity): no regex when there is nothing to trim.
  return url.endsWith('/') ? url.replace(/\/+$/, '') : url;
}

/** env.tokenUrl, or `<baseUrl>/oauth/token`. */
export function tokenUrlOf(env: Environment): string {
  return env.tokenUrl ?? `${trimTrailingSlashes(env.baseUrl)}/oauth/token`;
}

/** env.audience, or the origin of the baseUrl. */
export function audienceOf(env: Environment): string {
  return env.audience ?? apiOriginOf(env);
}

const originCache = new Map<string, string>();

/** The origin (scheme://host[:port]) bearer tokens of this environment may be sent to. */
export function apiOriginOf(env: Environment): string {
  let origin = originCache.get(env.baseUrl);
  if (origin === undefined) {
    try {
      origin = new URL(env.baseUrl).origin;
    } catch {
      throw new StudyTeamError('invalid-environment', `${env.name}: the base URL "${env.baseUrl}" is not a valid URL.`, {
        environmentName: env.name,
        actions: ['editEnvironment'],
      });
    }
    if (originCache.size > 256) originCache.clear();
    originCache.set(env.baseUrl, origin);
  }
  return origin;
}

/**
 * A short name for narrow places (a view's title description): without a trailing "(…)" note, so "Sandbox (local)"
 * reads "Sandbox"; a production environment whose name does not say so gets "(prod)". The full name stays where
 * there is room (the Events view's status line, tooltips).
 */
export function shortEnvironmentName(env: Pick<Environment, 'name' | 'production'>): string {
  const short = env.name.replace(/\s*\([^()]*\)\s*$/, '').trim() || env.name.trim();
  return env.production && !/prod/i.test(short) ? `${short} (prod)` : short;
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1 (hosts no proxy can reach; the headless runner connects to them directly). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The only hosts plain http is allowed for: `localhost`, `127.0.0.1` and `[::1]`. VS Code's proxy
 * support connects to exactly these directly; any other name or address, even 127.0.0.2 or
 * api.localhost, may be sent through `http.proxy`, and over plain http the proxy would read the client
 * secret and the bearer token.
 */
export function isPlainHttpHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}

const PLAIN_HTTP_RULE =
  'plain http is only allowed for localhost, 127.0.0.1 and [::1] — the hosts VS Code never sends through a proxy; to any other host a proxy would see the client secret and the token in clear text';

const ID_PATTERN = /^[a-z0-9-]+$/;

function checkUrl(label: string, value: unknown, errors: string[], allowPath: boolean): string | undefined {
  if (typeof value !== 'string' || !value.trim()) {
    errors.push(`${label} is required.`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    errors.push(`${label} "${value}" is not a valid URL (expected e.g. https://api.studyteamapp.com).`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    errors.push(`${label} must use https:// (got ${url.protocol}).`);
    return undefined;
  }
  if (url.protocol === 'http:' && !isPlainHttpHost(url.hostname)) {
    errors.push(`${label} must use https:// (${url.host}): ${PLAIN_HTTP_RULE}.`);
  }
  if (url.username || url.password) errors.push(`${label} must not contain a user name or password.`);
  if (url.search || url.hash) errors.push(`${label} must not contain a query string or fragment.`);
  if (!allowPath && url.pathname !== '/' && url.pathname !== '') {
    errors.push(`${label} must not contain a path.`);
  }
  return trimTrailingSlashes(url.href);
}

/** Validates user/config input into an Environment, with messages a person can act on. */
export function validateEnvironment(input: unknown): { ok: true; value: Environment } | { ok: false; errors: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['An environment must be an object with id, name and baseUrl.'] };
  }
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  const id = typeof raw.id === 'string' ? raw.id.trim() : '';
  if (!id) errors.push('id is required.');
  else if (!ID_PATTERN.test(id)) errors.push(`id "${id}" may only contain lower-case letters, digits and "-".`);
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  if (!name) errors.push('name must not be empty.');
  const baseUrl = checkUrl('baseUrl', raw.baseUrl, errors, true);
  const tokenUrl = raw.tokenUrl === undefined || raw.tokenUrl === '' ? undefined : checkUrl('tokenUrl', raw.tokenUrl, errors, true);
  let audience: string | undefined;
  if (raw.audience !== undefined && raw.audience !== '') {
    if (typeof raw.audience !== 'string' || !raw.audience.trim()) errors.push('audience must be a non-empty string.');
    else audience = raw.audience.trim();
  }
  if (raw.production !== undefined && typeof raw.production !== 'boolean') errors.push('production must be true or false.');
  let variables: Record<string, string> | undefined;
  if (raw.variables !== undefined) {
    if (typeof raw.variables !== 'object' || raw.variables === null || Array.isArray(raw.variables)) {
      errors.push('variables must be an object of name → string value.');
    } else {
      variables = {};
      for (const [key, value] of Object.entries(raw.variables as Record<string, unknown>)) {
        if (typeof value !== 'string') errors.push(`variable "${key}" must be a string.`);
        else variables[key] = value;
      }
    }
  }
  if (errors.length || !baseUrl) return { ok: false, errors: errors.length ? errors : ['baseUrl is required.'] };
  const value: Environment = {
    id,
    name,
    baseUrl,
    production: raw.production === true,
    ...(tokenUrl ? { tokenUrl } : {}),
    ...(audience ? { audience } : {}),
    ...(variables ? { variables } : {}),
  };
  return { ok: true, value };
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/**
 * An absolute URL as is, or a path joined to the environment's baseUrl ("/rpi/sites" →
 * https://…/rpi/sites). Enabled query rows are appended. Throws StudyTeamError 'invalid-request'.
 */
export function resolveRequestUrl(env: Environment, urlOrPath: string, query?: readonly KeyValue[]): URL {
  const input = urlOrPath.trim();
  let href: string;
  if (ABSOLUTE_URL.test(input)) {
    href = input;
  } else {
    const path = input.startsWith('/') || input.startsWith('?') || input === '' ? input : `/${input}`;
    href = `${trimTrailingSlashes(env.baseUrl)}${path}`;
  }
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new StudyTeamError('invalid-request', `${env.name}: "${input}" is not a valid URL or path.`, {
      environmentName: env.name,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StudyTeamError('invalid-request', `${env.name}: only http(s) URLs can be sent (got ${url.protocol}).`, {
      environmentName: env.name,
    });
  }
  if (query && query.length) {
    let added = '';
    for (const row of query) {
      if (row.enabled === false || !row.name) continue;
      added += `${added ? '&' : ''}${encodeQueryPart(row.name)}=${encodeQueryPart(row.value)}`;
    }
    if (added) url.search = url.search && url.search !== '?' ? `${url.search}&${added}` : `?${added}`;
  }
  return url;
}

/** A resolved request URL as the runner uses it: the strings a URL object would build on every read. */
export interface RequestTarget {
  readonly href: string;
  readonly origin: string;
  readonly pathname: string;
}

/** Resolved targets per base URL, then per URL or path (the same strings each send: their hashes are kept), then per query. */
const targetCache = new Map<string, Map<string, { plain?: RequestTarget; byQuery?: Map<string, RequestTarget> }>>();
let targetCount = 0;

/**
 * resolveRequestUrl for the request runner, remembered per (base URL, URL or path, enabled query rows): a saved
 * request sent again resolves to the same target without parsing the URL again. Same answers and errors (an invalid
 * URL is never remembered, so it throws every time).
 */
export function resolveRequestTarget(env: Environment, urlOrPath: string, query?: readonly KeyValue[]): RequestTarget {
  let queryKey: string | undefined;
  if (query) {
    for (const row of query) {
      if (row.enabled === false || !row.name) continue;
      const name = String(row.name); // as resolveRequestUrl reads them, even from a hand-edited file
      const value = String(row.value);
      // Each part with its length in front: no two different row lists give the same key, whatever they hold.
      queryKey = `${queryKey ?? ''}${name.length}:${name}${value.length}:${value}`;
    }
  }
  let paths = targetCache.get(env.baseUrl);
  let targets = paths?.get(urlOrPath);
  const known = queryKey === undefined ? targets?.plain : targets?.byQuery?.get(queryKey);
  if (known) return known;
  const url = resolveRequestUrl(env, urlOrPath, query);
  const target: RequestTarget = Object.freeze({ href: url.href, origin: url.origin, pathname: url.pathname });
  if (targetCount >= 256) {
    targetCache.clear();
    targetCount = 0;
    paths = undefined;
  }
  if (!paths) targetCache.set(env.baseUrl, (paths = new Map()));
  targets = paths.get(urlOrPath);
  if (!targets) paths.set(urlOrPath, (targets = {}));
  if (queryKey === undefined) targets.plain = target;
  else (targets.byQuery ??= new Map()).set(queryKey, target);
  targetCount++;
  return target;
}
