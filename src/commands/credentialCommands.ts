// Set / Clear Credentials. The secret is typed into a password input and goes straight to SecretStorage.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { AuthService } from '../core/authService';
import type { ClientCredentials } from '../core/model';
import type { SecretCredentialStore } from '../host/credentialStore';
import type { EnvironmentRegistry } from '../host/services';
import { tokenWithProgress } from '../host/tokenProgress';
import { environmentFromArg } from './pickEnvironment';

export interface CredentialCommandDeps {
  readonly registry: EnvironmentRegistry;
  readonly credentials: SecretCredentialStore;
  readonly auth: AuthService;
}

export function registerCredentialCommands(subscriptions: vscode.Disposable[], deps: CredentialCommandDeps): void {
  const { registry, credentials, auth } = deps;
  const describe = async (id: string) => ((await credentials.has(id)) ? 'credentials set' : 'no credentials');

  subscriptions.push(
    vscode.commands.registerCommand(Commands.setCredentials, async (envArg?: unknown, given?: unknown): Promise<boolean> => {
      const env = await environmentFromArg(registry, envArg, { placeHolder: 'Set client credentials for which environment?', detail: (e) => describe(e.id) });
      if (!env) return false;
      let creds: ClientCredentials | undefined;
      if (isCredentials(given)) {
        creds = { clientId: given.clientId.trim(), clientSecret: given.clientSecret };
      } else {
        const existing = await credentials.summary(env.id);
        const clientId = await vscode.window.showInputBox({
          title: `StudyTeam: credentials for ${env.name} (1/2)`,
          prompt: 'Client ID',
          value: existing?.clientId,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'The client ID is required.'),
        });
        if (!clientId) return false;
        const clientSecret = await vscode.window.showInputBox({
          title: `StudyTeam: credentials for ${env.name} (2/2)`,
          prompt: 'Client secret — stored only in VS Code secret storage, never in settings or files',
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v ? undefined : 'The client secret is required.'),
        });
        if (!clientSecret) return false;
        creds = { clientId: clientId.trim(), clientSecret };
      }
      await credentials.set(env, creds);
      if (!isCredentials(given)) {
        const token = await tokenWithProgress(auth, env, { forceRefresh: true });
        if (token) void vscode.window.showInformationMessage(`StudyTeam: ${env.name} credentials work — a token was issued.`);
      }
      return true;
    }),

    vscode.commands.registerCommand(Commands.clearCredentials, async (envArg?: unknown): Promise<boolean> => {
      const env = await environmentFromArg(registry, envArg, { placeHolder: 'Clear the client credentials of which environment?', detail: (e) => describe(e.id) });
      if (!env) return false;
      await credentials.delete(env.id);
      if (envArg === undefined) void vscode.window.showInformationMessage(`StudyTeam: ${env.name} credentials removed from secret storage.`);
      return true;
    }),
  );
}

function isCredentials(value: unknown): value is ClientCredentials {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ClientCredentials).clientId === 'string' &&
    typeof (value as ClientCredentials).clientSecret === 'string' &&
    (value as ClientCredentials).clientId.trim() !== '' &&
    (value as ClientCredentials).clientSecret !== ''
  );
}
