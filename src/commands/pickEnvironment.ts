// Resolves the environment a command acts on: an explicit id argument (keybindings, tests, other commands),
// otherwise a QuickPick with the active one focused (Enter takes it).
import * as vscode from 'vscode';
import type { Environment } from '../core/model';
import type { EnvironmentRegistry } from '../host/services';
import { showErrorNotification } from '../host/errorPresenter';

export interface EnvironmentPickOptions {
  readonly placeHolder: string;
  /** Describe each item (e.g. "credentials set"). */
  readonly detail?: (env: Environment) => Promise<string | undefined> | string | undefined;
}

export async function environmentFromArg(registry: EnvironmentRegistry, arg: unknown, options: EnvironmentPickOptions): Promise<Environment | undefined> {
  const id = typeof arg === 'string' ? arg : isEnvLike(arg) ? arg.id : undefined;
  if (id !== undefined) {
    const env = registry.get(id);
    if (!env) void showErrorNotification(`There is no environment "${id}".`);
    return env;
  }
  const all = registry.all();
  if (all.length === 1) return all[0];
  const active = registry.active();
  const items = await Promise.all(
    all.map(async (env) => ({
      label: env.name,
      description: `${env.id === active.id ? '(active) ' : ''}${env.production ? 'production' : ''}`.trim() || undefined,
      detail: (await options.detail?.(env)) ?? env.baseUrl,
      env,
    })),
  );
  const pick = await pickWithActive(items, items.find((i) => i.env.id === active.id), options.placeHolder);
  return pick?.env;
}

/** A QuickPick in list order with `active` focused, so Enter takes the active environment. */
function pickWithActive<T extends vscode.QuickPickItem>(items: readonly T[], active: T | undefined, placeHolder: string): Promise<T | undefined> {
  return new Promise((resolve) => {
    const quickPick = vscode.window.createQuickPick<T>();
    quickPick.placeholder = placeHolder;
    quickPick.matchOnDetail = true;
    quickPick.items = items;
    if (active) quickPick.activeItems = [active];
    let picked: T | undefined;
    quickPick.onDidAccept(() => {
      picked = quickPick.selectedItems[0] ?? quickPick.activeItems[0];
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      quickPick.dispose();
      resolve(picked);
    });
    quickPick.show();
  });
}

function isEnvLike(arg: unknown): arg is { id: string } {
  return typeof arg === 'object' && arg !== null && typeof (arg as { id?: unknown }).id === 'string';
}
