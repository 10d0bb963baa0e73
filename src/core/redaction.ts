// One redaction helper for logs, error messages and exports. Pure string work, no `vscode`.

export const REDACTED = '‹redacted›';

const BEARER_OR_BASIC = /\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const JWT_LIKE = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
const SECRET_JSON_FIELD =
  /("(?:client_secret|access_token|refresh_token|id_token|password|authorization)"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi;
const SECRET_FORM_FIELD = /\b((?:client_secret|access_token|refresh_token|id_token|password)=)[^&\s"']*/gi;
const AUTH_HEADER_LINE = /\b((?:proxy-)?authorization[ \t]*:[ \t]*)(?![ \t]|Bearer\b|Basic\b|‹redacted›)([^\r\n]+)/gi;

/** Matches whenever any of the five patterns above could: each needs a `"`, a `=`, Bearer/Basic, eyJ or Authorization. */
const MAY_HOLD_SECRET = /["=]|bearer|basic|eyJ|authorization/i;

/** Minimum length for a literal secret to be replaced (shorter strings would shred ordinary text). */
const MIN_LITERAL_SECRET = 4;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces Authorization values (Bearer/Basic), JWT-looking strings, client_secret / token fields in
 * JSON or form bodies, and every literal secret given, with "‹redacted›".
 */
export function redactText(text: string, secrets?: readonly string[]): string {
  let out = text;
  if (secrets) {
    for (const secret of secrets) {
      if (!secret || secret.length < MIN_LITERAL_SECRET) continue;
      const variants = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
      for (const variant of variants) {
        if (out.includes(variant)) out = out.replace(new RegExp(escapeRegExp(variant), 'g'), REDACTED);
      }
    }
  }
  // Most lines (statuses, durations, names) contain nothing any pattern below could match: one scan instead of five.
  if (!MAY_HOLD_SECRET.test(out)) return out;
  return out
    .replace(SECRET_JSON_FIELD, `$1${REDACTED}$3`)
    .replace(SECRET_FORM_FIELD, `$1${REDACTED}`)
    .replace(BEARER_OR_BASIC, `$1$2${REDACTED}`)
    .replace(JWT_LIKE, REDACTED)
    .replace(AUTH_HEADER_LINE, `$1${REDACTED}`);
}

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
]);

/** True for header names whose values must never be shown or stored. */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADERS.has(name.toLowerCase());
}

/** "Bearer abc" → "Bearer ‹redacted›"; anything else → "‹redacted›". */
function redactHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const scheme = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/.exec(value);
    return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
  }
  return REDACTED;
}

export type HeaderTuples = ReadonlyArray<readonly [string, string]>;
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Same shape back, with authorization / cookie / x-api-key (…) values redacted. */
export function redactHeaders(headers: HeaderTuples): Array<[string, string]>;
export function redactHeaders(headers: HeaderRecord): Record<string, string | string[] | undefined>;
export function redactHeaders(
  headers: HeaderTuples | HeaderRecord,
): Array<[string, string]> | Record<string, string | string[] | undefined> {
  if (Array.isArray(headers)) {
    return (headers as HeaderTuples).map(([name, value]): [string, string] => [
      name,
      isSensitiveHeader(name) ? redactHeaderValue(name, value) : value,
    ]);
  }
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers as HeaderRecord)) {
    if (value === undefined || !isSensitiveHeader(name)) {
      out[name] = typeof value === 'string' || value === undefined ? value : [...value];
    } else if (typeof value === 'string') {
      out[name] = redactHeaderValue(name, value);
    } else {
      out[name] = value.map((v) => redactHeaderValue(name, v));
    }
  }
  return out;
}

const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/;
const BEARER_SHAPE = /^Bearer\s+\S{8,}$/i;

/** JWT-shaped, or "Bearer <something long>". */
export function looksLikeToken(value: string): boolean {
  const trimmed = value.trim();
  return JWT_SHAPE.test(trimmed) || BEARER_SHAPE.test(trimmed);
}
