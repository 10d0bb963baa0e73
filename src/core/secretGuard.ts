// Keeps secrets out of the saved-requests file, which teams commit to git. A literal
// `Authorization: Bearer …` header, a cookie / API-key header with a literal value, or any token-looking
// value in the URL, query, headers or body is refused with a hint to use the request's auth mode.
import { isSensitiveHeader, looksLikeToken } from './redaction';
import type { KeyValue } from './model';

export interface SecretFinding {
  /** Where it is, e.g. `header "Authorization"`, `query "access_token"`, `body`, `URL`. */
  readonly where: string;
  /** Why it was refused (never contains the value). */
  readonly reason: string;
}

export interface GuardedRequestParts {
  readonly url: string;
  readonly query?: readonly KeyValue[];
  readonly headers?: readonly KeyValue[];
  readonly body?: string;
}

const ONLY_VARIABLES = /^\s*(?:\{\{\s*[^{}\s]+\s*\}\}\s*)*$/;
const SCHEME_THEN_VARIABLES = /^\s*[A-Za-z][\w-]*\s+(?:\{\{\s*[^{}\s]+\s*\}\}\s*)+$/;
const JWT_ANYWHERE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
const BEARER_ANYWHERE = /\bBearer\s+(?!\{\{)[A-Za-z0-9\-._~+/]{8,}=*/i;
const SECRET_JSON_FIELD = /"(?:client_secret|access_token|refresh_token|id_token|password)"\s*:\s*"(?!\{\{)[^"]+"/i;
const SECRET_FORM_FIELD = /(?:^|[?&\s])(?:client_secret|access_token|refresh_token|id_token|password)=(?!\{\{|&|$)[^&\s]+/i;
const SECRET_QUERY_NAMES = new Set(['access_token', 'client_secret', 'refresh_token', 'id_token', 'token', 'api_key', 'apikey', 'password']);

/** True when the value is nothing but {{variable}} references (or empty). */
function isOnlyVariables(value: string): boolean {
  return ONLY_VARIABLES.test(value);
}

function valueLooksSecret(value: string): boolean {
  return looksLikeToken(value) || JWT_ANYWHERE.test(value) || BEARER_ANYWHERE.test(value);
}

/** Everything in a request that looks like a secret. Empty when the request may be saved. */
export function findSecrets(request: GuardedRequestParts): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const header of request.headers ?? []) {
    const lower = header.name.trim().toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      if (!isOnlyVariables(header.value) && !SCHEME_THEN_VARIABLES.test(header.value)) {
        findings.push({ where: `header "${header.name}"`, reason: 'holds a literal credential' });
      }
      continue;
    }
    if (isSensitiveHeader(lower) && !isOnlyVariables(header.value)) {
      findings.push({ where: `header "${header.name}"`, reason: 'holds a literal credential' });
      continue;
    }
    if (valueLooksSecret(header.value)) findings.push({ where: `header "${header.name}"`, reason: 'looks like a token' });
  }
  for (const row of request.query ?? []) {
    if (valueLooksSecret(row.value)) findings.push({ where: `query parameter "${row.name}"`, reason: 'looks like a token' });
    else if (SECRET_QUERY_NAMES.has(row.name.toLowerCase()) && row.value && !isOnlyVariables(row.value)) {
      findings.push({ where: `query parameter "${row.name}"`, reason: 'holds a literal credential' });
    }
  }
  if (valueLooksSecret(request.url) || SECRET_FORM_FIELD.test(request.url)) {
    findings.push({ where: 'URL', reason: 'contains something that looks like a token' });
  }
  if (request.body) {
    if (valueLooksSecret(request.body)) findings.push({ where: 'body', reason: 'contains something that looks like a token' });
    else if (SECRET_JSON_FIELD.test(request.body) || SECRET_FORM_FIELD.test(request.body)) {
      findings.push({ where: 'body', reason: 'contains a literal secret field (client_secret, access_token, password …)' });
    }
  }
  return findings;
}

/** A message a person can act on, e.g. for a refused save. Never contains the secret itself. */
export function describeSecretFindings(requestName: string, findings: readonly SecretFinding[]): string {
  const what = findings.map((f) => `${f.where} ${f.reason}`).join('; ');
  return (
    `"${requestName}" was not saved: ${what}. Saved requests are meant to be shared, so they never hold secrets. ` +
    'Remove the value and set the request\'s auth mode to "bearer" — the token of the active environment is added when it runs.'
  );
}
