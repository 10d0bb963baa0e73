// Typed, actionable errors of the core. Messages are always passed through redaction. No `vscode`.
import { redactText } from './redaction';

export type StudyTeamErrorKind =
  | 'credentials-missing'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'token-rejected'
  | 'rate-limited'
  | 'server-error'
  | 'bad-response'
  | 'cross-origin'
  | 'invalid-request'
  | 'declined'
  | 'invalid-environment';

/** editAudience: the environment's audience field, directly (the 403 "not authorized to access <audience>"). */
export type ErrorAction = 'setCredentials' | 'showLog' | 'editEnvironment' | 'editAudience';

export interface StudyTeamErrorOptions {
  environmentName?: string;
  status?: number;
  oauthError?: string;
  oauthDescription?: string;
  retryAfterSeconds?: number;
  actions?: readonly ErrorAction[];
  /** System error code of the underlying failure (ECONNREFUSED, ENOTFOUND, …). */
  code?: string;
  /** Literal secrets to scrub from the message (client secret, tokens). Not stored. */
  secrets?: readonly string[];
}

/** The single-object form of the constructor: `new StudyTeamError({ kind, message, … })`. */
export interface StudyTeamErrorInit extends StudyTeamErrorOptions {
  kind: StudyTeamErrorKind;
  message: string;
}

export class StudyTeamError extends Error {
  readonly kind: StudyTeamErrorKind;
  readonly environmentName?: string;
  readonly status?: number;
  readonly oauthError?: string;
  readonly oauthDescription?: string;
  readonly retryAfterSeconds?: number;
  readonly actions: readonly ErrorAction[];
  readonly code?: string;

  constructor(init: StudyTeamErrorInit);
  constructor(kind: StudyTeamErrorKind, message: string, options?: StudyTeamErrorOptions);
  constructor(kindOrInit: StudyTeamErrorKind | StudyTeamErrorInit, message?: string, opts?: StudyTeamErrorOptions) {
    const options: StudyTeamErrorOptions = typeof kindOrInit === 'string' ? (opts ?? {}) : kindOrInit;
    const kind = typeof kindOrInit === 'string' ? kindOrInit : kindOrInit.kind;
    const text = typeof kindOrInit === 'string' ? (message ?? '') : kindOrInit.message;
    // Redact before super(): V8 captures the message into `stack` at construction.
    super(redactText(text, options.secrets));
    this.name = 'StudyTeamError';
    this.kind = kind;
    this.environmentName = options.environmentName;
    this.status = options.status;
    this.oauthError = options.oauthError === undefined ? undefined : redactText(options.oauthError, options.secrets);
    this.oauthDescription =
      options.oauthDescription === undefined ? undefined : redactText(options.oauthDescription, options.secrets);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.actions = options.actions ?? [];
    this.code = options.code;
  }
}

export function isStudyTeamError(value: unknown, kind?: StudyTeamErrorKind): value is StudyTeamError {
  return value instanceof StudyTeamError && (kind === undefined || value.kind === kind);
}

/** The message of anything thrown, redacted. */
export function errorMessage(error: unknown, secrets?: readonly string[]): string {
  const text = error instanceof Error ? error.message : String(error);
  return redactText(text, secrets);
}

const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|ERR_OSSL_|HOSTNAME_MISMATCH)/;

/** A short human phrase for a low-level network failure, plus its system code when there is one. */
export function describeNetworkFailure(error: unknown): { code?: string; description: string } {
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    errno?: unknown;
    message?: unknown;
  };
  const code = typeof record.code === 'string' ? record.code : undefined;
  const message = typeof record.message === 'string' ? record.message : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { code, description: 'could not resolve the host name (DNS)' };
  if (code === 'ECONNREFUSED') return { code, description: 'connection refused' };
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|premature close/i.test(message)) {
    return { code: code ?? 'ECONNRESET', description: 'the connection was dropped by the server' };
  }
  if (code === 'ETIMEDOUT') return { code, description: 'the connection timed out' };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { code, description: 'the host is unreachable' };
  if ((code && TLS_CODE.test(code)) || /certificate|TLS|SSL/i.test(message)) {
    return { code, description: `TLS/certificate problem${code ? ` (${code})` : ''}` };
  }
  return { code, description: code ? `network error ${code}` : 'network error' };
}

/** "30 s", "2 min 5 s". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} min ${rest} s` : `${m} min`;
}
