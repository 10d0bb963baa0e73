// The request panel never passes a response off as current (issue 13, "Data safety in the panel"), driven through
// the real workbench: the user sends, switches environment, sees the old response marked stale, clears it; an error
// replaces an older success instead of sitting on top of it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { RequestPanelFeature, RequestPanelInfo } from '../../src/panel/registerRequestPanel';
import { waitUntil } from './support/studyteam';
import { type PanelTarget, openNamedPanel, startPanelSandbox } from './support/suiteSetup';
import { screenshot, uiDriverAvailable, webviewClick, webviewEval, webviewFill, webviewWaitFor } from './support/uiDriver';

describe('request panel: data safety', function () {
  this.timeout(90_000);
  let api: StudyTeamApi;
  let feature: RequestPanelFeature;

  const openPanel = (name: string, draft: Partial<RequestPanelInfo['draft']> = {}): Promise<PanelTarget> => openNamedPanel(feature, name, draft);

  const text = (selector: string, target: { titleContains: string }): Promise<string> =>
    webviewEval<string>(selector, `document.querySelector(${JSON.stringify(selector)}).textContent`, target);
  const visible = (selector: string, target: { titleContains: string }): Promise<boolean> =>
    webviewEval<boolean>(selector, `!document.querySelector(${JSON.stringify(selector)}).hidden`, target);

  before(async () => {
    ({ api, feature } = await startPanelSandbox());
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('says where a response came from, marks it stale after an environment switch, and clears it on request', async function () {
    if (!uiDriverAvailable()) this.skip();
    const origin = new URL(api.environments.get('sandbox')!.baseUrl).origin;
    const target = await openPanel('E2E stale', { url: '/rpi/sites' });
    await webviewClick('#send', target);
    await webviewWaitFor('#status', { ...target, textContains: '200' });
    const source = await text('#response-source', target);
    assert.match(source, /^From Sandbox \(local\)/);
    assert.ok(source.includes(origin), `the origin ${origin} in "${source}"`);
    assert.match(source, /just now/);
    assert.equal(await visible('#response-stale', target), false, 'not stale while the environment is the same');

    await api.sandbox.start({ id: 'sandbox-prod', name: 'Prod sandbox', production: true, activate: true });
    try {
      const banner = await webviewWaitFor('#response-stale:not([hidden])', target);
      assert.match(banner, /from Sandbox \(local\)/);
      assert.match(banner, /not from Prod sandbox/);
      assert.match(await webviewEval<string>('#response', 'document.getElementById("response").className', target), /\bstale\b/);
      assert.equal(await visible('#env-badge', target), true, 'the header shows the new production environment');
      await screenshot('request-panel-stale-response.png');

      // Back to the environment it came from: no longer stale.
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
      await waitUntil('stale mark gone', async () => !(await visible('#response-stale', target)));
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox-prod');
      await webviewWaitFor('#response-stale:not([hidden])', target);

      await webviewClick('#clear-response', target);
      await waitUntil('response cleared', async () => (await text('#status', target)) === '' && (await text('#response-body', target)) === '');
      assert.equal(await visible('#response-stale', target), false);
      assert.equal(await visible('#response-source', target), false);
      assert.equal(await webviewEval<boolean>('#copy-body', 'document.getElementById("copy-body").disabled', target), true);
    } finally {
      await api.sandbox.stop('sandbox-prod');
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
    }
  });

  it('an error replaces the older success instead of sitting on top of it (also after hide/reveal)', async function () {
    if (!uiDriverAvailable()) this.skip();
    const target = await openPanel('E2E error over success', { url: '/rpi/sites' });
    await webviewClick('#send', target);
    await webviewWaitFor('#response-body .json-tree', target);

    // A variable that exists nowhere, and the user dismisses the question for its value: the panel shows the error.
    await webviewFill('#url', '/rpi/sites/{{noSuchVariable}}', target);
    await webviewClick('#send', target);
    await waitUntil('the question for {{noSuchVariable}} dismissed', async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return (await webviewEval<boolean>('#error', '!document.getElementById("error").hidden', target)) || undefined;
    });
    const error = await webviewWaitFor('#error-message', target);
    assert.match(error, /noSuchVariable/);
    assert.equal(await text('#status', target), 'Error');
    assert.equal(await text('#response-body', target), '', 'the older body is gone');
    assert.equal(await text('#response-headers', target), '');
    assert.match(await text('#response-source', target), /^Failed on Sandbox \(local\)/);
    assert.equal(await webviewEval<boolean>('#open-in-editor', 'document.getElementById("open-in-editor").disabled', target), true);

    // Hidden and shown again: still the error, not the older success.
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await waitUntil('panel hidden', () => feature.panels().find((p) => p.draft.name === 'E2E error over success' && !p.ready));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitUntil('panel ready again', () => feature.panels().find((p) => p.draft.name === 'E2E error over success' && p.ready), 20_000);
    await webviewWaitFor('#error-message', target);
    assert.equal(await text('#response-body', target), '');
  });
});
