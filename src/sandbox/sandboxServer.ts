// A local StudyTeam look-alike: an Auth0-style client-credentials token endpoint and the documented
// StudyTeam API calls over in-memory fake data, with fault switches for tests. Plain Node, no vscode.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Environment } from '../core/model';
import { bigJsonArray, makeEvents, makeSites, SANDBOX_TRIALS, type SandboxEvent, type SandboxSite } from './data';
import { signHs256, verifyHs256, type JwtClaims } from './sandboxJwt';

export interface SandboxClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly audience: string;
}

export interface SandboxOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Serve https with this key and certificate (PEM) instead of plain http. */
  tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** Host name in `url` instead of the listening address (e.g. a name a test proxy resolves). */
  publicHost?: string;
  /** A label such as "Staging sandbox". */
  name?: string;
  /** Allowed clients; the first is the default. Default: one random client for `audience`. */
  clients?: SandboxClient[];
  /** Lifetime of issued tokens (expires_in). Default 900. */
  tokenLifetimeSeconds?: number;
  /** HS256 key. Default: 32 random bytes, so two sandboxes never accept each other's tokens. */
  signingKey?: string;
  /** Audience the API accepts besides the clients' audiences. Default: the sandbox url. */
  audience?: string;
  /** `scope` claim of issued tokens. */
  scope?: string;
}

/** Mutable fault switches. Everything off by default; `resetFaults()` turns them all off again. */
export interface SandboxFaults {
  /** Token endpoint: wait this long before answering (applies to faulty answers too). */
  tokenDelayMs: number;
  /** Token endpoint: answer with this status (e.g. 500, 503) and an error body. */
  tokenStatus?: number;
  /** Body of `tokenStatus`: Auth0-like JSON (default) or a plain-text line. */
  tokenStatusBody: 'json' | 'plain';
  /** Token endpoint: answer with an HTML page — 502 (a proxy error page) or 200 (a login page). */
  tokenHtmlStatus?: 502 | 200;
  /** Token endpoint: 200 application/json with a truncated, unparsable body. */
  tokenMalformedJson: boolean;
  /** Token endpoint: 429 with retry-after and x-ratelimit-limit/remaining/reset headers. */
  tokenRateLimited: boolean;
  /** retry-after of `tokenRateLimited` (x-ratelimit-reset is now + this). Default 30. */
  rateLimitRetryAfterSeconds: number;
  /** Token endpoint: destroy the socket without answering. */
  tokenDropConnection: boolean;
  /** Token endpoint: success body with token_type "mac" (a real token is still issued). */
  tokenWrongType: boolean;
  /** Token endpoint: success body without access_token. */
  tokenMissingAccessToken: boolean;
  /** API (everything but /oauth/token): wait this long before answering. */
  apiDelayMs: number;
  /** Protected API: the next call answers 401 even with a valid token; then switches itself off. */
  apiUnauthorizedOnce: boolean;
  /** Protected API: every call answers 401. */
  apiUnauthorizedAlways: boolean;
  /** API: send the headers (full content-length) and half the body, then destroy the socket. */
  apiDropMidBody: boolean;
  /** API (after the token check): answer with this status and a JSON error body. */
  apiStatus?: number;
  /** GET /rpi/sites returns a JSON array of about this many MiB instead of the normal list. 0 = off. */
  bigJsonMb: number;
}

export interface SandboxApiRequest {
  readonly method: string;
  /** Path plus query string, as received. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
}

export function defaultFaults(): SandboxFaults {
  return {
    tokenDelayMs: 0,
    tokenStatus: undefined,
    tokenStatusBody: 'json',
    tokenHtmlStatus: undefined,
    tokenMalformedJson: false,
    tokenRateLimited: false,
    rateLimitRetryAfterSeconds: 30,
    tokenDropConnection: false,
    tokenWrongType: false,
    tokenMissingAccessToken: false,
    apiDelayMs: 0,
    apiUnauthorizedOnce: false,
    apiUnauthorizedAlways: false,
    apiDropMidBody: false,
    apiStatus: undefined,
    bigJsonMb: 0,
  };
}

/** A client with a random 32-character id and a random 64-character secret (like Auth0's). */
export function randomClient(audience: string): SandboxClient {
  return {
    clientId: randomBytes(24).toString('base64url').slice(0, 32),
    clientSecret: randomBytes(48).toString('base64url').slice(0, 64),
    audience,
  };
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TOKEN_BODY_LIMIT = 64 * 1024;
const API_BODY_LIMIT = 10 * 1024 * 1024;
const VERIFIED_CACHE_LIMIT = 10_000;
const DEFAULT_SCOPE = 'read:sites write:referrals read:events';

interface TokenParams {
  client_id?: string;
  client_secret?: string;
  audience?: string;
  grant_type?: string;
}

interface StoredReferral {
  readonly id: string;
  readonly siteId: number;
  readonly trialId: string;
  readonly subjectId: string;
  status: string;
  readonly createdAt: string;
  updatedAt: string;
  referral: Record<string, unknown>;
}

export class SandboxServer {
  /** Starts a sandbox listening on `options.host`:`options.port` (127.0.0.1, a free port by default). */
  static async start(options: SandboxOptions = {}): Promise<SandboxServer> {
    const sandbox = new SandboxServer(options);
    await sandbox.listen(options.host ?? '127.0.0.1', options.port ?? 0);
    return sandbox;
  }

  faults: SandboxFaults = defaultFaults();
  readonly counters = { tokenRequests: 0, apiRequests: 0 };
  readonly name: string;
  readonly tokenLifetimeSeconds: number;
  readonly scope: string;

  private readonly server: Server;
  private readonly signingKey: string;
  private urlValue = '';
  private audienceValue = '';
  private clientList: SandboxClient[] = [];
  private acceptedAudiences = new Set<string>();
  private readonly issued: string[] = [];
  private readonly bodies: string[] = [];
  private last: { method: string; path: string; headers: IncomingHttpHeaders } | undefined;
  private readonly verified = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sites: readonly SandboxSite[];
  private readonly sitesById: ReadonlyMap<number, SandboxSite>;
  private readonly sitesJson: Buffer;
  private readonly events: SandboxEvent[];
  private readonly referrals = new Map<string, StoredReferral>();
  private referralSeq = 0;
  private stopping: Promise<void> | undefined;

  private constructor(private readonly options: SandboxOptions) {
    this.name = options.name ?? 'StudyTeam sandbox';
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 900;
    this.scope = options.scope ?? DEFAULT_SCOPE;
    this.signingKey = options.signingKey ?? randomBytes(32).toString('base64url');
    this.sites = makeSites();
    this.sitesById = new Map(this.sites.map((s) => [s.id, s]));
    this.sitesJson = Buffer.from(JSON.stringify(this.sites), 'utf8');
    this.events = makeEvents(this.sites);
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    // An https.Server has the same request/close API; typed as the http one it is used as.
    this.server = options.tls ? (createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) as unknown as Server) : createServer(handler);
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
  }

  /** http://127.0.0.1:PORT (https://… with `tls`; `publicHost` in place of the address) */
  get url(): string {
    return this.urlValue;
  }
  get tokenUrl(): string {
    return `${this.urlValue}/oauth/token`;
  }
  /** The audience the default client may request (the url unless options.audience). */
  get audience(): string {
    return this.audienceValue;
  }
  get issuer(): string {
    return `${this.urlValue}/`;
  }
  /** The first client is the default one. */
  get clients(): readonly SandboxClient[] {
    return this.clientList;
  }
  /** Every token this sandbox issued or minted (for leak scans). */
  get issuedTokens(): readonly string[] {
    return this.issued;
  }
  /** Raw non-empty request bodies of API calls, in order (patient data, for leak scans). */
  get receivedBodies(): readonly string[] {
    return this.bodies;
  }
  /** Method, path (with query) and headers of the last API request (not /oauth/token). */
  get lastApiRequest(): SandboxApiRequest | undefined {
    const last = this.last;
    return last && { method: last.method, path: last.path, headers: copyHeaders(last.headers) };
  }
  /** Fake data, for tests that need real ids (e.g. `sites[0].id`, `trials[0].micrositeId`). */
  get data(): { readonly sites: readonly SandboxSite[]; readonly trials: typeof SANDBOX_TRIALS } {
    return { sites: this.sites, trials: SANDBOX_TRIALS };
  }

  /** An Environment pointing at this sandbox (not production unless asked). */
  environment(id = 'sandbox', production = false): Environment {
    return { id, name: this.name, baseUrl: this.urlValue, production };
  }

  /** Signs a token with this sandbox's key (defaults: a valid token of the default client). Recorded in issuedTokens. */
  mintToken(overrides: JwtClaims = {}): string {
    const token = signHs256({ ...this.claimsFor(this.clientList[0]!, this.audienceValue, Date.now()), ...overrides }, this.signingKey);
    this.issued.push(token);
    return token;
  }

  resetCounters(): void {
    this.counters.tokenRequests = 0;
    this.counters.apiRequests = 0;
  }

  resetFaults(): void {
    Object.assign(this.faults, defaultFaults());
  }

  /** Closes the server, every open (keep-alive) connection and pending delayed answer. Idempotent. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = new Promise<void>((resolve) => {
        for (const t of this.timers) clearTimeout(t);
        this.timers.clear();
        if (!this.server.listening) {
          resolve();
          return;
        }
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    }
    return this.stopping;
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.urlValue = `${this.options.tls ? 'https' : 'http'}://${this.options.publicHost ?? hostPart}:${address.port}`;
        this.audienceValue = this.options.audience ?? this.urlValue;
        this.clientList = this.options.clients?.length ? [...this.options.clients] : [randomClient(this.audienceValue)];
        this.acceptedAudiences = new Set([this.audienceValue, ...this.clientList.map((c) => c.audience)]);
        resolve();
      });
    });
  }

  // ---- dispatch -------------------------------------------------------------------------------

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? '' : rawUrl.slice(q + 1);
    if (path === '/oauth/token') {
      this.counters.tokenRequests++;
      this.readBody(req, res, TOKEN_BODY_LIMIT, (body) => this.later(this.faults.tokenDelayMs, () => this.answerToken(req, res, body)));
      return;
    }
    this.counters.apiRequests++;
    this.last = { method: req.method ?? 'GET', path: rawUrl, headers: req.headers };
    const proceed = (body: Buffer): void => {
      if (body.length > 0) this.bodies.push(body.toString('utf8'));
      this.later(this.faults.apiDelayMs, () => this.guard(res, () => this.answerApi(req, res, path, query, body)));
    };
    if (hasBody(req)) this.readBody(req, res, API_BODY_LIMIT, proceed);
    else {
      req.resume();
      proceed(EMPTY);
    }
  }

  private readBody(req: IncomingMessage, res: ServerResponse, limit: number, done: (body: Buffer) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        this.sendJson(res, 413, { error: 'invalid_request', error_description: `Request body larger than ${limit} bytes.` }, false);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on('error', () => undefined);
  }

  private later(ms: number, fn: () => void): void {
    if (!(ms > 0)) {
      fn();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private guard(res: ServerResponse, fn: () => void): void {
    try {
      fn();
    } catch {
      if (!res.headersSent) this.sendJson(res, 500, { error: 'server_error', error_description: 'The sandbox failed to answer this request.' }, false);
      else res.destroy();
    }
  }

  // ---- token endpoint -------------------------------------------------------------------------

  private answerToken(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const f = this.faults;
    if (req.method !== 'POST') {
      this.sendJson(res, 405, { error: 'invalid_request', error_description: 'Use POST for /oauth/token.' }, false, { allow: 'POST' });
      return;
    }
    if (f.tokenDropConnection) {
      req.socket.destroy();
      return;
    }
    if (f.tokenRateLimited) {
      const retryAfter = f.rateLimitRetryAfterSeconds;
      this.sendJson(res, 429, { error: 'too_many_requests', error_description: 'Global limit has been reached' }, false, {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '30',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + retryAfter),
      });
      return;
    }
    if (f.tokenHtmlStatus !== undefined) {
      const status = f.tokenHtmlStatus;
      const html =
        status === 502
          ? '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n'
          : '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Sign in to StudyTeam</h1><form method="post"><input name="username"><input type="password" name="password"></form></body></html>\n';
      this.send(res, status, { 'content-type': 'text/html; charset=utf-8' }, Buffer.from(html), false);
      return;
    }
    if (f.tokenStatus !== undefined) {
      const status = f.tokenStatus;
      if (f.tokenStatusBody === 'plain') {
        this.send(res, status, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from(`${status} ${statusText(status)}\n`), false);
      } else {
        this.sendJson(res, status, { error: status === 503 ? 'temporarily_unavailable' : 'server_error', error_description: statusText(status) }, false);
      }
      return;
    }
    if (f.tokenMalformedJson) {
      this.send(res, 200, { 'content-type': JSON_TYPE }, Buffer.from('{"access_token":"unfinished-value","token_type":"Bear'), false);
      return;
    }

    const parsed = parseTokenRequest(req, body);
    if ('error' in parsed) {
      this.oauthError(res, 400, 'invalid_request', parsed.error);
      return;
    }
    const params = parsed.params;
    for (const field of ['grant_type', 'client_id', 'client_secret'] as const) {
      if (!params[field]) {
        this.oauthError(res, 400, 'invalid_request', `Missing required parameter: ${field}`);
        return;
      }
    }
    const client = this.clientList.find((c) => c.clientId === params.client_id);
    if (!client || client.clientSecret !== params.client_secret) {
      this.oauthError(res, 401, 'access_denied', 'Unauthorized');
      return;
    }
    if (params.grant_type !== 'client_credentials') {
      this.oauthError(res, 403, 'unauthorized_client', `Grant type '${params.grant_type}' not allowed for the client.`);
      return;
    }
    if (!params.audience) {
      this.oauthError(res, 400, 'invalid_request', 'Missing required parameter: audience');
      return;
    }
    if (params.audience !== client.audience) {
      this.oauthError(res, 403, 'access_denied', `Service not enabled within domain: ${params.audience}`);
      return;
    }

    const now = Date.now();
    const claims = this.claimsFor(client, client.audience, now);
    const token = signHs256(claims, this.signingKey);
    this.issued.push(token);
    this.remember(token, (claims['exp'] as number) * 1000);
    const answer: Record<string, unknown> = f.tokenMissingAccessToken
      ? { scope: this.scope, expires_in: this.tokenLifetimeSeconds, token_type: 'Bearer' }
      : { access_token: token, scope: this.scope, expires_in: this.tokenLifetimeSeconds, token_type: f.tokenWrongType ? 'mac' : 'Bearer' };
    this.sendJson(res, 200, answer, false, { 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  private claimsFor(client: SandboxClient, audience: string, nowMs: number): JwtClaims {
    return {
      iss: this.issuer,
      sub: `${client.clientId}@clients`,
      aud: audience,
      iat: Math.floor(nowMs / 1000),
      // Rounded up: the token lives at least expires_in seconds, so a client trusting expires_in is never late.
      exp: Math.ceil((nowMs + this.tokenLifetimeSeconds * 1000) / 1000),
      scope: this.scope,
      gty: 'client-credentials',
      azp: client.clientId,
      jti: randomUUID(),
    };
  }

  private oauthError(res: ServerResponse, status: number, error: string, description: string): void {
    this.sendJson(res, status, { error, error_description: description }, false, { 'cache-control': 'no-store' });
  }

  // ---- API ------------------------------------------------------------------------------------

  private answerApi(req: IncomingMessage, res: ServerResponse, path: string, query: string, body: Buffer): void {
    const method = req.method ?? 'GET';
    if (path === '/sandbox/big') {
      if (method !== 'GET') return this.methodNotAllowed(res, 'GET');
      const mb = Number(new URLSearchParams(query).get('mb') ?? '1');
      if (!Number.isFinite(mb) || mb < 0 || mb > 512) {
        return this.sendJson(res, 400, { error: 'invalid_request', error_description: 'mb must be a number from 0 to 512.' }, true);
      }
      return this.send(res, 200, { 'content-type': JSON_TYPE }, bigJsonArray(mb), true);
    }
    if (path.startsWith('/microsites-api/v1/')) return this.answerMicrosite(req, res, path);
    if (path !== '/rpi' && !path.startsWith('/rpi/')) {
      return this.sendJson(res, 404, { error: 'not_found', error_description: `No route for ${method} ${path}` }, true);
    }

    const problem = this.authorize(req);
    if (problem) {
      return this.sendJson(res, 401, { error: 'invalid_token', error_description: problem }, true, {
        'www-authenticate': `Bearer error="invalid_token", error_description="${problem}"`,
      });
    }
    if (this.faults.apiStatus !== undefined) {
      const status = this.faults.apiStatus;
      return this.sendJson(res, status, { error: 'server_error', error_description: statusText(status) }, true);
    }

    const segments = path.split('/').filter((s) => s.length > 0).map(safeDecode); // ['rpi', ...]
    if (segments[1] === 'sites' && segments.length === 2) {
      if (method !== 'GET') return this.methodNotAllowed(res, 'GET');
      const mb = this.faults.bigJsonMb;
      return this.send(res, 200, { 'content-type': JSON_TYPE }, mb > 0 ? bigJsonArray(mb) : this.sitesJson, true);
    }
    if (segments[1] === 'events' && segments.length === 2) {
      if (method !== 'GET') return this.methodNotAllowed(res, 'GET');
      return this.answerEvents(res, query);
    }
    if (segments[1] === 'sites' && segments[3] === 'referrals') {
      const site = this.sitesById.get(Number(segments[2]));
      if (segments.length === 4) {
        if (method !== 'POST') return this.methodNotAllowed(res, 'POST');
        if (!site) return this.siteNotFound(res, segments[2]!);
        return this.createReferral(res, site, body);
      }
      if (segments.length === 6 && segments[4] === 'subjects') {
        if (method !== 'PUT') return this.methodNotAllowed(res, 'PUT');
        if (!site) return this.siteNotFound(res, segments[2]!);
        return this.updateSubject(res, site, segments[5]!, body);
      }
    }
    return this.sendJson(res, 404, { error: 'not_found', error_description: `No route for ${method} ${path}` }, true);
  }

  /** Undefined when the request carries a valid bearer token; otherwise why not. */
  private authorize(req: IncomingMessage): string | undefined {
    const f = this.faults;
    if (f.apiUnauthorizedAlways) return 'The access token was revoked';
    if (f.apiUnauthorizedOnce) {
      f.apiUnauthorizedOnce = false;
      return 'The access token was revoked';
    }
    const header = req.headers.authorization;
    if (!header) return 'Missing bearer token';
    if (header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return 'The Authorization header must use the Bearer scheme';
    const token = header.slice(7).trim();
    const now = Date.now();
    const known = this.verified.get(token);
    if (known !== undefined) return known > now ? undefined : 'The access token expired';
    const result = verifyHs256(token, this.signingKey);
    if (!result.ok) {
      return result.reason === 'signature' ? 'Invalid token signature' : result.reason === 'algorithm' ? 'Unsupported token algorithm' : 'Malformed access token';
    }
    const { exp, aud, iss } = result.claims;
    if (typeof exp !== 'number') return 'The access token has no expiry';
    if (iss !== this.issuer) return 'Invalid token issuer';
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.some((a) => typeof a === 'string' && this.acceptedAudiences.has(a))) return 'Invalid token audience';
    this.remember(token, exp * 1000);
    return exp * 1000 > now ? undefined : 'The access token expired';
  }

  private remember(token: string, expMs: number): void {
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, expMs);
  }

  private answerEvents(res: ServerResponse, query: string): void {
    const params = new URLSearchParams(query);
    const list = (name: string): string[] =>
      params
        .getAll(name)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
    const eventTypes = list('eventTypes');
    const trialIds = list('trialIds');
    let sinceMs = Number.NEGATIVE_INFINITY;
    const since = params.get('since');
    if (since) {
      sinceMs = Date.parse(since);
      if (Number.isNaN(sinceMs)) return this.sendJson(res, 400, { error: 'invalid_request', error_description: 'since must be an ISO 8601 date-time, e.g. 2025-01-06T00:00:00Z.' }, true);
    }
    let limit = 100;
    const limitText = params.get('limit');
    if (limitText !== null && limitText !== '') {
      limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        return this.sendJson(res, 400, { error: 'invalid_request', error_description: 'limit must be an integer from 1 to 1000.' }, true);
      }
    }
    const matches: SandboxEvent[] = [];
    for (const event of this.events) {
      if (matches.length >= limit) break;
      if (eventTypes.length && !eventTypes.includes(event.eventType)) continue;
      if (trialIds.length && !trialIds.includes(event.trialId)) continue;
      if (Date.parse(event.occurredAt) < sinceMs) continue;
      matches.push(event);
    }
    this.sendJson(res, 200, matches, true);
  }

  private createReferral(res: ServerResponse, site: SandboxSite, body: Buffer): void {
    const input = parseJsonObjectBody(body);
    if ('error' in input) return this.sendJson(res, 400, { error: 'invalid_request', error_description: input.error }, true);
    const subjectIdInput = input.value['subjectId'];
    if (subjectIdInput !== undefined && typeof subjectIdInput !== 'string') {
      return this.sendJson(res, 400, { error: 'invalid_request', error_description: 'subjectId must be a string.' }, true);
    }
    const now = new Date().toISOString();
    const seq = ++this.referralSeq;
    const referral: StoredReferral = {
      id: `ref_${String(100000 + seq)}`,
      siteId: site.id,
      trialId: site.trialId,
      subjectId: subjectIdInput ?? `SUBJ-${String(90000 + seq)}`,
      status: 'received',
      createdAt: now,
      updatedAt: now,
      referral: input.value,
    };
    this.referrals.set(`${site.id}/${referral.subjectId}`, referral);
    this.events.push({ id: `evt_r${seq}`, eventType: 'referral.created', occurredAt: now, trialId: site.trialId, siteId: site.id, subjectId: referral.subjectId, data: { source: 'partner', priority: false } });
    this.sendJson(res, 201, referral, true, { location: `/rpi/sites/${site.id}/referrals/subjects/${encodeURIComponent(referral.subjectId)}` });
  }

  private updateSubject(res: ServerResponse, site: SandboxSite, subjectId: string, body: Buffer): void {
    const input = parseJsonObjectBody(body);
    if ('error' in input) return this.sendJson(res, 400, { error: 'invalid_request', error_description: input.error }, true);
    const key = `${site.id}/${subjectId}`;
    const now = new Date().toISOString();
    const existing = this.referrals.get(key);
    const status = typeof input.value['status'] === 'string' ? (input.value['status'] as string) : undefined;
    const updated: StoredReferral = existing ?? {
      id: `ref_${String(100000 + ++this.referralSeq)}`,
      siteId: site.id,
      trialId: site.trialId,
      subjectId,
      status: 'received',
      createdAt: now,
      updatedAt: now,
      referral: {},
    };
    updated.referral = { ...updated.referral, ...input.value };
    updated.status = status ?? updated.status;
    updated.updatedAt = now;
    this.referrals.set(key, updated);
    this.sendJson(res, 200, updated, true);
  }

  private answerMicrosite(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.headers.authorization !== undefined) {
      return this.sendJson(res, 400, {
        error: 'invalid_request',
        error_description: 'The microsites API is public: send this request without an Authorization header.',
      }, true);
    }
    const segments = path.split('/').filter((s) => s.length > 0).map(safeDecode); // microsites-api, v1, :micrositeId, sites, :trialId
    if (segments.length !== 5 || segments[3] !== 'sites') {
      return this.sendJson(res, 404, { error: 'not_found', error_description: `No route for ${req.method ?? 'GET'} ${path}` }, true);
    }
    if (req.method !== 'GET') return this.methodNotAllowed(res, 'GET');
    const [, , micrositeId, , trialId] = segments;
    const trial = SANDBOX_TRIALS.find((t) => t.id === trialId && t.micrositeId === micrositeId);
    if (!trial) {
      return this.sendJson(res, 404, { error: 'not_found', error_description: `Microsite ${micrositeId} has no trial ${trialId}.` }, true);
    }
    const sites = this.sites
      .filter((s) => s.trialId === trial.id && s.acceptsReferrals)
      .map((s) => ({ id: s.id, name: s.name, city: s.address.city, state: s.address.state, postalCode: s.address.postalCode, status: s.status }));
    this.sendJson(res, 200, { micrositeId, trialId: trial.id, trialName: trial.name, sites }, true);
  }

  private siteNotFound(res: ServerResponse, siteId: string): void {
    this.sendJson(res, 404, { error: 'not_found', error_description: `Site ${siteId} not found.` }, true);
  }

  private methodNotAllowed(res: ServerResponse, allow: string): void {
    this.sendJson(res, 405, { error: 'method_not_allowed', error_description: `Use ${allow} for this route.` }, true, { allow });
  }

  // ---- responses ------------------------------------------------------------------------------

  private sendJson(res: ServerResponse, status: number, value: unknown, api: boolean, headers: Record<string, string> = {}): void {
    this.send(res, status, { ...headers, 'content-type': JSON_TYPE }, Buffer.from(JSON.stringify(value), 'utf8'), api);
  }

  private send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, api: boolean): void {
    if (res.headersSent || res.destroyed) return;
    if (api && this.faults.apiDropMidBody && body.length > 1) {
      res.writeHead(status, { ...headers, 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.end(body);
  }
}

const EMPTY = Buffer.alloc(0);

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function copyHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function statusText(status: number): string {
  switch (status) {
    case 500: return 'Internal Server Error';
    case 502: return 'Bad Gateway';
    case 503: return 'Service Unavailable';
    case 504: return 'Gateway Timeout';
    default: return `Error ${status}`;
  }
}

function parseJsonObjectBody(body: Buffer): { value: Record<string, unknown> } | { error: string } {
  if (body.length === 0) return { error: 'A JSON object body is required.' };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { error: 'The request body is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'The request body must be a JSON object.' };
  return { value: value as Record<string, unknown> };
}

/** Reads client-credentials parameters from a JSON or form body and/or HTTP Basic client authentication. */
function parseTokenRequest(req: IncomingMessage, body: Buffer): { params: TokenParams } | { error: string } {
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const params: TokenParams = {};
  const text = body.toString('utf8');
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(text);
    for (const key of ['client_id', 'client_secret', 'audience', 'grant_type'] as const) {
      const v = form.get(key);
      if (v !== null) params[key] = v;
    }
  } else if (contentType === '' || contentType.includes('json')) {
    if (text.trim() !== '') {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { error: 'Malformed JSON body.' };
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'The body must be a JSON object.' };
      const record = value as Record<string, unknown>;
      for (const key of ['client_id', 'client_secret', 'audience', 'grant_type'] as const) {
        const v = record[key];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'string') return { error: `${key} must be a string.` };
        params[key] = v;
      }
    }
  } else {
    return { error: 'Unsupported content type: send application/json or application/x-www-form-urlencoded.' };
  }
  const authorization = req.headers.authorization;
  if (authorization && /^basic\s/i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { error: 'Malformed HTTP Basic client authentication.' };
    const id = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    if (params.client_id !== undefined && params.client_id !== id) return { error: 'client_id in the body does not match the Authorization header.' };
    params.client_id = id;
    params.client_secret = secret;
  }
  return { params };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
