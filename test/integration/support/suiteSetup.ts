// What the suites share in their `before`: the API with the panel feature (the local sandbox started and
// active) or the saved-requests feature (its file loaded); opening a named panel until its webview is ready.
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../../src/api';
import type { RequestPanelFeature, RequestPanelInfo } from '../../../src/panel/registerRequestPanel';
import type { SavedRequestsFeature } from '../../../src/tree/registerSavedRequests';
import { studyTeamApi, waitUntil } from './studyteam';

/** How the uiDriver finds a panel's webview: by its tab title. */
export interface PanelTarget {
  readonly titleContains: string;
}

/** For a suite's `before`: the API and the panel feature, with the sandbox started and switched to. */
export async function startPanelSandbox(): Promise<{ api: StudyTeamApi; feature: RequestPanelFeature }> {
  const api = await studyTeamApi();
  const feature = api.features.requestPanel as RequestPanelFeature;
  await vscode.commands.executeCommand('studyteam.startSandbox', {});
  await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
  return { api, feature };
}

/** For a suite's `before`: the API and the saved-requests feature once it has loaded requests.json. */
export async function savedRequestsReady(): Promise<{ api: StudyTeamApi; feature: SavedRequestsFeature }> {
  const api = await studyTeamApi();
  const feature = api.features.savedRequests as SavedRequestsFeature;
  await feature.ready;
  return { api, feature };
}

export function panelNamed(feature: RequestPanelFeature, name: string): RequestPanelInfo | undefined {
  return feature.panels().find((p) => p.draft.name === name);
}

/** Opens a new panel named `name` (with `draft` filled in) and waits for the webview's ready handshake. */
export async function openNamedPanel(feature: RequestPanelFeature, name: string, draft: Partial<RequestPanelInfo['draft']> = {}): Promise<PanelTarget> {
  feature.openNewRequest({ name, ...draft });
  await waitUntil(`panel "${name}" ready`, () => feature.panels().find((p) => p.draft.name === name && p.ready), 20_000);
  return { titleContains: name };
}
