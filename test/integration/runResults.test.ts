// Run Folder's results view in the real workbench (issue 13, "Run Folder results are a rendered view … each row
// opens that response"): the user runs a folder against the local sandbox, the results panel lists each request
// (failures first) with status, time and checks under the environment and origin it ran on; Enter on a row and a
// click on another open THAT response in the request panel, labelled with the run it came from.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { RequestPanelFeature } from '../../src/panel/registerRequestPanel';
import type { RunResultsPanelInfo } from '../../src/runResults/runResultsPanels';
import type { RunResult } from '../../src/tree/runCommands';
import { waitUntil } from './support/studyteam';
import { startPanelSandbox } from './support/suiteSetup';
import { screenshot, uiDriverAvailable, webviewClick, webviewEval, webviewPress, webviewWaitFor, workbenchEval } from './support/uiDriver';

describe('run results view: Run Folder rows open their responses', function () {
  this.timeout(120_000);
  let api: StudyTeamApi;
  let panels: RequestPanelFeature;
  const created: string[] = [];

  before(async () => {
    ({ api, feature: panels } = await startPanelSandbox());
    await api.features.savedRequests.ready;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of created) await vscode.commands.executeCommand('studyteam.deleteItem', id, { confirm: false });
  });

  /** WCAG contrast ratio of `selector`'s text colour against the page background, in that webview. */
  const contrastOf = (selector: string, target: { titleContains: string }): Promise<number> =>
    webviewEval<number>(
      selector,
      `(() => {
        const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
        const fg = lum(rgb(getComputedStyle(document.querySelector(${JSON.stringify(selector)})).color));
        const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
        return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      })()`,
      target,
    );

  const resultsOf = (folderId: string): RunResultsPanelInfo | undefined => api.features.runResults.panels().find((p) => p.folderId === folderId);

  it('shows the run as a rendered table (failures first, environment and origin on top); Enter and a click open that response', async function () {
    if (!uiDriverAvailable()) this.skip();
    const folderId = await vscode.commands.executeCommand<string>('studyteam.newFolder', { name: 'Results E2E' });
    created.push(folderId);
    const sites = await vscode.commands.executeCommand<string>('studyteam.newRequest', { parentId: folderId, name: 'Sites for results', url: '/rpi/sites', open: false });
    const missing = await vscode.commands.executeCommand<string>('studyteam.newRequest', { parentId: folderId, name: 'Missing page', url: '/rpi/no-such-page', open: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // As the tree's context menu does: the folder's node as the argument.
    const node = api.features.savedRequests.store.findNode(folderId)?.node;
    const ran = await vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', node);
    assert.deepEqual(ran.map((r) => [r.name, r.status, r.ok]), [['Missing page', 404, false], ['Sites for results', 200, true]]);

    const info = await waitUntil('the results view ready', () => (resultsOf(folderId)?.ready ? resultsOf(folderId) : undefined), 20_000);
    assert.equal(info.title, 'Run results: Results E2E — Sandbox (local)');
    assert.equal(info.active, true, 'the results view is the active editor');
    assert.deepEqual(info.run.rows.map((r) => [r.name, r.status, r.responseKept]), [['Missing page', 404, true], ['Sites for results', 200, true]]);
    assert.ok(!vscode.window.activeTextEditor, 'no Markdown source document opened');

    const target = { titleContains: 'StudyTeam Run results: Results E2E' };
    await webviewWaitFor('tr.result-row', target);
    const origin = new URL(api.environments.get('sandbox')!.baseUrl).origin;
    const source = await webviewWaitFor('#run-source', target);
    assert.ok(source.includes('Sandbox (local)') && source.includes(origin), `environment and origin on top: ${source}`);
    assert.match(source, /ran \d/);
    assert.match(await webviewWaitFor('#run-totals', target), /2 requests: 1 passed, 1 failed/);
    const rows = await webviewEval<string[]>('tr.result-row', '[...document.querySelectorAll("tr.result-row")].map((r) => r.innerText.replace(/\\s+/g, " ").trim())', target);
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /^✗ GET Missing page \/rpi\/no-such-page .*404 \d+ ms 0\/1 passed, 1 failed$/);
    assert.match(rows[1]!, /^✓ GET Sites for results \/rpi\/sites 200 \d+ ms 1\/1 passed$/);
    // The failing row takes focus first: one keystroke from the thing to look at.
    assert.equal(await webviewEval<string>('tr.result-row', 'document.activeElement.dataset.key', target), `1:${missing}`);
    // Status codes are text: readable on the light theme's background (an icon colour like testing.iconPassed is 2:1).
    assert.ok((await contrastOf('td.status.success', target)) >= 4, 'a 2xx status is readable');
    assert.ok((await contrastOf('td.status.client-error', target)) >= 4, 'a 4xx status is readable');
    await screenshot('run-results-view.png');

    // Keyboard: Enter on the passing row opens ITS response (200) in the request panel, labelled with the run.
    await webviewPress(`[data-key="1:${sites}"]`, 'Enter', target);
    await waitUntil('the request panel of "Sites for results"', () => panels.panels().find((p) => p.savedId === sites && p.ready && p.active), 20_000);
    const sitesPanel = { titleContains: 'Sites for results' };
    await webviewWaitFor('#status', { ...sitesPanel, textContains: '200' });
    assert.ok((await contrastOf('#status', sitesPanel)) >= 4, 'the 200 in the response bar is readable');
    assert.match(await webviewWaitFor('#response-source', sitesPanel), /^From Sandbox \(local\) \(http:\/\/127\.0\.0\.1:\d+\), just now · Run Folder "Results E2E"$/);
    await webviewWaitFor('#response-body .json-tree', sitesPanel);
    // The panel covers the results view in its group: the keyboard focus goes with it (not left on a hidden webview).
    await waitUntil('the keyboard focus in the opened panel', async () =>
      (await workbenchEval<boolean>(`(() => { const a = document.activeElement; return !!a && (a.tagName === 'IFRAME' || !!a.closest('.webview')); })()`)) &&
      (await webviewEval<boolean>('#url', 'document.hasFocus()', sitesPanel)),
    );
    await screenshot('run-results-row-opened.png');

    // Back to the results (the tab to the left): the row just opened has the focus again, ArrowDown goes on from it.
    await vscode.commands.executeCommand('workbench.action.previousEditor');
    await waitUntil('the results view ready again', () => resultsOf(folderId)?.ready && resultsOf(folderId)?.active, 20_000);
    await waitUntil('the row opened last focused again', async () => (await webviewEval<string>('tr.result-row', 'document.activeElement.dataset.key ?? ""', target)) === `1:${sites}`);
    // Then a click on the failing row: its 404, not the 200.
    await webviewClick(`[data-key="1:${missing}"]`, target);
    await waitUntil('the request panel of "Missing page"', () => panels.panels().find((p) => p.savedId === missing && p.ready && p.active), 20_000);
    await webviewWaitFor('#status', { titleContains: 'Missing page', textContains: '404' });
    // A preview tab, like a click in the tree: going down the rows replaces it instead of piling up tabs.
    assert.deepEqual(panels.panels().map((p) => [p.savedId, p.preview]), [[missing, true]]);
    assert.match(await webviewWaitFor('#response-source', { titleContains: 'Missing page' }), /Run Folder "Results E2E"/);
    // Its preview bar says what replaces it: the next row opened here, too.
    assert.match(await webviewWaitFor('#preview-bar:not([hidden])', { titleContains: 'Missing page' }), /opened from the tree or from Run results replaces this one/);
  });

  it('running the folder again replaces the run in the same view; the Markdown summary is an explicit export', async function () {
    if (!uiDriverAvailable()) this.skip();
    const folderId = created[0];
    assert.ok(folderId, 'the folder of the first test');
    const before = resultsOf(folderId);
    assert.ok(before, 'the results view is still open');
    await vscode.commands.executeCommand('workbench.action.previousEditor');
    const target = { titleContains: 'StudyTeam Run results: Results E2E' };
    await waitUntil('the results view visible', () => resultsOf(folderId)?.ready, 20_000);
    await webviewClick('#run-again', target);
    await waitUntil('a newer run shown', () => (resultsOf(folderId)?.run.startedAt ?? 0) > before.run.startedAt, 20_000);
    assert.equal(api.features.runResults.panels().filter((p) => p.folderId === folderId).length, 1, 'one view per folder');

    // Theme colours only: in High Contrast the view follows (black background, the focused row outlined).
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default High Contrast', vscode.ConfigurationTarget.Global);
    try {
      await waitUntil('the high-contrast background', async () => (await webviewEval<string>('body', 'getComputedStyle(document.body).backgroundColor', target)) === 'rgb(0, 0, 0)');
      const focused = await webviewEval<{ outline: string; color: string }>('tr.result-row', '(() => { const s = getComputedStyle(document.activeElement); return { outline: s.outlineStyle, color: s.outlineColor }; })()', target);
      assert.equal(focused.outline, 'solid', 'the focused row is outlined');
      await screenshot('run-results-high-contrast.png');
    } finally {
      await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }

    await webviewClick('#open-markdown', target);
    const doc = await waitUntil('the Markdown summary', () => vscode.window.activeTextEditor?.document);
    assert.equal(doc.languageId, 'markdown');
    assert.equal(doc.uri.scheme, 'studyteam-view', 'read-only, never an untitled document (hot exit would back it up)');
    assert.match(doc.getText(), /^# Run "Results E2E" — Sandbox \(local\)/);
    assert.match(doc.getText(), /\| ✗ \| Missing page \| 404 \|/);
  });

  it('after the user switches the active environment, Run Again names where it will run (the header keeps the run\'s)', async function () {
    if (!uiDriverAvailable()) this.skip();
    const folderId = created[0];
    assert.ok(folderId, 'the folder of the first test');
    const target = { titleContains: 'StudyTeam Run results: Results E2E' };
    const label = (): Promise<string> => webviewEval<string>('#run-again', 'document.getElementById("run-again").textContent', target);
    const labelIs = (expected: string): Promise<string> => waitUntil(`the button "${expected}"`, async () => ((await label()) === expected ? expected : undefined), 20_000);
    await vscode.commands.executeCommand('workbench.action.previousEditor');
    await waitUntil('the results view visible', () => resultsOf(folderId)?.ready && resultsOf(folderId)?.active, 20_000);
    assert.equal(await label(), 'Run Again', 'the run was on the active environment');

    // As the status bar switcher does: another environment becomes active while the view is open.
    await api.sandbox.start({ id: 'sandbox-prod', name: 'Prod sandbox', production: true, activate: true });
    try {
      await labelIs('Run Again on Prod sandbox');
      assert.match(await webviewWaitFor('#run-title', target), /— Sandbox \(local\)$/, 'the header still names the run\'s environment');
      assert.deepEqual(resultsOf(folderId)?.runAgainOn, { id: 'sandbox-prod', name: 'Prod sandbox' });
      await screenshot('run-results-run-again-other-environment.png');

      // Back to the run's environment: plain "Run Again".
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
      await labelIs('Run Again');

      // Switched while the view is hidden (its webview is torn down): it comes back naming the active environment.
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox-prod');
      await labelIs('Run Again on Prod sandbox');
      await webviewClick('#open-markdown', target);
      await waitUntil('the Markdown summary active', () => vscode.window.activeTextEditor?.document.uri.scheme === 'studyteam-view');
      await waitUntil('the results view hidden', () => resultsOf(folderId)?.ready === false);
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox-prod');
      await vscode.commands.executeCommand('workbench.action.previousEditor');
      await waitUntil('the results view visible again', () => resultsOf(folderId)?.ready && resultsOf(folderId)?.active, 20_000);
      await labelIs('Run Again on Prod sandbox');
    } finally {
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
      await api.sandbox.stop('sandbox-prod');
    }
    await labelIs('Run Again');
  });
});
