// The request panel asks for {{variables}} the environment does not define, the way the tree's Run does, and can
// remember non-secret answers for the environment (issue 13, "Variables").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { RequestPanelFeature } from '../../src/panel/registerRequestPanel';
import { sleep, waitUntil } from './support/studyteam';
import { startPanelSandbox } from './support/suiteSetup';
import { pressKey, screenshot, uiDriverAvailable, webviewClick, webviewEval, webviewFill, webviewPress, webviewWaitFor } from './support/uiDriver';

describe('request panel: variables', function () {
  this.timeout(90_000);
  let api: StudyTeamApi;
  let feature: RequestPanelFeature;

  before(async () => {
    ({ api, feature } = await startPanelSandbox());
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('asks for a missing {{variable}} on Send, remembers it for the environment when told, then sends without asking', async function () {
    if (!uiDriverAvailable()) this.skip();
    const server = api.sandbox.server('sandbox')!;
    const id = '1001'; // the sandbox's first site
    const name = 'E2E variables';
    feature.openNewRequest({ name, url: '/rpi/sites/{{e2eSiteId}}' });
    await waitUntil('ready', () => feature.panels().find((p) => p.draft.name === name && p.ready), 20_000);
    const target = { titleContains: name };
    assert.equal(await webviewEval<string>('#url-overlay', 'document.querySelector("#url-overlay .var").className', target), 'var unknown');

    server.resetCounters();
    await webviewClick('#send', target);
    await sleep(1_000); // the input box for {{e2eSiteId}}
    assert.equal(server.counters.apiRequests, 0, 'nothing sent while asking');
    await screenshot('request-panel-variable-question.png');
    for (const ch of id) await pressKey(ch);
    await pressKey('Enter');
    await sleep(800); // Keep these values? → the second choice: remember for Sandbox (local)
    await pressKey('ArrowDown');
    await pressKey('Enter');
    await webviewWaitFor('#status', { ...target, textContains: '200' });
    assert.ok(server.counters.apiRequests >= 1);
    await waitUntil('known now', async () => (await webviewEval<string>('#url-overlay', 'document.querySelector("#url-overlay .var").className', target)) === 'var');

    // Remembered: the next Send asks nothing.
    const before = server.counters.apiRequests;
    await webviewEval('#status', 'document.getElementById("status").textContent = ""; true', target);
    await webviewClick('#send', target);
    await webviewWaitFor('#status', { ...target, textContains: '200' });
    assert.equal(server.counters.apiRequests, before + 1);
  });

  it('completes {{ from the known variables, highlights them in the body (also in high contrast), and hovers show value and source', async function () {
    if (!uiDriverAvailable()) this.skip();
    const name = 'E2E variable assist';
    feature.openNewRequest({ name, method: 'POST', url: '/rpi/sites' });
    await waitUntil('ready', () => feature.panels().find((p) => p.draft.name === name && p.ready), 20_000);
    const target = { titleContains: name };
    await webviewClick('#request-tab-body', target);
    await webviewClick('#body', target);
    for (const key of ['{', '"', 'u', '"', ':', ' ', '"', '{', '{', 'b', 'a']) await webviewPress('#body', key, target);
    await webviewWaitFor('#variable-completion:not([hidden]) [role=option]', { ...target, textContains: 'baseUrl' });
    await webviewPress('#body', 'Enter', target);
    assert.equal(await webviewEval<string>('#body', 'document.getElementById("body").value', target), '{"u": "{{baseUrl}}');
    assert.equal(await webviewEval<boolean>('#variable-completion', 'document.getElementById("variable-completion").hidden', target), true);
    assert.equal(await webviewEval<string>('#body-overlay', 'document.querySelector("#body-overlay .var").textContent', target), '{{baseUrl}}');
    const baseUrl = api.environments.get('sandbox')!.baseUrl;
    const hover = await webviewEval<string>('#body', 'document.getElementById("body").dispatchEvent(new MouseEvent("mouseover", { bubbles: true })), document.getElementById("body").title', target);
    assert.equal(hover, `{{baseUrl}} = ${JSON.stringify(baseUrl)} — a variable of Sandbox (local)`);

    // An unknown one is marked, and says so on hover.
    await webviewFill('#body', '{"site": "{{nowhere}}"}', target);
    assert.equal(await webviewEval<string>('#body-overlay', 'document.querySelector("#body-overlay .var").className', target), 'var unknown');

    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default High Contrast', vscode.ConfigurationTarget.Global);
    try {
      const outline = await waitUntil('a border in high contrast', async () => {
        const style = await webviewEval<string>('#body-overlay', 'getComputedStyle(document.querySelector("#body-overlay .var")).outlineStyle', target);
        return style === 'dashed' ? style : undefined;
      });
      assert.equal(outline, 'dashed');
      await screenshot('request-panel-variables-high-contrast.png');
    } finally {
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
