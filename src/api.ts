// What activate() returns: the extension's services, for integration tests and for other extensions that want
// to send authenticated StudyTeam calls through the same auth service (and so the same production guard).
import type { AuthService } from './core/authService';
import type { RequestRunner } from './core/requestRunner';
import type { SettingsEnvironmentRegistry } from './environments/environmentRegistry';
import type { Confirmations } from './host/confirmations';
import type { SecretCredentialStore } from './host/credentialStore';
import type { HostServices } from './host/services';
import type { SandboxController } from './sandboxHost/sandboxController';
import type { EnvironmentStatusItem } from './statusBar/environmentStatusItem';

export interface StudyTeamApi {
  readonly services: HostServices;
  /** Modal confirmations; tests set `responder` because VS Code does not show modals during extension tests. */
  readonly confirmations: Confirmations;
  readonly auth: AuthService;
  readonly runner: RequestRunner;
  readonly environments: SettingsEnvironmentRegistry;
  readonly credentials: SecretCredentialStore;
  readonly sandbox: SandboxController;
  readonly statusBar: EnvironmentStatusItem;
  /** Texts of error notifications shown this session (already redacted). */
  readonly notifications: readonly string[];
  /** Wall time of activate(), in milliseconds. */
  readonly activationMs: number;
  /** Features registered by other modules (saved-requests tree, request panel); typed there. */
  readonly features: Record<string, unknown>;
}
