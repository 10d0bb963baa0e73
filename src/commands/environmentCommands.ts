// Switch / Add / Edit / Remove Environment. Every command accepts optional arguments so keybindings, other
// commands and tests can run it without prompts.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { apiOriginOf, audienceOf, validateEnvironment } from '../core/environment';
import type { Environment } from '../core/model';
import type { SettingsEnvironmentRegistry } from '../environments/environmentRegistry';
import { environmentIdFor } from '../environments/environmentSettings';
import type { Confirmations } from '../host/confirmations';
import type { SecretCredentialStore } from '../host/credentialStore';
import { EDIT_AUDIENCE, showErrorNotification } from '../host/errorPresenter';
import { editVariables } from './variablesEditor';

export interface EnvironmentCommandDeps {
  readonly registry: SettingsEnvironmentRegistry;
  readonly credentials: SecretCredentialStore;
  readonly confirmations: Confirmations;
}

const ADD_ENVIRONMENT = '$(add) Add environment…';

export function registerEnvironmentCommands(subscriptions: vscode.Disposable[], deps: EnvironmentCommandDeps): void {
  const { registry, credentials, confirmations } = deps;

  subscriptions.push(
    vscode.commands.registerCommand(Commands.switchEnvironment, async (arg?: unknown): Promise<Environment | undefined> => {
      if (typeof arg === 'string') {
        await registry.setActive(arg);
        return registry.active();
      }
      const active = registry.active();
      const items: (vscode.QuickPickItem & { env?: Environment })[] = await Promise.all(
        registry.all().map(async (env) => ({
          label: `${env.id === active.id ? '$(check) ' : ''}${env.name}`,
          description: env.production ? 'production' : undefined,
          detail: `${env.baseUrl} · ${(await credentials.has(env.id)) ? 'credentials set' : 'no credentials'}`,
          env,
        })),
      );
      items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: ADD_ENVIRONMENT });
      const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Switch the StudyTeam environment', matchOnDetail: true });
      if (!pick) return undefined;
      if (!pick.env) {
        return vscode.commands.executeCommand<Environment | undefined>(Commands.addEnvironment);
      }
      await registry.setActive(pick.env.id);
      return pick.env;
    }),

    vscode.commands.registerCommand(Commands.addEnvironment, async (arg?: unknown): Promise<Environment | undefined> => {
      const taken = new Set(registry.all().map((e) => e.id));
      let candidate: unknown;
      if (arg && typeof arg === 'object') {
        const spec = arg as Record<string, unknown>;
        candidate = { production: false, ...spec, id: typeof spec.id === 'string' ? spec.id : environmentIdFor(String(spec.name ?? ''), taken) };
      } else {
        candidate = await promptNewEnvironment(taken);
        if (!candidate) return undefined;
      }
      const result = validateEnvironment(candidate);
      if (!result.ok) {
        void showErrorNotification(`The environment is not valid: ${result.errors.join('; ')}`);
        return undefined;
      }
      if (taken.has(result.value.id)) {
        void showErrorNotification(`An environment with id "${result.value.id}" exists already.`);
        return undefined;
      }
      await registry.updateConfigured((list) => [...list, result.value]);
      await registry.setActive(result.value.id);
      if (!arg) {
        // Not awaited: the command finishes while the offer stays on screen.
        void vscode.window.showInformationMessage(`StudyTeam: added ${result.value.name}. Set its client credentials now?`, 'Set Credentials…').then(
          (pick) => pick && vscode.commands.executeCommand(Commands.setCredentials, result.value.id),
        );
      }
      return result.value;
    }),

    vscode.commands.registerCommand(Commands.editEnvironment, async (arg?: unknown, changes?: unknown): Promise<Environment | undefined> => {
      // The local sandbox is not in settings: its variables (the sandbox's defaults plus yours) can be edited for as long as it runs.
      let target = arg;
      if (target === undefined) {
        const items = registry.all().map((e) => ({
          label: e.name,
          description: registry.isTransient(e.id) ? 'local sandbox: its variables, while it runs' : e.production ? 'production' : undefined,
          detail: e.baseUrl,
          id: e.id,
        }));
        const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Edit which environment?' });
        if (!picked) return undefined;
        target = picked.id;
      }
      const transient = typeof target === 'string' && registry.isTransient(target) ? registry.get(target) : undefined;
      if (transient) {
        const variables = changes && typeof changes === 'object' ? (changes as { variables?: Record<string, string> }).variables : await editVariables(transient.name, transient.variables ?? {});
        if (!variables) return undefined;
        const edited = { ...transient, variables };
        registry.setTransient(edited);
        return edited;
      }
      const env = await pickConfigured(registry, target, 'Edit which environment?');
      if (!env) return undefined;
      let patch: Record<string, unknown> | undefined;
      if (changes === EDIT_AUDIENCE) {
        const audience = await promptAudience(env, `Edit ${env.name}: audience`);
        patch = audience === undefined ? undefined : { audience };
      } else if (changes && typeof changes === 'object') patch = changes as Record<string, unknown>;
      else patch = await promptEdit(env);
      if (!patch) return undefined;
      const result = validateEnvironment({ ...env, ...patch, id: env.id });
      if (!result.ok) {
        void showErrorNotification(`${env.name} was not changed: ${result.errors.join('; ')}`);
        return undefined;
      }
      await registry.updateConfigured((list) => list.map((e) => (e.id === env.id ? result.value : e)));
      return result.value;
    }),

    vscode.commands.registerCommand(Commands.removeEnvironment, async (arg?: unknown, options?: { skipConfirmation?: boolean }): Promise<boolean> => {
      const env = await pickConfigured(registry, arg, 'Remove which environment?');
      if (!env) return false;
      if (registry.all().filter((e) => !registry.isTransient(e.id)).length <= 1) {
        void showErrorNotification('The last environment cannot be removed.');
        return false;
      }
      if (!options?.skipConfirmation) {
        const confirmed = await confirmations.confirm({
          message: `Remove the environment ${env.name}?`,
          detail: 'Its stored client credentials are deleted from secret storage too.',
          confirmLabel: 'Remove',
        });
        if (!confirmed) return false;
      }
      await registry.updateConfigured((list) => list.filter((e) => e.id !== env.id));
      await credentials.delete(env.id);
      return true;
    }),
  );
}

async function pickConfigured(registry: SettingsEnvironmentRegistry, arg: unknown, placeHolder: string): Promise<Environment | undefined> {
  if (typeof arg === 'string') {
    const env = registry.get(arg);
    if (!env || registry.isTransient(arg)) {
      void showErrorNotification(`There is no configured environment "${arg}".`);
      return undefined;
    }
    return env;
  }
  const items = registry
    .all()
    .filter((e) => !registry.isTransient(e.id))
    .map((env) => ({ label: env.name, description: env.production ? 'production' : undefined, detail: env.baseUrl, env }));
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.env;
}

function urlProblem(value: string): string | undefined {
  const result = validateEnvironment({ id: 'x', name: 'x', baseUrl: value.trim(), production: false });
  return result.ok ? undefined : result.errors.join('; ');
}

async function promptNewEnvironment(taken: ReadonlySet<string>): Promise<Record<string, unknown> | undefined> {
  const name = await vscode.window.showInputBox({
    title: 'Add StudyTeam Environment (1/3)',
    prompt: 'Name',
    placeHolder: 'e.g. QA',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A name is required.'),
  });
  if (!name) return undefined;
  const baseUrl = await vscode.window.showInputBox({
    title: 'Add StudyTeam Environment (2/3)',
    prompt: 'API base URL (https; plain http only for localhost, 127.0.0.1 or [::1], which no proxy sees)',
    placeHolder: 'https://qa.api.example.com',
    ignoreFocusOut: true,
    validateInput: urlProblem,
  });
  if (!baseUrl) return undefined;
  const production = await vscode.window.showQuickPick(
    [
      { label: 'Not production', production: false },
      { label: 'Production', detail: 'Ask before sending anything but GET/HEAD', production: true },
    ],
    { title: 'Add StudyTeam Environment (3/3)', placeHolder: 'Is this a production environment?' },
  );
  if (!production) return undefined;
  return { id: environmentIdFor(name, taken), name: name.trim(), baseUrl: baseUrl.trim().replace(/\/+$/, ''), production: production.production };
}

/**
 * Asks for the environment's OAuth audience, prefilled with the one in use. Resolves to the value to store
 * ('' = the default, the base URL's origin), or undefined when cancelled.
 */
export async function promptAudience(env: Environment, title: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title,
    prompt: `Audience (API identifier) that StudyTeam gave you with the client ID and secret. Not secret: saved in the environment's settings. Empty: the base URL (${env.baseUrl}).`,
    value: env.audience ?? audienceOf(env),
    ignoreFocusOut: true,
  });
  return value === undefined ? undefined : value.trim();
}

async function promptEdit(env: Environment): Promise<Record<string, unknown> | undefined> {
  type Field = 'name' | 'baseUrl' | 'tokenUrl' | 'audience' | 'production' | 'variables';
  const fields: (vscode.QuickPickItem & { field: Field })[] = [
    { label: 'Name', detail: env.name, field: 'name' },
    { label: 'Base URL', detail: env.baseUrl, field: 'baseUrl' },
    { label: 'Token URL', detail: env.tokenUrl ?? '(default: <base URL>/oauth/token)', field: 'tokenUrl' },
    { label: 'Audience', detail: env.audience ?? `(default: ${apiOriginOf(env)})`, field: 'audience' },
    { label: 'Production', detail: env.production ? 'yes' : 'no', field: 'production' },
    { label: 'Variables', detail: Object.keys(env.variables ?? {}).length ? Object.entries(env.variables ?? {}).map(([k, v]) => `${k}=${v}`).join(', ') : 'Non-secret {{name}} values (none yet)', field: 'variables' },
  ];
  const pick = await vscode.window.showQuickPick(fields, { title: `Edit ${env.name}`, placeHolder: 'What do you want to change?' });
  if (!pick) return undefined;
  switch (pick.field) {
    case 'production': {
      const yes = await vscode.window.showQuickPick(['Production', 'Not production'], { title: `Edit ${env.name}` });
      return yes ? { production: yes === 'Production' } : undefined;
    }
    case 'variables': {
      const variables = await editVariables(env.name, env.variables ?? {});
      return variables === undefined ? undefined : { variables };
    }
    case 'audience': {
      const audience = await promptAudience(env, `Edit ${env.name}: Audience`);
      return audience === undefined ? undefined : { audience: audience || undefined };
    }
    default: {
      const current = env[pick.field];
      const value = await vscode.window.showInputBox({
        title: `Edit ${env.name}: ${pick.label}`,
        value: typeof current === 'string' ? current : '',
        prompt: pick.field === 'tokenUrl' ? 'Leave empty for the default' : undefined,
        ignoreFocusOut: true,
        validateInput: pick.field === 'baseUrl' ? urlProblem : undefined,
      });
      if (value === undefined) return undefined;
      const trimmed = value.trim();
      return { [pick.field]: trimmed === '' && pick.field === 'tokenUrl' ? undefined : trimmed };
    }
  }
}
