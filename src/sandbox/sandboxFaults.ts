// The sandbox's fault switches: tests flip them to make the token endpoint or the API misbehave.

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
