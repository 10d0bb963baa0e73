// "StudyTeam: Start Local Sandbox" / "Stop Local Sandbox": a local StudyTeam-like server on 127.0.0.1 with a
// throwaway client, exposed as a "Sandbox (local)" environment whose credentials go to SecretStorage like any
// other. This is how a new user tries the extension without StudyTeam credentials.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { Environment, Logger } from '../core/model';
import type { SandboxServer } from '../sandbox/sandboxServer';
import { sandboxServerModule } from '../host/lazyModules';
import type { SettingsEnvironmentRegistry } from '../environments/environmentRegistry';
import type { SecretCredentialStore } from '../host/credentialStore';
import { showErrorNotification } from '../host/errorPresenter';

export interface StartSandboxOptions {
  /** Environment id; several sandboxes can run side by side (e.g. a Production-like one). Default "sandbox". */
  readonly id?: string;
  readonly name?: string;
  readonly production?: boolean;
  /** Lifetime of the tokens it issues, in seconds (default 900). */
  readonly tokenLifetimeSeconds?: number;
  /** Switch to the new environment (default true). */
  readonly activate?: boolean;
  /** Events of seeded history in the feed (default 300; e.g. 10,000 to follow a long feed). */
  readonly seedEvents?: number;
}

interface RunningSandbox {
  readonly server: SandboxServer;
  readonly environment: Environment;
}

export class SandboxController implements vscode.Disposable {
  private readonly running = new Map<string, RunningSandbox>();

  constructor(
    private readonly registry: SettingsEnvironmentRegistry,
    private readonly credentials: SecretCredentialStore,
    private readonly logger: Logger,
  ) {}

  /** The running sandbox server of an environment id (tests flip its fault switches and read its counters). */
  server(id = 'sandbox'): SandboxServer | undefined {
    return this.running.get(id)?.server;
  }

  /** The running sandboxes with their environments. */
  list(): Array<{ readonly server: SandboxServer; readonly environment: Environment }> {
    return [...this.running.values()];
  }

  async start(options: StartSandboxOptions = {}): Promise<Environment> {
    const id = options.id ?? 'sandbox';
    const existing = this.running.get(id);
    if (existing) {
      if (options.activate !== false) await this.registry.setActive(id);
      return existing.environment;
    }
    const server = await sandboxServerModule().SandboxServer.start({
      name: options.name ?? 'Sandbox (local)',
      tokenLifetimeSeconds: options.tokenLifetimeSeconds,
      seedEvents: options.seedEvents,
    });
    const environment: Environment = {
      id,
      name: options.name ?? 'Sandbox (local)',
      baseUrl: server.url,
      audience: server.audience,
      production: options.production ?? false,
      variables: server.exampleVariables(),
    };
    this.running.set(id, { server, environment });
    this.updateContext();
    this.registry.setTransient(environment);
    const client = server.clients[0]!;
    await this.credentials.set(environment, { clientId: client.clientId, clientSecret: client.clientSecret });
    if (options.activate !== false) await this.registry.setActive(id);
    this.logger.log('info', 'sandbox', `${environment.name} listening on ${server.url}`);
    return environment;
  }

  async stop(id = 'sandbox'): Promise<boolean> {
    const entry = this.running.get(id);
    if (!entry) return false;
    this.running.delete(id);
    this.updateContext();
    const wasActive = this.registry.active().id === id;
    this.registry.removeTransient(id);
    await this.credentials.delete(id);
    await entry.server.stop();
    if (wasActive) {
      const fallback = this.registry.all()[0];
      if (fallback) await this.registry.setActive(fallback.id);
    }
    this.logger.log('info', 'sandbox', `${entry.environment.name} stopped`);
    return true;
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.running.keys()]) await this.stop(id);
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'studyteam.sandboxRunning', this.running.size > 0);
  }

  dispose(): void {
    for (const { server } of this.running.values()) void server.stop();
    this.running.clear();
  }
}

export function registerSandboxCommands(subscriptions: vscode.Disposable[], controller: SandboxController): void {
  subscriptions.push(
    vscode.commands.registerCommand(Commands.startSandbox, async (options?: StartSandboxOptions): Promise<Environment | undefined> => {
      try {
        const env = await controller.start(options && typeof options === 'object' ? options : {});
        if (!options) {
          void vscode.window.showInformationMessage(
            `StudyTeam: ${env.name} is running at ${env.baseUrl} and is now the active environment. Try "Add StudyTeam Examples" in the Requests view.`,
          );
        }
        return env;
      } catch (error) {
        void showErrorNotification(`The local sandbox could not start: ${(error as Error).message}`);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(Commands.stopSandbox, async (id?: unknown): Promise<boolean> => {
      if (typeof id === 'string') return controller.stop(id);
      const stopped = await controller.stop();
      if (!stopped) void vscode.window.showInformationMessage('StudyTeam: the local sandbox is not running.');
      return stopped;
    }),
  );
}
