// The sandbox's Auth0-style client-credentials token endpoint and the bearer-token check of the API:
// clients, HS256 signing, issued-token records (bounded) and a bounded cache of verified tokens.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { SandboxFaults } from './sandboxFaults';
import { json, JSON_TYPE, pushBounded, statusText, type SandboxAnswer } from './sandboxHttp';
import { signHs256, verifyHs256, type JwtClaims } from './sandboxJwt';

export interface SandboxClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly audience: string;
}

/** A client with a random 32-character id and a random 64-character secret (like Auth0's). */
export function randomClient(audience: string): SandboxClient {
  return {
    clientId: randomBytes(24).toString('base64url').slice(0, 32),
    clientSecret: randomBytes(48).toString('base64url').slice(0, 64),
    audience,
  };
}

export interface SandboxAuthConfig {
  readonly clients: readonly SandboxClient[];
  /** The audience the default client may request; the API accepts it and every client's. */
  readonly audience: string;
  readonly issuer: string;
  readonly signingKey: string;
  readonly tokenLifetimeSeconds: number;
  readonly scope: string;
}

const VERIFIED_CACHE_LIMIT = 10_000;
/** Issued tokens kept for leak scans; far more than any test issues. */
const ISSUED_LIMIT = 20_000;

interface TokenParams {
  client_id?: string;
  client_secret?: string;
  audience?: string;
  grant_type?: string;
}

export class SandboxAuth {
  readonly clients: readonly SandboxClient[];
  private readonly issued: string[] = [];
  private readonly verified = new Map<string, number>();
  private readonly acceptedAudiences: ReadonlySet<string>;
  private readonly signingKey: string;
  private readonly scope: string;
  private readonly tokenLifetimeSeconds: number;

  constructor(private readonly config: SandboxAuthConfig) {
    this.clients = config.clients;
    this.signingKey = config.signingKey;
    this.scope = config.scope;
    this.tokenLifetimeSeconds = config.tokenLifetimeSeconds;
    this.acceptedAudiences = new Set([config.audience, ...config.clients.map((c) => c.audience)]);
  }

  get issuedTokens(): readonly string[] {
    return this.issued;
  }

  /** Signs a token with this sandbox's key (defaults: a valid token of the default client). */
  mintToken(overrides: JwtClaims = {}): string {
    const token = signHs256({ ...this.claimsFor(this.clients[0]!, this.config.audience, Date.now()), ...overrides }, this.signingKey);
    this.record(token);
    return token;
  }

  /** The answer of POST /oauth/token, faults included. */
  answerToken(req: IncomingMessage, body: Buffer, f: SandboxFaults): SandboxAnswer {
    if (req.method !== 'POST') {
      return json(405, { error: 'invalid_request', error_description: 'Use POST for /oauth/token.' }, { allow: 'POST' });
    }
    if (f.tokenDropConnection) {
      return { drop: true };
    }
    if (f.tokenRateLimited) {
      const retryAfter = f.rateLimitRetryAfterSeconds;
      return json(429, { error: 'too_many_requests', error_description: 'Global limit has been reached' }, {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '30',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + retryAfter),
      });
    }
    if (f.tokenHtmlStatus !== undefined) {
      const status = f.tokenHtmlStatus;
      const html =
        status === 502
          ? '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n'
          : '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Sign in to StudyTeam</h1><form method="post"><input name="username"><input type="password" name="password"></form></body></html>\n';
      return { status, raw: Buffer.from(html), headers: { 'content-type': 'text/html; charset=utf-8' } };
    }
    if (f.tokenStatus !== undefined) {
      const status = f.tokenStatus;
      if (f.tokenStatusBody === 'plain') {
        return { status, raw: Buffer.from(`${status} ${statusText(status)}\n`), headers: { 'content-type': 'text/plain; charset=utf-8' } };
      }
      return json(status, { error: status === 503 ? 'temporarily_unavailable' : 'server_error', error_description: statusText(status) });
    }
    if (f.tokenMalformedJson) {
      return { status: 200, raw: Buffer.from('{"access_token":"unfinished-value","token_type":"Bear'), headers: { 'content-type': JSON_TYPE } };
    }

    const parsed = parseTokenRequest(req, body);
    if ('error' in parsed) {
      return oauthError(400, 'invalid_request', parsed.error);
    }
    const params = parsed.params;
    for (const field of ['grant_type', 'client_id', 'client_secret'] as const) {
      if (!params[field]) {
        return oauthError(400, 'invalid_request', `Missing required parameter: ${field}`);
      }
    }
    const client = this.clients.find((c) => c.clientId === params.client_id);
    if (!client || client.clientSecret !== params.client_secret) {
      return oauthError(401, 'access_denied', 'Unauthorized');
    }
    if (params.grant_type !== 'client_credentials') {
      return oauthError(403, 'unauthorized_client', `Grant type '${params.grant_type}' not allowed for the client.`);
    }
    if (!params.audience) {
      return oauthError(400, 'invalid_request', 'Missing required parameter: audience');
    }
    if (params.audience !== client.audience) {
      return oauthError(403, 'access_denied', `Service not enabled within domain: ${params.audience}`);
    }

    const now = Date.now();
    const claims = this.claimsFor(client, client.audience, now);
    const token = signHs256(claims, this.signingKey);
    this.record(token);
    this.remember(token, (claims['exp'] as number) * 1000);
    const answer: Record<string, unknown> = f.tokenMissingAccessToken
      ? { scope: this.scope, expires_in: this.tokenLifetimeSeconds, token_type: 'Bearer' }
      : { access_token: token, scope: this.scope, expires_in: this.tokenLifetimeSeconds, token_type: f.tokenWrongType ? 'mac' : 'Bearer' };
    return json(200, answer, { 'cache-control': 'no-store', pragma: 'no-cache' });
  }


  /** Undefined when the request carries a valid bearer token; otherwise why not. */
  authorize(headers: IncomingHttpHeaders, f: SandboxFaults): string | undefined {
    if (f.apiUnauthorizedAlways) return 'The access token was revoked';
    if (f.apiUnauthorizedOnce) {
      f.apiUnauthorizedOnce = false;
      return 'The access token was revoked';
    }
    const header = headers.authorization;
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
    if (iss !== this.config.issuer) return 'Invalid token issuer';
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.some((a) => typeof a === 'string' && this.acceptedAudiences.has(a))) return 'Invalid token audience';
    this.remember(token, exp * 1000);
    return exp * 1000 > now ? undefined : 'The access token expired';
  }

  private claimsFor(client: SandboxClient, audience: string, nowMs: number): JwtClaims {
    return {
      iss: this.config.issuer,
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

  private record(token: string): void {
    pushBounded(this.issued, token, ISSUED_LIMIT);
  }

  private remember(token: string, expMs: number): void {
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, expMs);
  }
}

function oauthError(status: number, error: string, description: string): SandboxAnswer {
  return json(status, { error, error_description: description }, { 'cache-control': 'no-store' });
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
