// The configured environments (settings, trusted scopes only) plus transient ones (the local sandbox),
// and the active choice, which persists per workspace.
import * as vscode from 'vscode';
import type { Environment, Logger } from '../core/model';
import type { EnvironmentRegistry } from '../host/services';
import { affectsSettings, settings, SettingKeys } from '../host/settings';
import { effectiveEnvironments, environmentToSetting, type EffectiveEnvironments } from './environmentSettings';

const ACTIVE_KEY = 'studyteam.activeEnvironment';

export class SettingsEnvironmentRegistry implements EnvironmentRegistry, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private effective: EffectiveEnvironments;
  private readonly transient = new Map<string, Environment>();
  private reportedProblems = '';

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly logger: Logger,
    private readonly isTrusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    this.effective = this.read();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSettings(e, SettingKeys.environments)) this.reload();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
    );
  }

  get ignoredUntrustedWorkspaceValue(): boolean {
    return this.effective.ignoredUntrustedWorkspaceValue;
  }

  reload(): void {
    this.effective = this.read();
    this.changed.fire();
  }

  all(): readonly Environment[] {
    return [...this.effective.environments, ...[...this.transient.values()].filter((t) => !this.effective.environments.some((e) => e.id === t.id))];
  }

  get(id: string): Environment | undefined {
    return this.all().find((e) => e.id === id);
  }

  /** True when this workspace has an explicit choice of environment (from this or an earlier session). */
  get activeWasChosen(): boolean {
    return this.workspaceState.get<string>(ACTIVE_KEY) !== undefined;
  }

  active(): Environment {
    const all = this.all();
    const id = this.workspaceState.get<string>(ACTIVE_KEY);
    return all.find((e) => e.id === id) ?? all[0];
  }

  async setActive(id: string): Promise<void> {
    const env = this.get(id);
    if (!env) throw new Error(`There is no environment "${id}". Known: ${this.all().map((e) => e.id).join(', ')}.`);
    await this.workspaceState.update(ACTIVE_KEY, id);
    this.logger.log('info', 'env', `active environment: ${env.name}`);
    this.changed.fire();
  }

  /** Adds or replaces an environment that lives only in this session (the local sandbox). */
  setTransient(env: Environment): void {
    this.transient.set(env.id, env);
    this.changed.fire();
  }

  removeTransient(id: string): void {
    if (this.transient.delete(id)) this.changed.fire();
  }

  isTransient(id: string): boolean {
    return this.transient.has(id) && !this.effective.environments.some((e) => e.id === id);
  }

  /** Writes the configured (non-transient) list with `change` applied, to the scope it came from. */
  async updateConfigured(change: (list: Environment[]) => Environment[]): Promise<void> {
    const next = change([...this.effective.environments]).map(environmentToSetting);
    await settings.updateEnvironments(next, this.effective.scope === 'workspace' && this.isTrusted() ? 'workspace' : 'user');
    this.reload();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private read(): EffectiveEnvironments {
    const effective = effectiveEnvironments(settings.inspectEnvironments(), this.isTrusted());
    const key = effective.problems.join('\n');
    if (key && key !== this.reportedProblems) {
      for (const p of effective.problems) this.logger.log('warn', 'env', p);
      void vscode.window
        .showWarningMessage(`StudyTeam: some environments in settings are invalid and were skipped. ${effective.problems[0]}`, 'Open Settings')
        .then((pick) => pick && vscode.commands.executeCommand('workbench.action.openSettingsJson'));
    }
    this.reportedProblems = key;
    if (effective.ignoredUntrustedWorkspaceValue) {
      this.logger.log('warn', 'env', 'workspace value of studyteam.environments ignored: the workspace is not trusted');
    }
    return effective;
  }
}
