// HostServices.runRequest: variables → runner (production guard, auth, one 401 retry) with progress and cancel,
// errors turned into actionable notifications. Never throws.
import * as vscode from 'vscode';
import { StudyTeamError } from '../core/errors';
import type { ApiRequest, Environment, Logger } from '../core/model';
import type { RequestRunner } from '../core/requestRunner';
import { resolveVariables, variablesOf } from '../core/variables';
import { presentError, showErrorNotification } from './errorPresenter';
import type { EnvironmentRegistry, RunOutcome, RunRequestOptions } from './services';

export interface RequestExecutionDeps {
  readonly environments: EnvironmentRegistry;
  readonly runner: RequestRunner;
  readonly logger: Logger;
}

export async function runRequestInHost(deps: RequestExecutionDeps, request: ApiRequest, options: RunRequestOptions = {}): Promise<RunOutcome> {
  const environment = options.environment ?? deps.environments.active();
  const notify = options.notifyErrors !== false;
  try {
    const resolved = await resolveOrAsk(environment, request, options.variables, notify);
    const run = async (cancel?: vscode.CancellationToken) => {
      const controller = new AbortController();
      const subscriptions = [cancel?.onCancellationRequested(() => controller.abort()), options.token?.onCancellationRequested(() => controller.abort())];
      if (cancel?.isCancellationRequested || options.token?.isCancellationRequested) controller.abort();
      try {
        return await deps.runner.run(environment, resolved, { signal: controller.signal });
      } finally {
        for (const s of subscriptions) s?.dispose();
      }
    };
    const response =
      options.showProgress === false
        ? await run()
        : await vscode.window.withProgress(
            {
              location: vscode.ProgressLocation.Notification,
              title: `StudyTeam: ${options.title ?? `${resolved.method} ${pathOnly(resolved.url)}`} (${environment.name})`,
              cancellable: true,
            },
            (_progress, cancel) => run(cancel),
          );
    return { ok: true, environment, response };
  } catch (error) {
    const presented = presentError(error, environment);
    if (notify && !presented.cancelled) void showErrorNotification(error, environment);
    return { ok: false, environment, cancelled: presented.cancelled, message: presented.message, error };
  }
}

async function resolveOrAsk(environment: Environment, request: ApiRequest, overrides: RunRequestOptions['variables'], interactive: boolean): Promise<ApiRequest> {
  const vars: Record<string, string> = { ...variablesOf(environment), ...overrides };
  let { request: resolved, unresolved } = resolveVariables(request, vars);
  if (unresolved.length === 0) return resolved;
  if (interactive) {
    for (const name of unresolved) {
      const value = await vscode.window.showInputBox({
        title: `StudyTeam: value for {{${name}}}`,
        prompt: `${request.method} ${pathOnly(request.url)} needs {{${name}}} (not defined in ${environment.name}'s variables)`,
        ignoreFocusOut: true,
      });
      if (value === undefined) break;
      vars[name] = value;
    }
    ({ request: resolved, unresolved } = resolveVariables(request, vars));
    if (unresolved.length === 0) return resolved;
  }
  throw new StudyTeamError({
    kind: 'invalid-request',
    environmentName: environment.name,
    message: `${environment.name}: unresolved variables ${unresolved.map((n) => `{{${n}}}`).join(', ')}. Define them in the environment's variables or fill them in.`,
    actions: ['editEnvironment'],
  });
}

function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
