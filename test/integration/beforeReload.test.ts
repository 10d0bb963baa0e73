// Proof of safety, the step before the window reload (the integration index runs this file last): leave the
// window as a user would — the persistent environment active, panels with a referral draft, a referral response
// opened with Open in Editor, a hand-typed credential header — and hand the session's needles and expected state
// to the harness's second phase (afterReload.test.ts) through its in-memory vault.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import { scanTexts } from './support/leakScan';
import { harnessSandboxState, LEAK_SESSION_KEY, safetyLine, vaultAvailable, vaultPut, writeFigures, type LeakSession } from './support/safety';
import { allNeedles, collectShownTexts, PERSIST_ENV, safetySession } from './support/safetySession';
import { studyTeamApi, waitUntil } from './support/studyteam';
import { uiDriverAvailable, webviewClick, webviewEval, webviewFill, webviewWaitFor } from './support/uiDriver';
import { savedEditorsName, saveEditorsOnFocusLoss } from './support/workbenchState';

describe('safety: before the window reload', function () {
  this.timeout(60_000);
  let api: StudyTeamApi;
  const openPanelNames: string[] = [];
  const closedPanelNames: string[] = [];
  const notSavedByVsCode: string[] = [];

  before(async () => {
    api = await studyTeamApi();
    assert.ok(safetySession().sandboxes.has('leak-staging'), 'run together with "safety: leak scan of a full session" (it starts the sandboxes and the persistent environment)');
    assert.ok(uiDriverAvailable() && vaultAvailable(), 'needs the code-server harness (UI driver and vault)');
  });

  it('leaves the persistent environment active and a referral draft open in a panel', async () => {
    const session = safetySession();
    assert.ok(api.environments.get(PERSIST_ENV), `${PERSIST_ENV} was added by the leak-scan session`);
    await vscode.commands.executeCommand('studyteam.switchEnvironment', PERSIST_ENV);
    assert.equal(api.environments.active().id, PERSIST_ENV);
    const panel = api.features.requestPanel;
    const name = `Reload referral ${session.tag}`;
    panel.openNewRequest({ name, method: 'POST', url: '/rpi/sites/{{siteId}}/referrals', body: session.referralBody, bodyMode: 'json', auth: 'bearer' });
    await waitUntil('reload panel ready', () => panel.panels().find((p) => p.draft.name === name && p.ready), 20_000);
    openPanelNames.push(name);
  });

  it('opens a referral response with Open in Editor as a read-only document (hot exit must not back it up)', async () => {
    const session = safetySession();
    const panel = api.features.requestPanel;
    // Sent to leak-staging by an absolute site path; the response (patient fields) stays open across the reload,
    // and the scan after it covers the user data's Backups/ folder.
    const name = `Reload referral response ${session.tag}`;
    const siteId = api.environments.get('leak-staging')?.variables?.siteId ?? '1';
    panel.openNewRequest({ name, method: 'POST', url: `/rpi/sites/${siteId}/referrals`, body: session.referralBody, bodyMode: 'json', auth: 'bearer' });
    await waitUntil('response panel ready', () => panel.panels().find((p) => p.draft.name === name && p.ready), 20_000);
    await webviewClick('#send', { titleContains: name });
    await webviewWaitFor('#status', { titleContains: name, textContains: '202', timeoutMs: 15_000 });
    // The toasts the leak session left (a 401 error, "Copied … as curl") stack over the response bar's buttons, and a
    // toast under the pointer never times out: hide them (they stay in the notification centre) before the click.
    await vscode.commands.executeCommand('notifications.hideToasts');
    await webviewClick('#open-in-editor', { titleContains: name });
    const editor = await waitUntil(
      'the response in a read-only editor',
      () => vscode.window.visibleTextEditors.find((e) => e.document.getText().includes(session.patient.firstName)),
      15_000,
    );
    assert.equal(editor.document.uri.scheme, 'studyteam-view', `Open in Editor uses a read-only document, not ${editor.document.uri.scheme}:`);
    assert.equal(editor.document.isUntitled, false);
    openPanelNames.push(name);
  });

  it('closes a panel as a user would (Close Editor): the extension forgets it, it must not come back after the reload', async () => {
    const session = safetySession();
    const panel = api.features.requestPanel;
    const name = `Reload closed ${session.tag}`;
    panel.openNewRequest({ name, method: 'GET', url: '/rpi/sites?closed=1', auth: 'none' });
    await waitUntil('the panel to close is active and ready', () => panel.panels().find((p) => p.draft.name === name && p.ready && p.active), 20_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const tabs = (): string[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    await waitUntil('its tab is gone', () => (!tabs().some((label) => label.includes(name)) && !panel.panels().some((p) => p.draft.name === name)) || undefined, 10_000);
    // The user switches to another window and back, so VS Code's own saved editors no longer hold the panel either:
    // after the reload, the only way it could come back is the extension's records.
    await saveEditorsOnFocusLoss([name]);
    closedPanelNames.push(name);
  });

  it('keeps a hand-typed credential header across hide/reveal from the host\'s memory, not the disk state', async () => {
    const session = safetySession();
    const panel = api.features.requestPanel;
    const name = `Reload api key ${session.tag}`;
    panel.openNewRequest({ name, method: 'GET', url: '/rpi/sites', auth: 'none' });
    await waitUntil('api key panel ready', () => panel.panels().find((p) => p.draft.name === name && p.ready), 20_000);
    const target = { titleContains: name };
    await webviewClick('#request-tab-headers', target);
    await webviewClick('#add-headers', target);
    await webviewFill('[data-testid="headers-name-1"]', 'x-api-key', target);
    await webviewFill('[data-testid="headers-value-1"]', session.handTypedApiKey, target);
    await waitUntil('the host has the typed header', () => panel.panels().find((p) => p.draft.name === name)?.draft.headers.some((h) => h.value === session.handTypedApiKey), 5_000);
    // Hide and reveal (the webview is torn down while hidden): the value comes back from the host's memory.
    await vscode.commands.executeCommand('workbench.action.previousEditor');
    await vscode.commands.executeCommand('workbench.action.nextEditor');
    const revealed = await waitUntil('the typed value after hide/reveal', () =>
      webviewEval<string>('[data-testid="headers-value-1"]', 'document.querySelector(\'[data-testid="headers-value-1"]\').value', target).catch(() => undefined),
    );
    assert.equal(revealed, session.handTypedApiKey, 'hide/reveal keeps the typed value');
    openPanelNames.push(name);
  });

  it('opens a panel after VS Code\'s last save of its editors (the window in the background): only the extension can bring it back', async () => {
    const session = safetySession();
    const panel = api.features.requestPanel;
    // The user moves to another window (VS Code saves its editors) and stays there: no idle save runs any more.
    await saveEditorsOnFocusLoss([], { stayAway: true });
    const name = `Reload not saved by VS Code ${session.tag}`;
    panel.openNewRequest({ name, method: 'GET', url: '/rpi/sites?reopened=1', auth: 'none' });
    await waitUntil('the late panel ready', () => panel.panels().find((p) => p.draft.name === name && p.ready), 20_000);
    // Longer than VS Code's idle save interval (5 s): its saved editors still do not hold the panel.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    assert.equal(await savedEditorsName(name), false, 'VS Code has not saved the late panel');
    openPanelNames.push(name);
    notSavedByVsCode.push(name);
  });

  it('hands the needles and the expected state to the after-reload phase', async () => {
    const session = safetySession();
    await collectShownTexts(api);
    const credentialEnvironmentIds: string[] = [];
    if (await api.credentials.has(PERSIST_ENV)) credentialEnvironmentIds.push(PERSIST_ENV);
    assert.deepEqual(credentialEnvironmentIds, [PERSIST_ENV], 'the persistent environment has credentials');
    const state: LeakSession = {
      needles: await allNeedles(),
      activeEnvironmentId: api.environments.active().id,
      persistentEnvironmentId: PERSIST_ENV,
      credentialEnvironmentIds,
      harnessTokenRequests: (await harnessSandboxState())?.tokenRequests ?? 0,
      openPanelNames,
      closedPanelNames,
      notSavedByVsCode,
    };
    // In-memory texts shown this session are scanned here (they do not survive the reload).
    const textHits = scanTexts(session.shownTexts, state.needles);
    await vaultPut(LEAK_SESSION_KEY, { ...state, textHits });
    console.log(`    ${safetyLine(writeFigures({}))}`);
  });
});
