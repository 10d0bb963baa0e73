// Fetch (or reuse) a token with a cancellable progress notification; failures become actionable notifications.
import * as vscode from 'vscode';
import type { AuthService } from '../core/authService';
import type { AccessToken, Environment } from '../core/model';
import { showErrorNotification } from './errorPresenter';

export async function tokenWithProgress(auth: AuthService, env: Environment, options: { forceRefresh?: boolean; notifyErrors?: boolean } = {}): Promise<AccessToken | undefined> {
  const cached = options.forceRefresh ? undefined : auth.peek(env);
  if (cached) return cached;
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `StudyTeam: requesting a token for ${env.name}…`, cancellable: true },
      (_progress, cancel) => {
        const controller = new AbortController();
        const sub = cancel.onCancellationRequested(() => controller.abort());
        return auth.getToken(env, { signal: controller.signal, forceRefresh: options.forceRefresh }).finally(() => sub.dispose());
      },
    );
  } catch (error) {
    // Not awaited: the notification stays until the user acts on it.
    if (options.notifyErrors !== false) void showErrorNotification(error, env);
    return undefined;
  }
}
