// Copy Access Token, Show Token Details, Clear Token Cache.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { AuthService } from '../core/authService';
import { decodeJwt } from '../core/jwt';
import type { Confirmations } from '../host/confirmations';
import type { EnvironmentRegistry } from '../host/services';
import { tokenWithProgress } from '../host/tokenProgress';
import type { ReadonlyDocuments } from '../host/readonlyDocuments';
import { environmentFromArg } from './pickEnvironment';

export interface TokenCommandDeps {
  readonly registry: EnvironmentRegistry;
  readonly auth: AuthService;
  readonly documents: ReadonlyDocuments;
  readonly confirmations: Confirmations;
}

export interface TokenDetails {
  readonly environment: string;
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly issuedAt?: string;
  readonly expiresAt: string;
  readonly secondsLeft: number;
}

export function registerTokenCommands(subscriptions: vscode.Disposable[], deps: TokenCommandDeps): void {
  const { registry, auth, documents, confirmations } = deps;
  const activeFirst = (arg: unknown) => environmentFromArg(registry, arg ?? registry.active().id, { placeHolder: '' });

  subscriptions.push(
    vscode.commands.registerCommand(Commands.copyAccessToken, async (envArg?: unknown, options?: { skipWarning?: boolean }): Promise<boolean> => {
      const env = await activeFirst(envArg);
      if (!env) return false;
      if (!options?.skipWarning) {
        const confirmed = await confirmations.confirm({
          message: `Copy the ${env.name} access token to the clipboard?`,
          detail: 'Anyone holding it can call the StudyTeam API as your integration until it expires. Do not paste it into files, chats or tickets.',
          confirmLabel: 'Copy Token',
        });
        if (!confirmed) return false;
      }
      const token = await tokenWithProgress(auth, env);
      if (!token) return false;
      await vscode.env.clipboard.writeText(token.value);
      void vscode.window.setStatusBarMessage(`$(check) StudyTeam: ${env.name} token copied`, 3000);
      return true;
    }),

    vscode.commands.registerCommand(Commands.showTokenDetails, async (envArg?: unknown): Promise<TokenDetails | undefined> => {
      const env = await activeFirst(envArg);
      if (!env) return undefined;
      const token = await tokenWithProgress(auth, env);
      if (!token) return undefined;
      const decoded = decodeJwt(token.value);
      const details: TokenDetails = {
        environment: env.name,
        header: decoded?.header ?? {},
        claims: pickClaims(decoded?.payload ?? {}),
        issuedAt: typeof decoded?.payload.iat === 'number' ? new Date(decoded.payload.iat * 1000).toISOString() : undefined,
        expiresAt: new Date(token.expiresAt).toISOString(),
        secondsLeft: Math.max(0, Math.round((token.expiresAt - Date.now()) / 1000)),
      };
      await documents.show(`${env.name} token details.json`, JSON.stringify(details, null, 2), 'json');
      return details;
    }),

    vscode.commands.registerCommand(Commands.clearTokenCache, async (arg?: unknown): Promise<boolean> => {
      let target: string | undefined;
      if (arg === 'all') target = undefined;
      else if (typeof arg === 'string') target = arg;
      else {
        const items = [{ label: 'All environments', id: undefined as string | undefined }, ...registry.all().map((e) => ({ label: e.name, id: e.id as string | undefined }))];
        const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Forget the cached access token of…' });
        if (!pick) return false;
        target = pick.id;
      }
      if (target === undefined) {
        // Every configured environment (so tokens kept from earlier sessions go too), then whatever else is cached.
        for (const env of registry.all()) await auth.clear(env.id);
      }
      await auth.clear(target);
      void vscode.window.setStatusBarMessage(`$(check) StudyTeam: token cache cleared${target ? ` (${registry.get(target)?.name ?? target})` : ''}`, 3000);
      return true;
    }),
  );
}

/** The claims worth showing; the token's signature is never shown. */
function pickClaims(payload: Record<string, unknown>): Record<string, unknown> {
  const keys = ['iss', 'sub', 'aud', 'azp', 'scope', 'permissions', 'gty', 'iat', 'exp'];
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in payload) out[k] = payload[k];
  for (const k of Object.keys(payload)) if (!(k in out) && k !== 'jti') out[k] = payload[k];
  return out;
}
