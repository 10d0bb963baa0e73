// The token cache: one in-flight request per (environment, token URL, client, audience, API origin), proactive
// refresh, invalidate-if-current, persistence and state events. No `vscode`.
import { createHash } from 'node:crypto';
import { apiOriginOf, audienceOf, tokenUrlOf } from './environment';
import { errorMessage, formatSeconds, StudyTeamError } from './errors';
import type { FetchLike } from './http';
import {
  silentLogger,
  systemClock,
  type AccessToken,
  type ClientCredentials,
  type Clock,
  type CredentialSource,
  type Disposable,
  type Environment,
  type Logger,
  type TokenPersistence,
  type TokenState,
} from './model';
import { requestToken } from './tokenClient';

export interface AuthServiceOptions {
  credentials: CredentialSource;
  persistence?: TokenPersistence;
  fetch?: FetchLike;
  clock?: Clock;
  /** Refresh when less than this is left (default 60000; capped at half the token's lifetime). */
  refreshSkewMs?: number;
  /** Token request time limit; a function is read at each request (settings can change). */
  timeoutMs?: number | (() => number);
  logger?: Logger;
}

export interface TokenStateChange {
  environmentId: string;
  state: TokenState;
}

export interface GetTokenOptions {
  signal?: AbortSignal;
  forceRefresh?: boolean;
}

const DEFAULT_REFRESH_SKEW_MS = 60_000;

/**
 * The persistence key of a token: environment id plus a hash of (token URL, client id, audience, API origin),
 * so a credential or URL change never reuses a token. Holds no secret.
 */
export function tokenCacheKey(env: Environment, credentials: ClientCredentials): string {
  return keyOfIdentity(env.id, identityOf(env, credentials));
}

/** The raw (unhashed) cache identity; cheap to build and compare on the hot path. */
function identityOf(env: Environment, credentials: ClientCredentials): string {
  // The API origin is part of the identity: a token obtained for one API host is never reused for another.
  return `${env.id}\n${tokenUrlOf(env)}\n${credentials.clientId}\n${audienceOf(env)}\n${apiOriginOf(env)}`;
}

type IdentityInputs = Pick<CacheEntry, 'baseUrl' | 'tokenUrl' | 'audience' | 'clientId'>;

function inputsOf(env: Environment, credentials: ClientCredentials): IdentityInputs {
  return { baseUrl: env.baseUrl, tokenUrl: env.tokenUrl, audience: env.audience, clientId: credentials.clientId };
}

/** identityOf reads nothing else (tokenUrlOf, audienceOf and apiOriginOf depend on these alone): no need to rebuild it. */
function sameInputs(entry: IdentityInputs, env: Environment, credentials: ClientCredentials): boolean {
  return entry.baseUrl === env.baseUrl && entry.tokenUrl === env.tokenUrl && entry.audience === env.audience && entry.clientId === credentials.clientId;
}

function keyOfIdentity(environmentId: string, identity: string): string {
  return `${environmentId}:${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}`;
}

interface CacheEntry {
  readonly identity: string;
  /** What `identity` was built from (with the map key, env.id): while they are the same, so is the identity. */
  baseUrl: string;
  tokenUrl: string | undefined;
  audience: string | undefined;
  clientId: string;
  readonly key: string;
  token?: AccessToken;
  inflight?: Promise<AccessToken>;
  /** Persistence already consulted for this key. */
  loaded: boolean;
}

function cancelledError(env: Environment): StudyTeamError {
  return new StudyTeamError('cancelled', `${env.name}: token request cancelled.`, { environmentName: env.name });
}

/** Resolves with `promise`, or rejects as soon as `signal` aborts (without cancelling `promise`). */
/** The credentials, or the 'credentials-missing' error when there are none (or no ID or secret). */
function usableCredentials(env: Environment, credentials: ClientCredentials | undefined): ClientCredentials {
  if (!credentials || !credentials.clientId || !credentials.clientSecret) {
    throw new StudyTeamError('credentials-missing', `${env.name}: no client credentials are set. Set the client ID and secret for ${env.name}.`, {
      environmentName: env.name,
      actions: ['setCredentials'],
    });
  }
  return credentials;
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, env: Environment): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelledError(env));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelledError(env));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export class AuthService {
  private readonly credentials: CredentialSource;
  private readonly persistence?: TokenPersistence;
  private readonly fetchImpl?: FetchLike;
  private readonly clock: Clock;
  private readonly skewMs: number;
  private readonly timeoutMs?: number | (() => number);
  private readonly logger: Logger;
  private readonly entries = new Map<string, CacheEntry>();
  private readonly errors = new Map<string, { message: string; at: number }>();
  private readonly requestCounts = new Map<string, number>();
  private readonly listeners = new Set<(e: TokenStateChange) => void>();

  constructor(options: AuthServiceOptions) {
    this.credentials = options.credentials;
    this.persistence = options.persistence;
    this.fetchImpl = options.fetch;
    this.clock = options.clock ?? systemClock;
    this.skewMs = options.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger ?? silentLogger;
  }

  /** A valid token for the environment: cached, or shared from one in-flight request. */
  async getToken(env: Environment, options?: GetTokenOptions): Promise<AccessToken> {
    const signal = options?.signal;
    const forceRefresh = options?.forceRefresh;
    if (signal?.aborted) throw cancelledError(env);
    const credentials = usableCredentials(env, await this.credentials.get(env)); // as requireCredentials, one await less (every request)
    let entry = this.entries.get(env.id);
    if (!entry || !sameInputs(entry, env, credentials)) {
      const identity = identityOf(env, credentials);
      if (!entry || entry.identity !== identity) {
        if (entry) this.dropEntry(env, entry, 'credentials, token URL or audience changed');
        entry = { identity, key: keyOfIdentity(env.id, identity), loaded: false, ...inputsOf(env, credentials) };
        this.entries.set(env.id, entry);
      } else {
        Object.assign(entry, inputsOf(env, credentials)); // e.g. a trailing slash added to the base URL: same identity
      }
    }
    const token = entry.token;
    const now = this.clock.now();
    if (token && !forceRefresh && now < this.refreshAt(token)) return token;
    if (!entry.inflight) {
      const reason = forceRefresh ? 'forced refresh' : token ? (now < token.expiresAt ? 'refresh' : 'expired') : 'fetch';
      entry.inflight = this.fill(env, entry, credentials, reason, !forceRefresh);
      this.emit(env.id);
    }
    const pending = entry.inflight;
    // A proactive refresh that fails while the old token is still valid: keep using it. If the old
    // token ran out meanwhile, the caller gets the refresh's own error (environment, status, retry-after).
    const usable = token && !forceRefresh && now < token.expiresAt ? pending.catch((error: unknown) => this.stillValid(token, error)) : pending;
    return raceSignal(usable, signal, env);
  }

  /**
   * The environment's client credentials, or a 'credentials-missing' error. The credential source may ask first
   * (an origin moved since they were entered). Never fetches a token: the runner calls it before the production
   * question and before its deadline starts.
   */
  async requireCredentials(env: Environment): Promise<ClientCredentials> {
    return usableCredentials(env, await this.credentials.get(env));
  }

  /** The cached token if it is unexpired; never fetches. */
  peek(env: Environment): AccessToken | undefined {
    const token = this.entries.get(env.id)?.token;
    return token && this.clock.now() < token.expiresAt ? token : undefined;
  }

  /** Drops the token only if `tokenValue` is still the current one (a burst of 401s → one refetch). */
  invalidate(env: Environment, tokenValue: string): void {
    const entry = this.entries.get(env.id);
    if (!entry?.token || entry.token.value !== tokenValue) return;
    entry.token = undefined;
    entry.loaded = true;
    this.logger.log('info', 'auth', `${env.name}: token invalidated (rejected by the API)`);
    this.deletePersisted(entry.key);
    if (!entry.inflight) this.emit(env.id);
  }

  /** Forgets tokens in memory and persistence, for one environment or all. */
  async clear(environmentId?: string): Promise<void> {
    const ids = environmentId === undefined ? [...this.entries.keys()] : [environmentId];
    const deletions: Array<Promise<void>> = [];
    for (const id of ids) {
      const entry = this.entries.get(id);
      this.entries.delete(id);
      this.errors.delete(id);
      if (entry && this.persistence) deletions.push(this.persistence.delete(entry.key).catch(() => undefined));
      if (environmentId !== undefined && this.persistence?.deleteEnvironment) {
        deletions.push(this.persistence.deleteEnvironment(environmentId).catch(() => undefined));
      }
      if (entry) this.logger.log('info', 'auth', `${id}: token cleared`);
      this.emit(id);
    }
    await Promise.all(deletions);
  }

  state(environmentId: string): TokenState {
    const entry = this.entries.get(environmentId);
    if (entry?.inflight) return { kind: 'fetching' };
    const token = entry?.token;
    if (token) {
      return this.clock.now() < token.expiresAt ? { kind: 'valid', expiresAt: token.expiresAt } : { kind: 'expired', expiredAt: token.expiresAt };
    }
    const error = this.errors.get(environmentId);
    if (error) return { kind: 'error', message: error.message, at: error.at };
    return { kind: 'none' };
  }

  /** Token endpoint requests made this session, for one environment or in total. */
  tokenRequestCount(environmentId?: string): number {
    if (environmentId !== undefined) return this.requestCounts.get(environmentId) ?? 0;
    let total = 0;
    for (const n of this.requestCounts.values()) total += n;
    return total;
  }

  onDidChangeState(listener: (e: TokenStateChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  private refreshAt(token: AccessToken): number {
    const lifetime = token.expiresAt - token.obtainedAt;
    const skew = lifetime > 0 ? Math.min(this.skewMs, lifetime / 2) : this.skewMs;
    return token.expiresAt - skew;
  }

  private stillValid(token: AccessToken, refreshError: unknown): AccessToken {
    if (this.clock.now() < token.expiresAt) return token;
    throw refreshError;
  }

  private async fill(
    env: Environment,
    entry: CacheEntry,
    credentials: ClientCredentials,
    reason: string,
    usePersisted: boolean,
  ): Promise<AccessToken> {
    try {
      if (usePersisted && !entry.loaded && this.persistence) {
        entry.loaded = true;
        const persisted = await this.persistence.load(entry.key).catch((error: unknown) => {
          this.logger.log('warn', 'auth', `${env.name}: could not load the saved token (${errorMessage(error, [credentials.clientSecret])})`);
          return undefined;
        });
        if (persisted && this.clock.now() < this.refreshAt(persisted)) {
          if (this.entries.get(env.id) === entry) entry.token = persisted;
          this.logger.log('info', 'auth', `${env.name}: using saved token (expires in ${formatSeconds((persisted.expiresAt - this.clock.now()) / 1000)})`);
          return persisted;
        }
      }
      entry.loaded = true;
      const count = (this.requestCounts.get(env.id) ?? 0) + 1;
      this.requestCounts.set(env.id, count);
      this.logger.log('info', 'auth', `${env.name}: requesting token (${reason}, request #${count} this session)`);
      const started = this.clock.now();
      const token = await requestToken(env, credentials, { fetch: this.fetchImpl, timeoutMs: typeof this.timeoutMs === 'function' ? this.timeoutMs() : this.timeoutMs, clock: this.clock });
      if (this.entries.get(env.id) === entry) {
        this.errors.delete(env.id);
        entry.token = token;
        if (this.persistence) {
          this.persistence.save(entry.key, token).catch((error: unknown) => {
            this.logger.log('warn', 'auth', `${env.name}: could not save the token (${errorMessage(error, [credentials.clientSecret, token.value])})`);
          });
        }
      }
      this.logger.log(
        'info',
        'auth',
        `${env.name}: token obtained in ${Math.max(0, this.clock.now() - started)} ms, expires in ${formatSeconds((token.expiresAt - token.obtainedAt) / 1000)}`,
      );
      return token;
    } catch (error) {
      const message = errorMessage(error, [credentials.clientSecret]);
      // A request started under old credentials (cleared meanwhile) must not mark the new ones as failing.
      if (this.entries.get(env.id) === entry) this.errors.set(env.id, { message, at: this.clock.now() });
      this.logger.log('error', 'auth', `${env.name}: token request failed: ${message}`);
      throw error;
    } finally {
      entry.inflight = undefined;
      if (this.entries.get(env.id) === entry) this.emit(env.id);
    }
  }

  private dropEntry(env: Environment, entry: CacheEntry, why: string): void {
    this.logger.log('info', 'auth', `${env.name}: cached token dropped (${why})`);
    if (entry.token) this.deletePersisted(entry.key);
    entry.token = undefined;
  }

  private deletePersisted(key: string): void {
    this.persistence?.delete(key).catch(() => undefined);
  }

  private emit(environmentId: string): void {
    if (this.listeners.size === 0) return;
    const change: TokenStateChange = { environmentId, state: this.state(environmentId) };
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // a listener's failure must not break token handling
      }
    }
  }
}
