// Client credentials and cached tokens in VS Code's SecretStorage — the only place they are ever written.
// Credentials are pinned to the origin of the token URL they were entered for: if an environment's token URL
// later points elsewhere (an edited setting, a cloned workspace), the secret is not sent until the user confirms.
import * as vscode from 'vscode';
import { tokenUrlOf } from '../core/environment';
import { StudyTeamError } from '../core/errors';
import type { AccessToken, ClientCredentials, CredentialSource, Environment, Logger, TokenPersistence } from '../core/model';

const CREDENTIALS_PREFIX = 'studyteam.credentials/';
const TOKEN_PREFIX = 'studyteam.token/';

interface StoredCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Origin of the token URL these credentials were entered for. */
  readonly tokenOrigin: string;
}

export type ConfirmOriginChange = (env: Environment, pinnedOrigin: string, newOrigin: string) => Promise<boolean>;

export interface CredentialSummary {
  readonly clientId: string;
  readonly tokenOrigin: string;
}

export class SecretCredentialStore implements CredentialSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the environment id whose credentials changed (here or in another window). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly confirmOriginChange: ConfirmOriginChange,
    private readonly logger: Logger,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(CREDENTIALS_PREFIX)) this.changed.fire(e.key.slice(CREDENTIALS_PREFIX.length));
    });
  }

  async get(env: Environment): Promise<ClientCredentials | undefined> {
    const stored = await this.read(env.id);
    if (!stored) return undefined;
    const origin = originOf(tokenUrlOf(env));
    if (stored.tokenOrigin !== origin) {
      this.logger.log('warn', 'auth', `${env.name}: token URL origin changed from ${stored.tokenOrigin} to ${origin}; asking before sending credentials`);
      const confirmed = await this.confirmOriginChange(env, stored.tokenOrigin, origin);
      if (!confirmed) {
        throw new StudyTeamError({
          kind: 'declined',
          environmentName: env.name,
          message: `${env.name}: the client secret was not sent to ${origin}, because the credentials were entered for ${stored.tokenOrigin}. Edit the environment's token URL, or confirm the new origin.`,
          actions: ['editEnvironment', 'setCredentials'],
        });
      }
      await this.write(env.id, { ...stored, tokenOrigin: origin });
      this.logger.log('info', 'auth', `${env.name}: credentials re-pinned to ${origin}`);
    }
    return { clientId: stored.clientId, clientSecret: stored.clientSecret };
  }

  async set(env: Environment, credentials: ClientCredentials): Promise<void> {
    await this.write(env.id, { clientId: credentials.clientId, clientSecret: credentials.clientSecret, tokenOrigin: originOf(tokenUrlOf(env)) });
    this.logger.log('info', 'auth', `${env.name}: credentials stored in secret storage`);
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
    await this.secrets.delete(CREDENTIALS_PREFIX + environmentId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async read(environmentId: string): Promise<StoredCredentials | undefined> {
    const raw = await this.secrets.get(CREDENTIALS_PREFIX + environmentId);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredCredentials>;
      if (typeof parsed.clientId === 'string' && typeof parsed.clientSecret === 'string' && typeof parsed.tokenOrigin === 'string') {
        return { clientId: parsed.clientId, clientSecret: parsed.clientSecret, tokenOrigin: parsed.tokenOrigin };
      }
    } catch {
      // fall through: unreadable entry
    }
    this.logger.log('warn', 'auth', `stored credentials for environment id ${environmentId} are unreadable; set them again`);
    return undefined;
  }

  private async write(environmentId: string, value: StoredCredentials): Promise<void> {
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
    if (!this.enabled()) return undefined;
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
