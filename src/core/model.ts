// Shared types of the core. No `vscode` import anywhere under src/core (a unit test enforces it).
import type { Capture, Check } from './checks';

/** A StudyTeam API environment (Staging, Production, a local sandbox, …). Never holds a secret. */
export interface Environment {
  /** Stable id, e.g. "staging". Used to key credentials, tokens and the active choice. */
  readonly id: string;
  readonly name: string;
  /** API origin (plus optional path prefix), e.g. https://staging.api.studyteamapp.com */
  readonly baseUrl: string;
  /** Token endpoint; defaults to `<baseUrl>/oauth/token`. */
  readonly tokenUrl?: string;
  /** OAuth audience sent in the token request; defaults to the origin of baseUrl (scheme://host[:port], no path). */
  readonly audience?: string;
  /** Production environments ask before anything but GET/HEAD is sent. */
  readonly production: boolean;
  /** User-defined, NON-secret variables usable as {{name}}. */
  readonly variables?: Readonly<Record<string, string>>;
}

/** The client credentials of one environment. Only ever held in memory or in SecretStorage. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Where credentials come from (the extension backs this with SecretStorage). */
export interface CredentialSource {
  get(environment: Environment): Promise<ClientCredentials | undefined>;
}

/** An access token as cached by the auth service. */
export interface AccessToken {
  readonly value: string;
  readonly tokenType: 'Bearer';
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** Epoch milliseconds when it was obtained. */
  readonly obtainedAt: number;
}

/** Optional persistence of tokens across reloads (the extension backs this with SecretStorage). */
export interface TokenPersistence {
  load(cacheKey: string): Promise<AccessToken | undefined>;
  save(cacheKey: string, token: AccessToken): Promise<void>;
  delete(cacheKey: string): Promise<void>;
  /** Forgets whatever is kept for an environment, including tokens of earlier sessions (Clear Token Cache). */
  deleteEnvironment?(environmentId: string): Promise<void>;
}

export type TokenState =
  | { readonly kind: 'none' }
  | { readonly kind: 'fetching' }
  | { readonly kind: 'valid'; readonly expiresAt: number }
  | { readonly kind: 'expired'; readonly expiredAt: number }
  | { readonly kind: 'error'; readonly message: string; readonly at: number };

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
/** A sink for log lines. Callers pass a tag like "auth" or "http"; never a secret, token or body. */
export interface Logger {
  log(level: LogLevel, tag: string, message: string): void;
}
export const silentLogger: Logger = { log: () => undefined };

export interface Disposable {
  dispose(): void;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export interface KeyValue {
  readonly name: string;
  readonly value: string;
  /** Disabled rows are kept but not sent. Default true. */
  readonly enabled?: boolean;
}

export type AuthMode = 'bearer' | 'none';

/** What a caller asks the runner to send. */
export interface ApiRequest {
  readonly method: HttpMethod;
  /** Absolute URL, or a path relative to the environment's baseUrl ("/rpi/sites"). */
  readonly url: string;
  readonly query?: readonly KeyValue[];
  readonly headers?: readonly KeyValue[];
  readonly body?: string;
  readonly auth: AuthMode;
}

/** What was actually sent, with the Authorization value redacted. Safe to show, never persisted. */
export interface SentRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly bodyBytes: number;
}

export interface ApiResponse {
  readonly status: number;
  readonly statusText: string;
  /** Multi-valued headers keep one entry per value, names lower-cased. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Body decoded as UTF-8 (or the charset the content type names). */
  readonly text: string;
  /** Bytes received (before truncation: the bytes kept are body.length). */
  readonly size: number;
  readonly truncated: boolean;
  readonly timings: { readonly totalMs: number; readonly headersMs: number };
  readonly request: SentRequest;
  /** True when a 401 caused a token refresh and one retry. */
  readonly retried: boolean;
}

/**
 * A saved request: a request with an id and a name, as kept in `.studyteam/requests.json` and handed between
 * the tree, the panel, the importers and the collection runner. Its `url` is a path relative to the
 * environment's baseUrl ("/rpi/sites") or an absolute URL, and may hold {{variables}}.
 */
export interface SavedRequest extends ApiRequest {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  /** Checks of the response (none: the request passes on a 2xx answer). */
  readonly expect?: readonly Check[];
  /** Values taken from the response for the following requests of the same run (in memory only). */
  readonly capture?: readonly Capture[];
}
