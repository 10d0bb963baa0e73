// Sends one API request: resolves the URL, guards, adds the bearer token only for the API origin,
// retries once after a 401, follows redirects by hand, streams the body with a cap. No `vscode`.
import type { AuthService } from './authService';
import { apiOriginOf, resolveRequestTarget, type RequestTarget } from './environment';
import { describeNetworkFailure, formatSeconds, isStudyTeamError, StudyTeamError } from './errors';
import { startDeadline } from './deadline';
import { decodeText, discardBody, headerEntries, nodeFetch, readBody, type FetchLike, type FetchResponseLike } from './http';
import { silentLogger, type AccessToken, type ApiRequest, type ApiResponse, type Environment, type HttpMethod, type Logger } from './model';
import { REDACTED } from './redaction';

export type SendGuard = (env: Environment, request: { method: HttpMethod; url: string }) => Promise<boolean>;

export interface RequestRunnerOptions {
  auth: AuthService;
  fetch?: FetchLike;
  guard?: SendGuard;
  logger?: Logger;
  /** Default 30000; a function is read at each request (settings can change), like the auth service's. */
  timeoutMs?: number | (() => number);
  /** Default 50 MB; a function is read at each request. */
  maxBodyBytes?: number | (() => number);
}

export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBodyBytes?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 50 * 1024 * 1024;
const MAX_REDIRECTS = 5;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers never carried to another origin on a redirect. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const BEARER_SENT_REDACTED = `Bearer ${REDACTED}`;
const now = (): number => performance.now();
/** Content-Type from the header entries (names lower-cased), as Headers.get gives it: repeated values joined by ", ", '' when none. */
function contentTypeOf(headers: ReadonlyArray<[string, string]>): string {
  let value: string | undefined;
  for (const [name, v] of headers) if (name === 'content-type') value = value === undefined ? v : `${value}, ${v}`;
  return value ?? '';
}
/** `Bearer <token>` per token object, built once (not once per request); gone with the token. */
const bearers = new WeakMap<AccessToken, string>();
function bearerOf(token: AccessToken): string {
  let value = bearers.get(token);
  if (value === undefined) {
    value = `Bearer ${token.value}`;
    bearers.set(token, value);
  }
  return value;
}
const valueOf = (setting: number | (() => number)): number => (typeof setting === 'function' ? setting() : setting);

/** What messages need of a URL. */
type UrlParts = Pick<RequestTarget, 'origin' | 'pathname'>;

interface Attempt {
  response: FetchResponseLike;
  url: RequestTarget;
  method: HttpMethod;
  headers: Array<[string, string]>;
  body: string | undefined;
  /** The token actually sent to the final URL, if any. */
  sentToken: boolean;
  headersAt: number;
}

export class RequestRunner {
  private readonly auth: AuthService;
  private readonly fetchImpl: FetchLike;
  private readonly guard?: SendGuard;
  private readonly logger: Logger;
  private readonly timeoutMs: number | (() => number);
  private readonly maxBodyBytes: number | (() => number);
  /** False for the silent logger: its lines are not even built (the headless runner's default). */
  private readonly logging: boolean;

  constructor(options: RequestRunnerOptions) {
    this.auth = options.auth;
    this.fetchImpl = options.fetch ?? nodeFetch;
    this.guard = options.guard;
    this.logger = options.logger ?? silentLogger;
    this.logging = this.logger !== silentLogger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  async run(env: Environment, request: ApiRequest, options?: RunOptions): Promise<ApiResponse> {
    const started = now();
    const method = request.method;
    const url = resolveRequestTarget(env, request.url, request.query);
    const bearer = request.auth === 'bearer';
    const origin = url.origin;
    if (bearer && origin !== apiOriginOf(env)) {
      throw new StudyTeamError(
        'cross-origin',
        `${env.name}: refusing to send the ${env.name} token to ${origin} — bearer auth is only sent to ${apiOriginOf(env)}. Use auth "none" for other hosts, or edit the environment's base URL.`,
        { environmentName: env.name, actions: ['editEnvironment'] },
      );
    }
    const headers = this.userHeaders(env, request, bearer);
    const body = request.body === undefined || request.body === '' ? undefined : request.body;
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
      throw new StudyTeamError('invalid-request', `${env.name}: a ${method} request cannot have a body. Remove the body or use POST/PUT/PATCH.`, {
        environmentName: env.name,
      });
    }

    const signal = options?.signal;
    if (signal?.aborted) throw this.cancelled(env, method, url);
    // Credentials before the production question (never "this changes real data", then "no credentials"); a moved
    // origin is asked about here too. Both questions come before the deadline starts: a person's answer is not timed.
    if (bearer) await this.auth.requireCredentials(env);
    if (signal?.aborted) throw this.cancelled(env, method, url);
    if (this.guard && !(await this.guard(env, { method, url: url.href }))) {
      throw new StudyTeamError('declined', `${env.name}: ${method} ${url.pathname} was not sent (declined).`, { environmentName: env.name });
    }

    const timeoutMs = options?.timeoutMs ?? valueOf(this.timeoutMs);
    const deadline = startDeadline(timeoutMs, signal);

    let retried = false;
    let attempt: Attempt | undefined;
    try {
      let token = bearer ? await this.auth.getToken(env, { signal: deadline.signal }) : undefined;
      attempt = await this.send(env, url, origin, method, headers, body, token, deadline.signal);
      if (attempt.response.status === 401 && token && attempt.sentToken) {
        await discardBody(attempt.response.body);
        this.auth.invalidate(env, token.value);
        if (this.logging) this.logger.log('info', 'http', `${env.name}: ${method} ${url.pathname} → 401, refreshing the token and retrying once`);
        token = await this.auth.getToken(env, { signal: deadline.signal });
        retried = true;
        attempt = await this.send(env, url, origin, method, headers, body, token, deadline.signal);
      }
      const maxBytes = options?.maxBodyBytes ?? valueOf(this.maxBodyBytes);
      const read = method === 'HEAD' ? { body: Buffer.alloc(0), size: 0, truncated: false } : await readBody(attempt.response.body, maxBytes);
      if (read.truncated) deadline.abort();
      const response = attempt.response;
      const responseHeaders = headerEntries(response.headers);
      const contentType = contentTypeOf(responseHeaders);
      const totalMs = now() - started;
      if (this.logging) {
        this.logger.log(
          'info',
          'http',
          `${env.name}: ${method} ${attempt.url.pathname} → ${response.status} in ${Math.round(totalMs)} ms, ${read.size} B${read.truncated ? ' (truncated)' : ''}${retried ? ' (retried after 401)' : ''}`,
        );
      }
      return {
        status: response.status,
        statusText: response.statusText,
        headers: responseHeaders,
        contentType,
        body: read.body,
        text: decodeText(read.body, contentType),
        size: read.size,
        truncated: read.truncated,
        timings: { totalMs, headersMs: attempt.headersAt - started },
        request: {
          method: attempt.method,
          url: attempt.url.href,
          headers: attempt.sentToken ? [...attempt.headers, ['authorization', BEARER_SENT_REDACTED]] : attempt.headers,
          bodyBytes: attempt.body === undefined ? 0 : Buffer.byteLength(attempt.body),
        },
        retried,
      };
    } catch (error) {
      const failure = this.failure(env, method, url, error, deadline.timedOut, signal, timeoutMs);
      if (this.logging) this.logger.log('warn', 'http', `${env.name}: ${method} ${url.pathname} failed after ${Math.round(now() - started)} ms: ${failure.kind}`);
      throw failure;
    } finally {
      deadline.dispose();
    }
  }

  /** Enabled user headers; a user-typed Authorization is dropped when the token is managed. */
  private userHeaders(env: Environment, request: ApiRequest, bearer: boolean): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    let hasContentType = false;
    if (request.headers) {
      for (const row of request.headers) {
        if (row.enabled === false || !row.name) continue;
        const name = row.name.trim();
        if (!HEADER_NAME.test(name) || /[\r\n\0]/.test(row.value)) {
          throw new StudyTeamError('invalid-request', `${env.name}: header "${name.slice(0, 60)}" has an invalid name or value.`, {
            environmentName: env.name,
          });
        }
        const lower = name.toLowerCase();
        if (bearer && lower === 'authorization') continue;
        if (lower === 'content-type') hasContentType = true;
        out.push([name, row.value]);
      }
    }
    if (!hasContentType && request.body) {
      const first = request.body.trimStart()[0];
      if (first === '{' || first === '[') out.push(['content-type', 'application/json']);
    }
    return out;
  }

  /** One logical send: follows up to MAX_REDIRECTS redirects by hand. */
  private async send(
    env: Environment,
    firstUrl: RequestTarget,
    firstOrigin: string,
    firstMethod: HttpMethod,
    userHeaders: Array<[string, string]>,
    firstBody: string | undefined,
    token: AccessToken | undefined,
    signal: AbortSignal,
  ): Promise<Attempt> {
    const apiOrigin = token ? apiOriginOf(env) : '';
    let url = firstUrl;
    let origin = firstOrigin;
    let method = firstMethod;
    let body = firstBody;
    let headers = userHeaders;
    let withToken = token !== undefined;
    for (let redirects = 0; ; redirects++) {
      const sendToken = withToken && origin === apiOrigin;
      const init = sendToken ? [...headers, ['authorization', bearerOf(token!)] as [string, string]] : headers;
      const response = await this.fetchImpl(url.href, { method, headers: init, body, signal, redirect: 'manual' });
      const headersAt = now();
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
      if (!location) return { response, url, method, headers, body, sentToken: sendToken, headersAt };
      if (redirects >= MAX_REDIRECTS) {
        await discardBody(response.body);
        throw new StudyTeamError('bad-response', `${env.name}: ${firstMethod} ${firstUrl.pathname} was redirected more than ${MAX_REDIRECTS} times; stopped.`, {
          environmentName: env.name,
          status: response.status,
          actions: ['showLog'],
        });
      }
      let nextUrl: URL;
      try {
        nextUrl = new URL(location, url.href);
      } catch {
        return { response, url, method, headers, body, sentToken: sendToken, headersAt };
      }
      await discardBody(response.body);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        if (method !== 'HEAD') method = 'GET';
        body = undefined;
        headers = headers.filter(([n]) => n.toLowerCase() !== 'content-type' && n.toLowerCase() !== 'content-length');
      }
      const next: RequestTarget = { href: nextUrl.href, origin: nextUrl.origin, pathname: nextUrl.pathname };
      const nextOrigin = next.origin;
      if (nextOrigin !== origin) {
        // Never carry credentials to another origin, and never take them back afterwards.
        withToken = false;
        headers = headers.filter(([n]) => !CREDENTIAL_HEADERS.has(n.toLowerCase()));
      }
      if (this.logging) this.logger.log('debug', 'http', `${env.name}: ${response.status} redirect from ${url.pathname} to ${next.origin}${next.pathname}`);
      url = next;
      origin = nextOrigin;
    }
  }

  private cancelled(env: Environment, method: HttpMethod, url: UrlParts): StudyTeamError {
    return new StudyTeamError('cancelled', `${env.name}: ${method} ${url.pathname} cancelled.`, { environmentName: env.name });
  }

  private failure(
    env: Environment,
    method: HttpMethod,
    url: UrlParts,
    error: unknown,
    timedOut: boolean,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): StudyTeamError {
    if (timedOut) {
      return new StudyTeamError('timeout', `${env.name}: ${method} ${url.pathname} timed out after ${formatSeconds(timeoutMs / 1000)}.`, {
        environmentName: env.name,
        actions: ['showLog'],
      });
    }
    if (signal?.aborted) return this.cancelled(env, method, url);
    if (isStudyTeamError(error)) return error;
    const { code, description } = describeNetworkFailure(error);
    return new StudyTeamError('network', `${env.name}: ${method} ${url.origin}${url.pathname} failed (${description}). Check the URL and your network connection.`, {
      environmentName: env.name,
      code,
      actions: ['showLog', 'editEnvironment'],
    });
  }
}
