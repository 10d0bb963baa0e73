// Composition root: builds the services, wires them, registers every feature and pushes each disposable into
// context.subscriptions. No network and no secret reads here beyond what the status bar needs.
import { bundleEvaluationStarted } from './loadClock';
import * as vscode from 'vscode';
import { Commands } from './commandIds';
import type { StudyTeamApi, StudyTeamPublicApi } from './api';
import { AuthService } from './core/authService';
import { RequestRunner } from './core/requestRunner';
import { registerCredentialCommands } from './commands/credentialCommands';
import { registerEnvironmentCommands } from './commands/environmentCommands';
import { registerTokenCommands } from './commands/tokenCommands';
import { SettingsEnvironmentRegistry } from './environments/environmentRegistry';
import { registerEventsView } from './events/registerEventsView';
import { Confirmations, type ConfirmationRequest } from './host/confirmations';
import { SecretCredentialStore, SecretTokenPersistence, type OriginChange } from './host/credentialStore';
import { shownNotifications } from './host/errorPresenter';
import { OutputLogger } from './host/outputLogger';
import { createProductionGuard } from './host/productionGuard';
import { ReadonlyDocuments } from './host/readonlyDocuments';
import { runRequestInHost } from './host/requestExecution';
import type { HostServices } from './host/services';
import { settings } from './host/settings';
import { registerRequestPanel } from './panel/registerRequestPanel';
import { RunResultsPanels } from './runResults/runResultsPanels';
import { registerAcknowledgeReferralCommand } from './sandboxHost/acknowledgeReferralCommand';
import { SandboxController, registerSandboxCommands } from './sandboxHost/sandboxController';
import { EnvironmentStatusItem } from './statusBar/environmentStatusItem';
import { registerTesting } from './testing/testController';
import { registerSavedRequests } from './tree/registerSavedRequests';
import { GettingStartedProgress, openGettingStarted } from './walkthrough/gettingStarted';

/** Every module of the bundle has been evaluated when this line runs (the composition root's body runs last). */
const bundleEvaluated = performance.now();

export function activate(context: vscode.ExtensionContext): StudyTeamApi | StudyTeamPublicApi {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const subscriptions = context.subscriptions;

  const channel = vscode.window.createOutputChannel('StudyTeam', { log: true });
  subscriptions.push(channel);
  const logger = new OutputLogger(channel);

  const registry = new SettingsEnvironmentRegistry(context.workspaceState, logger);
  subscriptions.push(registry);

  const confirmations = new Confirmations();
  const credentials = new SecretCredentialStore(context.secrets, (env, change) => confirmations.confirm(originChangeQuestion(env, change)), logger);
  subscriptions.push(credentials);

  const auth = new AuthService({
    credentials,
    persistence: new SecretTokenPersistence(context.secrets, settings.persistTokens),
    timeoutMs: settings.tokenTimeoutMs,
    logger,
  });
  // The one place where changed credentials (set, cleared, or changed in another window) forget that environment's tokens.
  subscriptions.push(credentials.onDidChange((environmentId) => void auth.clear(environmentId)));

  const runner = new RequestRunner({
    auth,
    guard: createProductionGuard(confirmations, settings.confirmProductionWrites, logger),
    logger,
    timeoutMs: settings.requestTimeoutMs,
    maxBodyBytes: settings.maxResponseBytes,
  });

  const services: HostServices = {
    environments: registry,
    auth,
    runner,
    logger,
    runRequest: async (request, options) => {
      const outcome = await runRequestInHost({ environments: registry, runner, logger }, request, options);
      gettingStarted?.noteRun(outcome);
      return outcome;
    },
  };
  let gettingStarted: GettingStartedProgress | undefined;

  const documents = new ReadonlyDocuments();
  subscriptions.push(documents);

  const statusBar = new EnvironmentStatusItem(registry, auth, credentials);
  subscriptions.push(statusBar);

  const sandbox = new SandboxController(registry, credentials, logger);
  subscriptions.push(sandbox);

  registerEnvironmentCommands(subscriptions, { registry, credentials, confirmations });
  registerCredentialCommands(subscriptions, { registry, credentials, auth });
  registerTokenCommands(subscriptions, { registry, auth, documents, confirmations });
  registerSandboxCommands(subscriptions, sandbox);
  registerAcknowledgeReferralCommand(subscriptions, sandbox);
  subscriptions.push(vscode.commands.registerCommand(Commands.showLog, () => channel.show(true)));

  // Run Folder's results view; a row opens its response in the request panel (registered just below).
  const runResults = new RunResultsPanels({
    extensionUri: context.extensionUri,
    logger,
    documents,
    openResponse: (request, stored) => requestPanel.showResponse(request, stored),
    runAgain: (folderId) => vscode.commands.executeCommand(Commands.runFolder, folderId, folderId ? {} : { all: true }),
    environments: registry,
  });
  subscriptions.push(runResults);
  const savedRequests = registerSavedRequests(context, services, confirmations, documents, runResults);
  const requestPanel = registerRequestPanel(context, services, savedRequests.store, confirmations, documents);
  subscriptions.push(requestPanel);
  const testing = registerTesting(subscriptions, { services, confirmations, store: savedRequests.store, tree: savedRequests.tree });
  const events = registerEventsView(context, services, { documents });
  gettingStarted = new GettingStartedProgress({ registry, credentials, store: savedRequests.store });
  subscriptions.push(gettingStarted, vscode.commands.registerCommand(Commands.openGettingStarted, () => openGettingStarted(context.extension.id)));

  if (process.env.STUDYTEAM_AUTOSTART_SANDBOX === '1') {
    // `npm start`: a playground with the local sandbox running and active.
    setTimeout(() => void vscode.commands.executeCommand(Commands.startSandbox), 0);
  }

  const activationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  logger.log('info', 'ext', `activated in ${activationMs.toFixed(1)} ms; ${registry.all().length} environments; active: ${registry.active().name}`);
  if (context.extensionMode !== vscode.ExtensionMode.Test) {
    return { apiVersion: 1, runRequest: (request, options) => services.runRequest(request, { ...options }) };
  }
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
    activationCpuMs: (cpu.user + cpu.system) / 1000,
    loadMs: bundleEvaluated - bundleEvaluationStarted,
    features: { savedRequests, requestPanel, runResults, testing, events, gettingStarted },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function originChangeQuestion(env: { name: string }, change: OriginChange): ConfirmationRequest {
  const lines: string[] = [];
  if (change.token) lines.push(`The token URL now points to ${change.token.to}; the client credentials were entered for ${change.token.from}.`);
  if (change.api) lines.push(`The API base URL now points to ${change.api.to}; tokens were meant for ${change.api.from}.`);
  const to = change.token?.to ?? change.api?.to ?? '';
  return {
    message: `${env.name}: ${lines.join(' ')}`,
    detail: change.token
      ? `Sending the client secret to ${change.token.to} lets that host act as your integration. Only continue if you changed the environment yourself.`
      : `Sending ${env.name} tokens to ${to} lets that host call the StudyTeam API as your integration. Only continue if you changed the environment yourself.`,
    confirmLabel: `Send to ${to}`,
  };
}
