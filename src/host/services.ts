// The narrow services the extension's composition root (src/extension.ts) builds once and hands to each
// UI feature (tree, panel, status bar, commands). Features depend on this interface, not on each other.
import type * as vscode from 'vscode';
import type { AuthService } from '../core/authService';
import type { RequestRunner } from '../core/requestRunner';
import type { ApiRequest, ApiResponse, Environment, Logger } from '../core/model';

export interface EnvironmentRegistry {
  /** All configured environments (settings + the local sandbox when running). */
  all(): readonly Environment[];
  get(id: string): Environment | undefined;
  /** The active environment of this workspace. */
  active(): Environment;
  setActive(id: string): Promise<void>;
  readonly onDidChange: vscode.Event<void>;
}

export interface RunRequestOptions {
  /** Shown in the progress notification, e.g. the saved request's name. */
  readonly title?: string;
  /** Run with the given environment instead of the active one. */
  readonly environment?: Environment;
  /** Values for {{variables}} that win over the environment's (e.g. Run Saved Request's `variables` argument). */
  readonly variables?: Readonly<Record<string, string>>;
  /** External cancellation (e.g. the panel's Cancel button). */
  readonly token?: vscode.CancellationToken;
  /** false: no progress notification (the caller shows its own). Default true. */
  readonly showProgress?: boolean;
  /** false: the caller shows errors itself (e.g. inline in the panel). Default true. */
  readonly notifyErrors?: boolean;
}

export type RunOutcome =
  | { readonly ok: true; readonly environment: Environment; readonly response: ApiResponse }
  | { readonly ok: false; readonly environment: Environment; readonly cancelled: boolean; readonly message: string; readonly error: unknown };

export interface HostServices {
  readonly environments: EnvironmentRegistry;
  readonly auth: AuthService;
  readonly runner: RequestRunner;
  readonly logger: Logger;
  /**
   * Resolves {{variables}} against the environment, runs through the RequestRunner (production guard,
   * auth, 401 retry), with progress + cancel, and turns errors into actionable notifications.
   * Never throws.
   */
  runRequest(request: ApiRequest, options?: RunRequestOptions): Promise<RunOutcome>;
}
