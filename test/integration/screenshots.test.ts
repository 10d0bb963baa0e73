// Screenshots of the product as a user sees it (README image, reviews of UI changes): the StudyTeam view with
// the examples, a request panel with a response, the status bar on the sandbox. Written to test-artifacts/.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { studyTeamApi, waitUntil } from './support/studyteam';
import { screenshot, uiDriverAvailable, webviewClick, webviewWaitFor, waitForStatusBar } from './support/uiDriver';

describe('screenshots', function () {
  this.timeout(90_000);

  it('the StudyTeam view with the examples and a panel showing a response', async function () {
    if (!uiDriverAvailable()) this.skip();
    const api = await studyTeamApi();
    const saved = api.features.savedRequests;
    const panels = api.features.requestPanel;
    await vscode.commands.executeCommand('studyteam.startSandbox', {});
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    // A tidy tree for the picture: earlier suites leave their own items behind (this is the last suite).
    for (const node of [...saved.store.all()]) await vscode.commands.executeCommand('studyteam.deleteItem', node.id, { confirm: false });
    const folderId = await vscode.commands.executeCommand<string>('studyteam.addExamples');
    const listSites = saved.store.allRequests().find((r) => r.folderPath.length > 0 && r.request.method === 'GET' && r.request.url === '/rpi/sites');
    assert.ok(listSites, 'the examples include GET /rpi/sites');
    await vscode.commands.executeCommand('workbench.view.extension.studyteam');
    await vscode.commands.executeCommand('studyteam.runSavedRequest', listSites.request.id, { show: false });
    const info = panels.openSavedRequest(listSites.request.id);
    assert.ok(info);
    await waitUntil('the panel to be ready', () => panels.panels().some((p) => p.savedId === listSites.request.id && p.ready), 20_000);
    const target = { titleContains: listSites.request.name };
    await webviewClick('#send', target);
    await webviewWaitFor('#status', { ...target, textContains: '200' });
    await webviewWaitFor('#response-body .json-tree', target);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await waitForStatusBar('Sandbox (local)');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const file = await screenshot('readme-workbench.png');
    assert.ok(existsSync(file));
    await vscode.commands.executeCommand('studyteam.deleteItem', folderId, { confirm: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
