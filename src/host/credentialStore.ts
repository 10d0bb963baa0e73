// Client credentials and cached tokens in VS Code's SecretStorage — the only place they are ever written.
// Credentials are pinned to the origin of the token URL they were entered for: if an environment's token URL
// later points elsewhere (an edited setting, a cloned workspace), the secret is not sent until the user confirms.
import * as vscode from 'vscode';
import { apiOriginOf, tokenUrlOf } from '../core/environment';
import { StudyTeamError } from '../core/errors';
import type { AccessToken, ClientCredentials, CredentialSource, Environment, Logger, TokenPersistence } from '../core/model';

const CREDENTIALS_PREFIX = 'studyteam.credentials/';
const TOKEN_PREFIX = 'studyteam.token/';

interface StoredCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Origin of the token URL these credentials were entered for (the secret is sent there). */
  readonly tokenOrigin: string;
  /** Origin of the API the tokens were meant for (tokens are sent there). Absent in entries of 0.1 previews. */
  readonly apiOrigin?: string;
}

/** What moved since the credentials were entered; asked about in one modal. */
export interface OriginChange {
  readonly token?: { readonly from: string; readonly to: string };
  readonly api?: { readonly from: string; readonly to: string };
}

export type ConfirmOriginChange = (env: Environment, change: OriginChange) => Promise<boolean>;

export interface CredentialSummary {
  readonly clientId: string;
  readonly tokenOrigin: string;
}

/**
 * Reads are cached in memory (the auth service asks on every call; SecretStorage is an IPC round trip) and the
 * cache follows `secrets.onDidChange`, so changes made in other windows are picked up. `onDidChange` fires once per
 * change of an environment's credentials — at once for set/delete here, and for a different value written by
 * another window — never for the echo of our own write; the composition root clears that environment's tokens on it
 * (the one place where "credentials changed → forget tokens" happens).
 */
export class SecretCredentialStore implements CredentialSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the environment id whose credentials changed (here or in another window). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly cache = new Map<string, Promise<StoredCredentials | undefined>>();
  /** One confirmation per environment and change, shared by concurrent callers. */
  private readonly confirming = new Map<string, Promise<boolean>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly confirmOriginChange: ConfirmOriginChange,
    private readonly logger: Logger,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(CREDENTIALS_PREFIX)) void this.followStorage(e.key.slice(CREDENTIALS_PREFIX.length));
    });
  }

  async get(env: Environment): Promise<ClientCredentials | undefined> {
    const stored = await this.read(env.id);
    if (!stored) return undefined;
    const tokenOrigin = originOf(tokenUrlOf(env));
    const apiOrigin = apiOriginOf(env);
    const change: OriginChange = {
      ...(stored.tokenOrigin !== tokenOrigin ? { token: { from: stored.tokenOrigin, to: tokenOrigin } } : {}),
      ...(stored.apiOrigin !== undefined && stored.apiOrigin !== apiOrigin ? { api: { from: stored.apiOrigin, to: apiOrigin } } : {}),
    };
    if (change.token || change.api) {
      const key = `${env.id}\n${tokenOrigin}\n${apiOrigin}`;
      let pending = this.confirming.get(key);
      if (!pending) {
        const moved = [change.token && `token URL ${change.token.from} → ${change.token.to}`, change.api && `API ${change.api.from} → ${change.api.to}`].filter(Boolean).join(', ');
        this.logger.log('warn', 'auth', `${env.name}: ${moved} since the credentials were entered; asking before using them`);
        pending = this.confirmOriginChange(env, change).finally(() => this.confirming.delete(key));
        this.confirming.set(key, pending);
      }
      if (!(await pending)) {
        const where = change.token ? `the client secret was not sent to ${change.token.to}` : `no token is sent to ${change.api?.to}`;
        throw new StudyTeamError({
          kind: 'declined',
          environmentName: env.name,
          message: `${env.name}: ${where}, because the credentials were entered for ${change.token ? change.token.from : change.api?.from}. Edit the environment, or confirm the new origin.`,
          actions: ['editEnvironment', 'setCredentials'],
        });
      }
      const current = await this.read(env.id);
      if (current && (current.tokenOrigin !== tokenOrigin || current.apiOrigin !== apiOrigin)) {
        await this.write(env.id, { ...current, tokenOrigin, apiOrigin });
        this.logger.log('info', 'auth', `${env.name}: credentials re-pinned to ${tokenOrigin} (token) and ${apiOrigin} (API)`);
      }
    } else if (stored.apiOrigin === undefined) {
      await this.write(env.id, { ...stored, apiOrigin });
    }
    return { clientId: stored.clientId, clientSecret: stored.clientSecret };
  }

  async set(env: Environment, credentials: ClientCredentials): Promise<void> {
    await this.write(env.id, {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      tokenOrigin: originOf(tokenUrlOf(env)),
      apiOrigin: apiOriginOf(env),
    });
    this.logger.log('info', 'auth', `${env.name}: credentials stored in secret storage`);
    this.changed.fire(env.id);
  }

  async has(environmentId: string): Promise<boolean> {
    return (await this.read(environmentId)) !== undefined;
  }

  /** What may be shown about stored credentials: the client ID and pinned origin, never the secret. */
  async summary(environmentId: string): Promise<CredentialSummary | undefined> {
    const stored = await this.read(environmentId);
    return stored && { clientId: stored.clientId, tokenOrigin: stored.tokenOrigin };
  }

  async delete(environmentId: string): Promise<void> {
    this.cache.set(environmentId, Promise.resolve(undefined));
    await this.secrets.delete(CREDENTIALS_PREFIX + environmentId);
    this.changed.fire(environmentId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.cache.clear();
  }

  /** A change in SecretStorage: our own write echoing back is ignored; anything else replaces the cache and fires. */
  private async followStorage(environmentId: string): Promise<void> {
    const known = await this.cache.get(environmentId)?.catch(() => undefined);
    const stored = await this.readStored(environmentId).catch(() => undefined);
    if (this.cache.has(environmentId) && JSON.stringify(known) === JSON.stringify(stored)) return;
    this.cache.set(environmentId, Promise.resolve(stored));
    this.changed.fire(environmentId);
  }

  private read(environmentId: string): Promise<StoredCredentials | undefined> {
    let cached = this.cache.get(environmentId);
    if (!cached) {
      cached = this.readStored(environmentId);
      this.cache.set(environmentId, cached);
      cached.catch(() => this.cache.delete(environmentId));
    }
    return cached;
  }

  private async readStored(environmentId: string): Promise<StoredCredentials | undefined> {
    const raw = await this.secrets.get(CREDENTIALS_PREFIX + environmentId);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredCredentials>;
      if (typeof parsed.clientId === 'string' && typeof parsed.clientSecret === 'string' && typeof parsed.tokenOrigin === 'string') {
        return {
          clientId: parsed.clientId,
          clientSecret: parsed.clientSecret,
          tokenOrigin: parsed.tokenOrigin,
          ...(typeof parsed.apiOrigin === 'string' ? { apiOrigin: parsed.apiOrigin } : {}),
        };
      }
    } catch {
      // fall through: unreadable entry
    }
    this.logger.log('warn', 'auth', `stored credentials for environment id ${environmentId} are unreadable; set them again`);
    return undefined;
  }

  private async write(environmentId: string, value: StoredCredentials): Promise<void> {
    this.cache.set(environmentId, Promise.resolve(value));
    await this.secrets.store(CREDENTIALS_PREFIX + environmentId, JSON.stringify(value));
  }
}

/**
 * Keeps access tokens across window reloads in SecretStorage (saves the tenant's token quota). One slot per
 * environment (`studyteam.token/<envId>`), so Clear Token Cache also forgets tokens of earlier sessions; the slot
 * remembers the auth service's cache key (environment id + a hash of token URL, client ID and audience), so a
 * token is never reused after any of those changed.
 */
export class SecretTokenPersistence implements TokenPersistence {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly enabled: () => boolean,
  ) {}

  async load(cacheKey: string): Promise<AccessToken | undefined> {
    if (!this.enabled()) {
      // Turned off: tokens kept by earlier sessions are forgotten too.
      await this.secrets.delete(slotOf(cacheKey));
      return undefined;
    }
    const raw = await this.secrets.get(slotOf(cacheKey));
    if (!raw) return undefined;
    try {
      const slot = JSON.parse(raw) as { key?: unknown; token?: Partial<AccessToken> };
      const t = slot.token;
      if (slot.key !== cacheKey) return undefined;
      if (t && typeof t.value === 'string' && typeof t.expiresAt === 'number' && typeof t.obtainedAt === 'number') {
        return { value: t.value, tokenType: 'Bearer', expiresAt: t.expiresAt, obtainedAt: t.obtainedAt };
      }
    } catch {
      // unreadable: treat as absent
    }
    await this.secrets.delete(slotOf(cacheKey));
    return undefined;
  }

  async save(cacheKey: string, token: AccessToken): Promise<void> {
    if (!this.enabled()) return;
    await this.secrets.store(slotOf(cacheKey), JSON.stringify({ key: cacheKey, token }));
  }

  async delete(cacheKey: string): Promise<void> {
    await this.secrets.delete(slotOf(cacheKey));
  }

  async deleteEnvironment(environmentId: string): Promise<void> {
    await this.secrets.delete(TOKEN_PREFIX + environmentId);
  }
}

/** The auth service's cache keys are `<envId>:<hash>`; the slot is per environment. */
function slotOf(cacheKey: string): string {
  const colon = cacheKey.indexOf(':');
  return TOKEN_PREFIX + (colon < 0 ? cacheKey : cacheKey.slice(0, colon));
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
