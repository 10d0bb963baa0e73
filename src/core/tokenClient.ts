// OAuth 2.0 client-credentials token request against StudyTeam's (Auth0) token endpoint. No `vscode`.
import { tokenUrlOf, audienceOf } from './environment';
import { describeNetworkFailure, formatSeconds, StudyTeamError, type ErrorAction, type StudyTeamErrorKind } from './errors';
import { startDeadline } from './deadline';
import { nodeFetch, readBody, type FetchLike, type FetchResponseLike } from './http';
import { jwtExpiryMs } from './jwt';
import { systemClock, type AccessToken, type ClientCredentials, type Clock, type Environment } from './model';
import { redactText } from './redaction';

export interface TokenRequestOptions {
  fetch?: FetchLike;
  /** Default 15000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  clock?: Clock;
}

const DEFAULT_TOKEN_TIMEOUT_MS = 15_000;
/** Lifetime assumed when the response has neither expires_in nor a JWT exp. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 900;
const MAX_TOKEN_BODY_BYTES = 256 * 1024;
const EXCERPT_CHARS = 120;

/** A short, single-line, tag-free, redacted excerpt of a response body. */
function bodyExcerpt(text: string, secrets?: readonly string[], max = EXCERPT_CHARS): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const redacted = redactText(plain, secrets);
  return redacted.length > max ? `${redacted.slice(0, max - 1)}…` : redacted;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds to wait, from Retry-After (seconds or HTTP date) or X-RateLimit-Reset (epoch seconds or delta). */
export function retryAfterSecondsOf(response: FetchResponseLike, nowMs: number): number | undefined {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - nowMs) / 1000));
  }
  const reset = response.headers.get('x-ratelimit-reset');
  if (reset && /^\d+(\.\d+)?$/.test(reset.trim())) {
    const value = Number(reset.trim());
    // Auth0 sends a UNIX timestamp in seconds; small values are a delta.
    return value > 1_000_000_000 ? Math.max(0, Math.ceil(value - nowMs / 1000)) : Math.ceil(value);
  }
  return undefined;
}

/** POSTs the client-credentials grant and returns a validated token. Throws StudyTeamError. */
export async function requestToken(
  env: Environment,
  credentials: ClientCredentials,
  options: TokenRequestOptions = {},
): Promise<AccessToken> {
  const fetchImpl = options.fetch ?? nodeFetch;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS;
  const secrets = [credentials.clientSecret];
  const name = env.name;
  const url = tokenUrlOf(env);
  const fail = (
    kind: StudyTeamErrorKind,
    message: string,
    extra: { status?: number; oauthError?: string; oauthDescription?: string; retryAfterSeconds?: number; code?: string; actions?: ErrorAction[] } = {},
  ): StudyTeamError =>
    new StudyTeamError(kind, `${name}: ${message}`, { environmentName: name, secrets, actions: ['showLog'], ...extra });

  if (options.signal?.aborted) throw fail('cancelled', 'token request cancelled.', { actions: [] });

  const deadline = startDeadline(timeoutMs, options.signal);

  const abortedError = (): StudyTeamError | undefined => {
    if (deadline.timedOut) {
      return fail('timeout', `the token endpoint ${url} did not answer within ${formatSeconds(timeoutMs / 1000)}. Check your network or try again.`, {
        actions: ['showLog', 'editEnvironment'],
      });
    }
    if (options.signal?.aborted) return fail('cancelled', 'token request cancelled.', { actions: [] });
    return undefined;
  };

  const body = JSON.stringify({
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    audience: audienceOf(env),
    grant_type: 'client_credentials',
  });

  let response: FetchResponseLike;
  let text: string;
  try {
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: [
          ['content-type', 'application/json'],
          ['accept', 'application/json'],
        ],
        body,
        signal: deadline.signal,
        redirect: 'manual',
      });
      text = (await readBody(response.body, MAX_TOKEN_BODY_BYTES)).body.toString('utf8');
    } catch (error) {
      const aborted = abortedError();
      if (aborted) throw aborted;
      const { code, description } = describeNetworkFailure(error);
      throw fail('network', `could not reach the token endpoint ${url} (${description}). Check the token URL and your network connection.`, {
        code,
        actions: ['editEnvironment', 'showLog'],
      });
    }
  } finally {
    deadline.dispose();
  }

  const status = response.status;
  const statusLine = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const json = parseJsonObject(text);
  const contentType = response.headers.get('content-type') ?? '';
  const excerpt = (): string => {
    const short = bodyExcerpt(text, secrets);
    return short ? ` Response began: "${short}"` : ' The response body was empty.';
  };

  if (status >= 200 && status < 300) {
    if (!json) {
      const what = /html/i.test(contentType) || /^\s*</.test(text) ? 'an HTML page' : 'something that is not JSON';
      throw fail('bad-response', `the token endpoint answered ${statusLine} with ${what} instead of a token. Check the token URL.${excerpt()}`, {
        status,
        actions: ['editEnvironment', 'showLog'],
      });
    }
    return validateTokenBody(json, clock.now(), (problem) =>
      fail('bad-response', `the token endpoint answered ${statusLine} but ${problem}. Check that the token URL points at the OAuth token endpoint.`, {
        status,
        actions: ['editEnvironment', 'showLog'],
      }),
    );
  }

  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    throw fail('bad-response', `the token endpoint ${url} redirected (${statusLine}${location ? ` to ${location}` : ''}); credentials are not sent across redirects. Set the token URL to the final address.`, {
      status,
      actions: ['editEnvironment'],
    });
  }

  const oauthError = typeof json?.error === 'string' ? json.error : undefined;
  const oauthDescription =
    typeof json?.error_description === 'string' ? json.error_description : typeof json?.message === 'string' ? json.message : undefined;
  const oauthPart = oauthError ? `${status} ${oauthError}${oauthDescription ? `: ${oauthDescription}` : ''}` : undefined;
  const detail = oauthPart ?? statusLine;
  const extra = { status, oauthError, oauthDescription };

  if (status === 429) {
    const retryAfterSeconds = retryAfterSecondsOf(response, clock.now());
    const when = retryAfterSeconds !== undefined ? `Try again in ${formatSeconds(retryAfterSeconds)}.` : 'Wait a minute and try again.';
    throw fail('rate-limited', `token request rate-limited (${detail}). ${when} Tokens are cached, so this usually means another client shares the quota.`, {
      ...extra,
      retryAfterSeconds,
    });
  }
  if (status >= 500) {
    throw fail('server-error', `the token endpoint failed (${detail}). The StudyTeam auth service may be having problems; try again later.${oauthPart ? '' : excerpt()}`, extra);
  }
  if (!json) {
    throw fail('bad-response', `the token endpoint answered ${statusLine} with a body that is not OAuth JSON. Check the token URL.${excerpt()}`, {
      status,
      actions: ['editEnvironment', 'showLog'],
    });
  }
  let advice: string;
  let actions: ErrorAction[];
  if (status === 401 || oauthError === 'invalid_client') {
    advice = 'Check the client ID and secret.';
    actions = ['setCredentials'];
  } else if (status === 403 && oauthError === 'unauthorized_client') {
    advice = 'This client is not allowed to use the client_credentials grant; enable the Client Credentials grant for the application in StudyTeam/Auth0.';
    actions = ['setCredentials', 'showLog'];
  } else if (status === 403) {
    advice = `The client is not authorised for the audience "${audienceOf(env)}". Check the environment's audience (StudyTeam hands it out with the client ID and secret), or ask for the client to be granted access to this API.`;
    actions = ['editAudience', 'setCredentials'];
  } else if (status === 404) {
    advice = 'Check the environment\'s token URL.';
    actions = ['editEnvironment'];
  } else {
    advice = 'Check the environment\'s token URL and audience, and the client ID and secret.';
    actions = ['editEnvironment', 'setCredentials'];
  }
  throw fail('token-rejected', `token request rejected (${detail}). ${advice}`, { ...extra, actions });
}

/** Validates a 2xx token body; `problem` builds the error for a malformed one. */
function validateTokenBody(
  json: Record<string, unknown>,
  now: number,
  problem: (what: string) => StudyTeamError,
): AccessToken {
  const value = json.access_token;
  if (typeof value !== 'string' || !value.trim()) {
    throw problem(value === undefined ? 'access_token is missing' : 'access_token is not a non-empty string');
  }
  const tokenType = json.token_type;
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw problem(tokenType === undefined ? 'token_type is missing (expected "Bearer")' : `token_type is ${JSON.stringify(String(tokenType)).slice(0, 40)}, not "Bearer"`);
  }
  const rawExpires = json.expires_in;
  let expiresAt: number;
  if (rawExpires === undefined || rawExpires === null) {
    expiresAt = jwtExpiryMs(value) ?? now + DEFAULT_TOKEN_LIFETIME_SECONDS * 1000;
  } else {
    const seconds =
      typeof rawExpires === 'number' ? rawExpires : typeof rawExpires === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(rawExpires) ? Number(rawExpires) : NaN;
    if (!Number.isFinite(seconds) || seconds <= 0) throw problem('expires_in is not a positive number of seconds');
    expiresAt = now + seconds * 1000;
  }
  return { value, tokenType: 'Bearer', expiresAt, obtainedAt: now };
}
