// What the request-panel suites share: the API and the panel feature with the local sandbox started and
// active, and opening a named panel until its webview has said it is ready.
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../../src/api';
import type { RequestPanelFeature, RequestPanelInfo } from '../../../src/panel/registerRequestPanel';
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

export function panelNamed(feature: RequestPanelFeature, name: string): RequestPanelInfo | undefined {
  return feature.panels().find((p) => p.draft.name === name);
}

/** Opens a new panel named `name` (with `draft` filled in) and waits for the webview's ready handshake. */
export async function openNamedPanel(feature: RequestPanelFeature, name: string, draft: Partial<RequestPanelInfo['draft']> = {}): Promise<PanelTarget> {
  feature.openNewRequest({ name, ...draft });
  await waitUntil(`panel "${name}" ready`, () => feature.panels().find((p) => p.draft.name === name && p.ready), 20_000);
  return { titleContains: name };
}
