// The webview's one link to its host: the VS Code webview API (acquireVsCodeApi may be called only once), typed
// messages out, and the state VS Code keeps on disk for hide/reveal and window reloads.
import { diskSafeState } from '../panel/diskState';
import type { PersistedPanelState, WebviewToHost } from '../panel/protocol';

/** When the panel's script started (webview clock): how long opening spends in our own code (test builds report it). */
export const scriptStartedAt = performance.now();

const vscode = acquireVsCodeApi<PersistedPanelState>();

export function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

/** What VS Code kept with setState (unvalidated: check it with isPersistedPanelState). */
export function restoredState(): unknown {
  return vscode.getState();
}

/**
 * Keeps the panel state for hide/reveal and reloads. VS Code writes it to disk, so it goes through diskSafeState:
 * never the body (it can hold patient data), nor credential values typed into headers or query rows (the host
 * keeps those in memory for hide/reveal).
 */
export function keepState(state: PersistedPanelState): void {
  vscode.setState(diskSafeState(state));
}

/**
 * End-to-end tests reach the webview API and a few counters through window.__studyteamVscode / __studyteamPanel.
 * Only in test builds: production bundles are built with __STUDYTEAM_TEST_HOOKS__ = false (scripts/build.mjs), and
 * this whole function body is dropped.
 */
export function exposeTestHooks(hooks: object): void {
  if (__STUDYTEAM_TEST_HOOKS__) Object.assign(window, { __studyteamVscode: vscode, __studyteamPanel: hooks });
}
