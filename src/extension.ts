// Composition root: builds the services, wires them, registers every feature and pushes each disposable into
// context.subscriptions. No network and no secret reads here beyond what the status bar needs.
import * as vscode from 'vscode';
import type { StudyTeamApi } from './api';
import { AuthService } from './core/authService';
import { RequestRunner } from './core/requestRunner';
import { registerCredentialCommands } from './commands/credentialCommands';
import { registerEnvironmentCommands } from './commands/environmentCommands';
import { registerTokenCommands } from './commands/tokenCommands';
import { SettingsEnvironmentRegistry } from './environments/environmentRegistry';
import { Confirmations } from './host/confirmations';
import { SecretCredentialStore, SecretTokenPersistence } from './host/credentialStore';
import { shownNotifications, showErrorNotification } from './host/errorPresenter';
import { OutputLogger } from './host/outputLogger';
import { createProductionGuard } from './host/productionGuard';
import { ReadonlyDocuments } from './host/readonlyDocuments';
import { runRequestInHost } from './host/requestExecution';
import type { HostServices } from './host/services';
import { settings } from './host/settings';
import { registerRequestPanel } from './panel/registerRequestPanel';
import { SandboxController, registerSandboxCommands } from './sandboxHost/sandboxController';
import { EnvironmentStatusItem } from './statusBar/environmentStatusItem';
import { registerSavedRequests } from './tree/registerSavedRequests';

export function activate(context: vscode.ExtensionContext): StudyTeamApi {
  const started = performance.now();
  const subscriptions = context.subscriptions;

  const channel = vscode.window.createOutputChannel('StudyTeam', { log: true });
  subscriptions.push(channel);
  const logger = new OutputLogger(channel);

  const registry = new SettingsEnvironmentRegistry(context.workspaceState, logger);
  subscriptions.push(registry);

  const confirmations = new Confirmations();
  const credentials = new SecretCredentialStore(
    context.secrets,
    (env, pinnedOrigin, newOrigin) =>
      confirmations.confirm({
        message: `${env.name}: the token URL now points to ${newOrigin}, but the client credentials were entered for ${pinnedOrigin}.`,
        detail: `Sending the client secret to ${newOrigin} lets that host act as your integration. Only continue if you changed the token URL yourself.`,
        confirmLabel: `Send to ${newOrigin}`,
      }),
    logger,
  );
  subscriptions.push(credentials);

  const auth = new AuthService({
    credentials,
    persistence: new SecretTokenPersistence(context.secrets, settings.persistTokens),
    timeoutMs: settings.tokenTimeoutMs,
    logger,
  });
  subscriptions.push(credentials.onDidChange((environmentId) => void auth.clear(environmentId)));

  const runner = new RequestRunner({
    auth,
    guard: createProductionGuard(confirmations, settings.confirmProductionWrites, logger),
    logger,
    timeoutMs: settings.requestTimeoutMs(),
    maxBodyBytes: settings.maxResponseBytes(),
  });

  const services: HostServices = {
    environments: registry,
    auth,
    runner,
    logger,
    runRequest: (request, options) => runRequestInHost({ environments: registry, runner, logger }, request, options),
    showError: (error, environment) => showErrorNotification(error, environment),
  };

  const documents = new ReadonlyDocuments();
  subscriptions.push(documents);

  const statusBar = new EnvironmentStatusItem(registry, auth, credentials);
  subscriptions.push(statusBar);

  const sandbox = new SandboxController(registry, credentials, auth, logger);
  subscriptions.push(sandbox);

  registerEnvironmentCommands(subscriptions, { registry, credentials, confirmations });
  registerCredentialCommands(subscriptions, { registry, credentials, auth });
  registerTokenCommands(subscriptions, { registry, auth, documents, confirmations });
  registerSandboxCommands(subscriptions, sandbox);
  subscriptions.push(vscode.commands.registerCommand('studyteam.showLog', () => channel.show(true)));

  const confirm = (request: { message: string; detail?: string; confirmLabel: string }) => confirmations.confirm(request);
  const savedRequests = registerSavedRequests(context, services, { confirm, documents });
  const requestPanel = registerRequestPanel(context, services, savedRequests.store, { confirm });
  subscriptions.push(requestPanel);
  const features: Record<string, unknown> = { savedRequests, requestPanel };

  if (process.env.STUDYTEAM_AUTOSTART_SANDBOX === '1') {
    // `npm start`: a playground with the local sandbox running and active.
    setTimeout(() => void vscode.commands.executeCommand('studyteam.startSandbox'), 0);
  }

  const activationMs = performance.now() - started;
  logger.log('info', 'ext', `activated in ${activationMs.toFixed(1)} ms; ${registry.all().length} environments; active: ${registry.active().name}`);
  return {
    services,
    confirmations,
    auth,
    runner,
    environments: registry,
    credentials,
    sandbox,
    statusBar,
    notifications: shownNotifications,
    activationMs,
    features,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
