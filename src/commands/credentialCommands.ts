// Set / Clear Credentials. The secret is typed into a password input and goes straight to SecretStorage; the
// audience (not secret) goes to the environment's settings.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { AuthService } from '../core/authService';
import { audienceOf } from '../core/environment';
import type { ClientCredentials, Environment } from '../core/model';
import type { SecretCredentialStore } from '../host/credentialStore';
import type { EnvironmentRegistry } from '../host/services';
import { tokenWithProgress } from '../host/tokenProgress';
import { promptAudience } from './environmentCommands';
import { environmentFromArg } from './pickEnvironment';

export interface CredentialCommandDeps {
  readonly registry: EnvironmentRegistry & { isTransient(id: string): boolean };
  readonly credentials: SecretCredentialStore;
  readonly auth: AuthService;
}

/** What StudyTeam hands out per environment: client ID and secret (secret storage) and the audience (settings). */
interface CredentialTriple extends ClientCredentials {
  /** undefined: leave the environment's audience as it is. '' = the default (the base URL's origin). */
  readonly audience?: string;
}

export function registerCredentialCommands(subscriptions: vscode.Disposable[], deps: CredentialCommandDeps): void {
  const { registry, credentials, auth } = deps;
  const describe = async (id: string) => ((await credentials.has(id)) ? 'credentials set' : 'no credentials');

  subscriptions.push(
    /**
     * Asks for client ID, client secret and audience (three steps; the active environment is preselected),
     * or takes them as the second argument `{ clientId, clientSecret, audience? }` (no prompts, no token check).
     * The secret goes to SecretStorage only; the audience is not secret and goes to the environment's settings.
     */
    vscode.commands.registerCommand(Commands.setCredentials, async (envArg?: unknown, given?: unknown): Promise<boolean> => {
      let env = await environmentFromArg(registry, envArg, { placeHolder: 'Set client credentials for which environment?', detail: (e) => describe(e.id) });
      if (!env) return false;
      const triple = isCredentials(given) ? fromArgument(given) : await promptTriple(env, credentials, registry.isTransient(env.id));
      if (!triple) return false;
      await credentials.set(env, { clientId: triple.clientId, clientSecret: triple.clientSecret });
      let audienceNote = '';
      if (audienceChanges(env, triple.audience)) {
        const updated = await vscode.commands.executeCommand<Environment | undefined>(Commands.editEnvironment, env.id, { audience: triple.audience });
        if (!updated) return false; // editEnvironment said why; the secret is saved
        env = updated;
        audienceNote = `; audience ${audienceOf(env)} saved in settings`;
      }
      if (!isCredentials(given)) {
        // Shown whatever the check finds: the credentials are saved either way.
        const token = await tokenWithProgress(auth, env, { forceRefresh: true });
        void vscode.window.showInformationMessage(
          token
            ? `StudyTeam: ${env.name} credentials saved in secret storage${audienceNote} — they work, a token was issued.`
            : `StudyTeam: ${env.name} credentials saved in secret storage${audienceNote}, but the token check did not succeed (see the error).`,
        );
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

async function promptTriple(env: Environment, credentials: SecretCredentialStore, transient: boolean): Promise<CredentialTriple | undefined> {
  // A transient environment (the local sandbox) has no settings entry to keep an audience in.
  const steps = transient ? 2 : 3;
  const existing = await credentials.summary(env.id);
  const clientId = await vscode.window.showInputBox({
    title: `StudyTeam: credentials for ${env.name} (1/${steps})`,
    prompt: 'Client ID',
    value: existing?.clientId,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The client ID is required.'),
  });
  if (!clientId) return undefined;
  const clientSecret = await vscode.window.showInputBox({
    title: `StudyTeam: credentials for ${env.name} (2/${steps})`,
    prompt: 'Client secret — stored only in VS Code secret storage, never in settings or files',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v ? undefined : 'The client secret is required.'),
  });
  if (!clientSecret) return undefined;
  if (transient) return { clientId: clientId.trim(), clientSecret };
  const audience = await promptAudience(env, `StudyTeam: credentials for ${env.name} (3/3)`);
  if (audience === undefined) return undefined;
  return { clientId: clientId.trim(), clientSecret, audience };
}

/** True when `audience` ('' = the default) differs from what the environment uses now. */
function audienceChanges(env: Environment, audience: string | undefined): boolean {
  if (audience === undefined) return false;
  const wanted = audience === '' ? undefined : audience;
  if (wanted === env.audience) return false;
  return !(env.audience === undefined && wanted === audienceOf(env));
}

function fromArgument(given: ClientCredentials & { audience?: unknown }): CredentialTriple {
  return {
    clientId: given.clientId.trim(),
    clientSecret: given.clientSecret,
    ...(typeof given.audience === 'string' ? { audience: given.audience.trim() } : {}),
  };
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
