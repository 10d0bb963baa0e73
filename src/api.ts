// What activate() returns. Other extensions get StudyTeamPublicApi only: sending a call through the same auth
// service and production guard, never credentials, tokens or the confirmation hook. The full StudyTeamApi (the
// services, for integration tests) exists only when the extension runs under tests (ExtensionMode.Test).
import type { AuthService } from './core/authService';
import type { ApiRequest } from './core/model';
import type { RequestRunner } from './core/requestRunner';
import type { SettingsEnvironmentRegistry } from './environments/environmentRegistry';
import type { Confirmations } from './host/confirmations';
import type { SecretCredentialStore } from './host/credentialStore';
import type { EventsFeature } from './events/registerEventsView';
import type { HostServices, RunOutcome, RunRequestOptions } from './host/services';
import type { RequestPanelFeature } from './panel/registerRequestPanel';
import type { RunResultsPanels } from './runResults/runResultsPanels';
import type { SandboxController } from './sandboxHost/sandboxController';
import type { EnvironmentStatusItem } from './statusBar/environmentStatusItem';
import type { StudyTeamTesting } from './testing/testController';
import type { SavedRequestsFeature } from './tree/registerSavedRequests';
import type { GettingStartedProgress } from './walkthrough/gettingStarted';

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
  /** CPU time of the extension host process during activate() (less affected by a busy machine than wall time). */
  readonly activationCpuMs: number;
  /** Milliseconds the bundle's modules took to evaluate, before activate() (what lazy loading keeps small). */
  readonly loadMs: number;
  /** The saved-requests tree and the request panel, as their modules expose them. */
  readonly features: {
    readonly savedRequests: SavedRequestsFeature;
    readonly requestPanel: RequestPanelFeature;
    readonly runResults: RunResultsPanels;
    readonly testing: StudyTeamTesting;
    readonly events: EventsFeature;
    readonly gettingStarted: GettingStartedProgress;
  };
}

export interface StudyTeamPublicApi {
  readonly apiVersion: 1;
  /** Sends a call with the active (or given) environment: variables, production guard, bearer token, one 401 retry. */
  runRequest(request: ApiRequest, options?: Pick<RunRequestOptions, 'environment' | 'title' | 'token'>): Promise<RunOutcome>;
}
