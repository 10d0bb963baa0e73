// Typed accessors for the `studyteam.*` settings. One namespace constant; callers react to changes
// with `affectsSettings`.
import * as vscode from 'vscode';

export const SETTINGS_NAMESPACE = 'studyteam';

export const SettingKeys = {
  environments: 'environments',
  confirmProductionWrites: 'confirmProductionWrites',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  tokenTimeoutSeconds: 'tokenTimeoutSeconds',
  maxResponseSizeMB: 'maxResponseSizeMB',
  persistTokens: 'persistTokens',
  runFolderConcurrency: 'runFolderConcurrency',
  eventsPollSeconds: 'events.pollSeconds',
  eventsMaxKept: 'events.maxKept',
  eventsNotifyTypes: 'events.notifyEventTypes',
} as const;
export type SettingKey = (typeof SettingKeys)[keyof typeof SettingKeys];

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_NAMESPACE);
}

export function affectsSettings(event: vscode.ConfigurationChangeEvent, key?: SettingKey): boolean {
  return event.affectsConfiguration(key ? `${SETTINGS_NAMESPACE}.${key}` : SETTINGS_NAMESPACE);
}

function positiveNumber(key: SettingKey, fallback: number): number {
  const value = section().get<unknown>(key);
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export const settings = {
  confirmProductionWrites(): boolean {
    return section().get<boolean>(SettingKeys.confirmProductionWrites, true) !== false;
  },
  requestTimeoutMs(): number {
    return positiveNumber(SettingKeys.requestTimeoutSeconds, 30) * 1000;
  },
  tokenTimeoutMs(): number {
    return positiveNumber(SettingKeys.tokenTimeoutSeconds, 15) * 1000;
  },
  maxResponseBytes(): number {
    return Math.round(positiveNumber(SettingKeys.maxResponseSizeMB, 50) * 1024 * 1024);
  },
  /** How many requests of a folder run at once (1 = strictly in order). */
  runFolderConcurrency(): number {
    return Math.min(50, Math.max(1, Math.floor(positiveNumber(SettingKeys.runFolderConcurrency, 1))));
  },
  /** Events view: seconds between polls once caught up (minimum 5). */
  eventsPollSeconds(): number {
    return Math.max(5, positiveNumber(SettingKeys.eventsPollSeconds, 30));
  },
  /** Events view: events kept in memory; older ones are dropped. */
  eventsMaxKept(): number {
    return Math.max(100, Math.floor(positiveNumber(SettingKeys.eventsMaxKept, 5000)));
  },
  /** Events view: event types that show a notification when new events of them arrive (default none). */
  eventsNotifyTypes(): string[] {
    const value = section().get<unknown>(SettingKeys.eventsNotifyTypes);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  },
  persistTokens(): boolean {
    return section().get<boolean>(SettingKeys.persistTokens, true) !== false;
  },
  /**
   * The raw `studyteam.environments` values per scope. Workspace values are only honoured in a trusted
   * workspace (see environmentSettings.ts): a cloned repository must not redirect the token request.
   */
  inspectEnvironments(): { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } {
    const inspected = section().inspect<unknown>(SettingKeys.environments);
    return {
      globalValue: inspected?.globalValue,
      workspaceValue: inspected?.workspaceValue,
      workspaceFolderValue: inspected?.workspaceFolderValue,
    };
  },
  async updateEnvironments(value: readonly unknown[], target: 'user' | 'workspace'): Promise<void> {
    await section().update(SettingKeys.environments, value, target === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  },
};
