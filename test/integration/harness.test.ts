// Smoke test of the harness itself: the extension under development is loaded into the real
// extension host and activates, the environment the harness promises is there, and (under the
// code-server harness) the UI driver can see the workbench.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  clickNotificationAction, screenshot, statusBarText, uiDriverAvailable, waitForNotification, webviewClick, webviewEval,
  webviewFill, webviewPress, webviewWaitFor, workbenchEval,
} from './support/uiDriver';

const EXTENSION_ID = 'studyteam.studyteam-vscode';

describe('integration harness', () => {
  it('loads the extension under development and activates it', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    const started = performance.now();
    await extension.activate();
    assert.equal(extension.isActive, true);
    console.log(`    harness: ${EXTENSION_ID} active (activate() awaited ${(performance.now() - started).toFixed(0)} ms)`);
  });

  it('opens the temp workspace folder', function () {
    const expected = process.env.STUDYTEAM_TEST_WORKSPACE;
    if (!expected) this.skip();
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(folders.map((f) => f.uri.fsPath), [expected]);
    assert.ok(existsSync(expected));
  });

  it('reaches the workbench through the UI driver', async function () {
    if (!uiDriverAvailable()) this.skip();
    assert.equal(await workbenchEval<boolean>('!!document.querySelector(".monaco-workbench")'), true);
    assert.notEqual((await statusBarText()).trim(), '');
    const file = await screenshot('harness-workbench.png');
    assert.ok(existsSync(file), `no screenshot at ${file}`);
  });

  it('drives a webview and a notification through the UI driver', async function () {
    if (!uiDriverAvailable()) this.skip();
    const panel = vscode.window.createWebviewPanel('studyteamHarnessProbe', 'Harness probe', vscode.ViewColumn.One, { enableScripts: true });
    try {
      panel.webview.html = PROBE_HTML;
      await webviewWaitFor('#harness-probe', { textContains: 'ready', titleContains: 'Harness probe' });
      await webviewFill('#harness-input', 'hello');
      await webviewClick('#harness-copy');
      assert.equal(await webviewWaitFor('#harness-out', { textContains: 'hello' }), 'hello');
      await webviewPress('#harness-input', 'Enter');
      assert.equal(await webviewEval<string>('#harness-probe', 'document.getElementById("harness-out").textContent'), 'enter:hello');
    } finally {
      panel.dispose();
    }

    const answer = vscode.window.showWarningMessage('Harness probe notification', 'Got it');
    const toast = await waitForNotification('Harness probe notification');
    assert.equal(toast.severity, 'warning');
    assert.deepEqual(toast.actions, ['Got it']);
    await clickNotificationAction('Harness probe notification', 'Got it');
    assert.equal(await answer, 'Got it');
  });
});

const PROBE_HTML = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'">
<title>Harness probe</title></head>
<body><div id="harness-probe">ready</div><input id="harness-input"><button id="harness-copy">copy</button><div id="harness-out"></div>
<script>
  const input = document.getElementById('harness-input');
  const out = document.getElementById('harness-out');
  document.getElementById('harness-copy').addEventListener('click', () => { out.textContent = input.value; });
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') out.textContent = 'enter:' + input.value; });
</script></body></html>`;
