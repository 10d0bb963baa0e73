// The request panel end to end in the real workbench: the extension host opens the panel, Playwright (through
// the harness's UI driver) types and clicks inside the webview, the local sandbox answers.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { RequestPanelFeature, RequestPanelInfo } from '../../src/panel/registerRequestPanel';
import { writeFigures } from './support/safety';
import { sleep, waitUntil, withConfirmation } from './support/studyteam';
import { type PanelTarget, openNamedPanel, startPanelSandbox } from './support/suiteSetup';
import { screenshot, uiDriverAvailable, webviewClick, webviewEval, webviewFill, webviewPress, webviewWaitFor } from './support/uiDriver';

async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('request panel', function () {
  this.timeout(90_000);
  let api: StudyTeamApi;
  let feature: RequestPanelFeature;

  const openPanel = (name: string, draft: Partial<RequestPanelInfo['draft']> = {}): Promise<PanelTarget> => openNamedPanel(feature, name, draft);

  /** Ctrl+S in a new panel asks where to save it: the first choice, "Top level". */
  async function saveNewAtTopLevel(name: string): Promise<RequestPanelInfo> {
    await webviewPress('#url', 'Control+s', { titleContains: name });
    return waitUntil(
      'saved at the top level',
      async () => {
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return feature.panels().find((p) => p.draft.name === name && p.savedId);
      },
      15_000,
    );
  }

  before(async () => {
    ({ api, feature } = await startPanelSandbox());
  });

  afterEach(async () => {
    api.sandbox.server('sandbox')?.resetFaults();
    await closeAllEditors();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes and registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['studyteam.newRequestPanel', 'studyteam.openRequestInPanel']) assert.ok(commands.includes(id), id);
    const contributed = (vscode.extensions.getExtension('studyteam.studyteam-vscode')?.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(contributed.includes('onWebviewPanel:studyteam.requestPanel'), 'serializer activation event');
  });

  it('opens a panel whose webview completes the ready handshake (one panel per New Request)', async () => {
    const before = feature.panels().length;
    await vscode.commands.executeCommand('studyteam.newRequestPanel');
    await waitUntil('a ready panel', () => feature.panels().length === before + 1 && feature.panels().every((p) => p.ready), 20_000);
    assert.equal(feature.panels().at(-1)?.title, 'New Request');
  });

  it('sends to the sandbox and shows status 200 and the rendered body', async function () {
    if (!uiDriverAvailable()) this.skip();
    const target = await openPanel('E2E send');
    // Before the first Send the empty response area says how to get one (the platform's own shortcut).
    const hint = await webviewWaitFor('#response-empty', target);
    assert.equal(hint, `Send (${process.platform === 'darwin' ? 'Cmd' : 'Ctrl'}+Enter) to see the response`);
    await screenshot('request-panel-empty-hint.png');
    await webviewFill('#url', '/rpi/sites', target);
    await webviewClick('#send', target);
    await webviewWaitFor('#status', { ...target, textContains: '200' });
    assert.equal(await webviewEval<boolean>('#response-empty', 'document.getElementById("response-empty").hidden', target), true, 'the hint goes once a response is there');
    const statusClass = await webviewEval<string>('#status', 'document.getElementById("status").className', target);
    assert.match(statusClass, /success/);
    const body = await webviewWaitFor('#response-body .json-tree', target);
    assert.ok(body.length > 20, `rendered body: ${body.slice(0, 200)}`);
    assert.match(await webviewEval<string>('#size', 'document.getElementById("size").textContent', target), /B$/);
    const sent = await webviewEval<string>('#response-request', 'document.getElementById("response-request").textContent', target);
    assert.doesNotMatch(sent, /eyJ/, 'the Request tab never shows the token');
    const metrics = await waitUntil('metrics', () => feature.lastMetrics);
    assert.equal(metrics.stage, 'firstPaint');
    assert.ok(metrics.clickToPaintMs >= metrics.receiveToPaintMs, 'click → paint covers receive → paint');
    assert.equal(metrics.paintedBytes, metrics.bodyBytes, 'a small body is painted whole');

    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Dark Modern', vscode.ConfigurationTarget.Global);
    await sleep(500);
    await screenshot('request-panel-dark.png');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default Light Modern', vscode.ConfigurationTarget.Global);
    await sleep(500);
    await screenshot('request-panel-light.png');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', 'Default High Contrast', vscode.ConfigurationTarget.Global);
    await sleep(500);
    assert.equal(await webviewEval<boolean>('#send', 'document.body.classList.contains("vscode-high-contrast")', target), true, 'the webview follows the high-contrast theme');
    await screenshot('request-panel-high-contrast.png');
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
  });

  it('sends with Ctrl+Enter and keeps the query table in sync with the URL', async function () {
    if (!uiDriverAvailable()) this.skip();
    const target = await openPanel('E2E keyboard');
    await webviewFill('#url', '/rpi/events?limit=2&trialIds={{trialId}}&eventTypes=v1.patient.created', target);
    const rows = await webviewEval<string[]>(
      '#query-table',
      '[...document.querySelectorAll("#query-table tbody tr")].map(tr => [...tr.querySelectorAll("input[type=text]")].map(i => i.value).join("="))',
      target,
    );
    assert.deepEqual(rows, ['limit=2', 'trialIds={{trialId}}', 'eventTypes=v1.patient.created']);
    await webviewPress('#url', 'Control+Enter', target);
    await webviewWaitFor('#status', { ...target, textContains: '200' });
  });

  it('cancels a slow call', async function () {
    if (!uiDriverAvailable()) this.skip();
    const server = api.sandbox.server('sandbox');
    assert.ok(server, 'sandbox running');
    server.faults.apiDelayMs = 10_000;
    const target = await openPanel('E2E cancel');
    await webviewFill('#url', '/rpi/sites', target);
    await webviewClick('#send', target);
    await waitUntil('Cancel enabled', () => webviewEval<boolean>('#cancel', '!document.getElementById("cancel").disabled', target));
    const started = Date.now();
    await webviewClick('#cancel', target);
    await webviewWaitFor('#status', { ...target, textContains: 'Cancelled', timeoutMs: 5_000 });
    assert.ok(Date.now() - started < 5_000, 'cancelled promptly');
    assert.equal(await webviewEval<boolean>('#send', 'document.getElementById("send").disabled', target), false);
  });

  it('asks before a write to a production environment and shows the refusal inline', async function () {
    if (!uiDriverAvailable()) this.skip();
    await api.sandbox.start({ id: 'sandbox-prod', name: 'Prod sandbox', production: true, activate: true });
    const server = api.sandbox.server('sandbox-prod')!;
    try {
      const target = await openPanel('E2E production', {
        method: 'POST',
        url: '/rpi/sites/1001/referrals',
        body: '{"referral":[{"subjectId":"SUBJ-PROD-1","primaryTrial":{"id":"TR-1001","sponsorSiteId":"SS-1001-101"},"name":[{"given":["Test"],"family":"Patient"}]}]}',
      });
      assert.equal(await webviewEval<boolean>('#env-badge', '!document.getElementById("env-badge").hidden', target), true, 'production badge shown');
      server.resetCounters();
      const declined = await withConfirmation(api, false, async () => {
        await webviewClick('#send', target);
        return webviewWaitFor('#error-message', target);
      });
      assert.match(declined.asked.join('\n'), /Prod sandbox/);
      assert.match(declined.asked.join('\n'), /POST/);
      assert.match(declined.result, /Prod sandbox/);
      assert.equal(server.counters.apiRequests, 0, 'nothing was sent');

      const confirmed = await withConfirmation(api, true, async () => {
        await webviewClick('#send', target);
        return webviewWaitFor('#status', { ...target, textContains: '202' });
      });
      assert.equal(confirmed.asked.length, 1);
    } finally {
      await api.sandbox.stop('sandbox-prod');
      await vscode.commands.executeCommand('studyteam.switchEnvironment', 'sandbox');
    }
  });

  it('ignores malformed messages in both directions', async function () {
    if (!uiDriverAvailable()) this.skip();
    const server = api.sandbox.server('sandbox')!;
    const target = await openPanel('E2E malformed', { url: '/rpi/sites' });
    server.resetCounters();
    // webview → host: a forged "send" with a bad seq and an unknown method; an unknown type.
    await webviewEval(
      '#app',
      `(() => {
        const api = window.__studyteamVscode;
        api.postMessage({ type: 'send', seq: 'one', draft: {} });
        api.postMessage({ type: 'send', seq: 1, draft: { name: '', method: 'TRACE', url: '/rpi/sites', query: [], headers: [], body: '', bodyMode: 'json', auth: 'bearer' } });
        api.postMessage({ type: 'runShell', command: 'rm -rf /' });
        return true;
      })()`,
      target,
    );
    await sleep(1_000);
    assert.equal(server.counters.apiRequests, 0, 'no request was sent for a malformed message');
    // host → webview: a response with a string status is dropped, the panel keeps working.
    const ignored = await webviewEval<number>(
      '#app',
      `(() => {
        const before = window.__studyteamPanel.ignoredMessages;
        window.postMessage({ type: 'response', seq: 1, response: { status: 'two hundred' } }, '*');
        return new Promise((done) => setTimeout(() => done(window.__studyteamPanel.ignoredMessages - before), 200));
      })()`,
      target,
    );
    assert.equal(ignored, 1);
    assert.equal(await webviewEval<string>('#status', 'document.getElementById("status").textContent', target), '');
    await webviewClick('#send', target);
    await webviewWaitFor('#status', { ...target, textContains: '200' });
  });

  it('saves to the Saved Requests tree (Ctrl+S), reopens it, and restores its state after hide/reveal', async function () {
    if (!uiDriverAvailable()) this.skip();
    const name = `E2E saved ${Date.now()}`;
    const target = await openPanel(name);
    await webviewFill('#url', '/rpi/sites?page=1', target);
    const saved = await saveNewAtTopLevel(name);
    const savedId = saved.savedId!;
    await webviewWaitFor('#notice', { ...target, textContains: 'Saved' });

    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder) {
      const file = join(folder, '.studyteam', 'requests.json');
      await waitUntil('requests.json written', () => existsSync(file) && readFileSync(file, 'utf8').includes(savedId));
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes(name));
      assert.doesNotMatch(text, /eyJ|Bearer /, 'no token in the file');
    }

    // Another panel hides this one (its webview is torn down: retainContextWhenHidden is false) …
    await openPanel('E2E cover');
    await waitUntil('saved panel hidden', () => feature.panels().find((p) => p.savedId === savedId && !p.visible));
    // … and opening the saved request reveals the same panel, with its state.
    const count = feature.panels().length;
    await vscode.commands.executeCommand('studyteam.openRequestInPanel', savedId);
    await waitUntil('saved panel ready again', () => feature.panels().find((p) => p.savedId === savedId && p.visible && p.ready));
    assert.equal(feature.panels().length, count, 'revealed, not opened twice');
    assert.equal(await webviewEval<string>('#url', 'document.getElementById("url").value', target), '/rpi/sites?page=1');

    // Closed and reopened from the store.
    await closeAllEditors();
    await waitUntil('panels closed', () => feature.panels().length === 0);
    await vscode.commands.executeCommand('studyteam.openRequestInPanel', savedId);
    await waitUntil('reopened', () => feature.panels().find((p) => p.savedId === savedId && p.ready), 20_000);
    assert.equal(await webviewEval<string>('#url', 'document.getElementById("url").value', target), '/rpi/sites?page=1');
  });

  it('Copy as curl (the same flow as the tree): no question, the command reads $STUDYTEAM_TOKEN; "with token…" asks first', async function () {
    if (!uiDriverAvailable()) this.skip();
    const target = await openPanel('E2E curl');
    await webviewFill('#url', '/rpi/sites', target);
    await vscode.env.clipboard.writeText('');
    const plain = await withConfirmation(api, true, async () => {
      await webviewClick('#copy-curl', target);
      return webviewWaitFor('#notice', { ...target, textContains: 'Copied' });
    });
    assert.deepEqual(plain.asked, [], 'no question for the default copy');
    assert.match(plain.result, /STUDYTEAM_TOKEN/, 'the notice says how to set the token');
    const clip = await waitUntil('the clipboard', async () => (await vscode.env.clipboard.readText()) || undefined);
    assert.match(clip, /-H "authorization: Bearer \$STUDYTEAM_TOKEN"/);
    for (const token of api.sandbox.server('sandbox')!.issuedTokens) assert.ok(!clip.includes(token));

    await vscode.env.clipboard.writeText('unchanged');
    const asked: string[] = [];
    api.confirmations.responder = (request) => {
      asked.push(request.message);
      return false;
    };
    try {
      await webviewClick('#copy-curl-token', target);
      await waitUntil('the live-token question', () => asked.length > 0);
    } finally {
      api.confirmations.responder = undefined;
    }
    assert.match(asked[0]!, /live access token/);
    await sleep(300);
    assert.equal(await vscode.env.clipboard.readText(), 'unchanged', 'declined: nothing copied');
    await vscode.env.clipboard.writeText('');
  });

  it('Open in Request Panel without an id offers the saved requests in a QuickPick', async function () {
    if (!uiDriverAvailable()) this.skip(); // saving goes through the webview (Ctrl+S)
    const name = `E2E picked ${Date.now()}`;
    await openPanel(name, { url: '/rpi/sites?picked=1' });
    const saved = await saveNewAtTopLevel(name);
    await closeAllEditors();
    await waitUntil('panels closed', () => feature.panels().length === 0);
    const picked = Promise.resolve(vscode.commands.executeCommand<string | undefined>('studyteam.openRequestInPanel'));
    await sleep(800);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await Promise.race([picked, sleep(2_000).then(() => 'pending')]), undefined, 'dismissing the QuickPick opens nothing');
    const again = Promise.resolve(vscode.commands.executeCommand<string | undefined>('studyteam.openRequestInPanel'));
    await sleep(800);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'); // the first saved request
    const id = await Promise.race([again, sleep(10_000).then(() => 'timed out')]);
    assert.ok(typeof id === 'string' && id !== 'timed out', `the command returned ${String(id)}`);
    await waitUntil('picked panel ready', () => feature.panels().find((p) => p.savedId === id && p.ready), 20_000);
    assert.ok(saved.savedId, 'at least this request was in the list');
  });

  it('paints a 10 MB JSON body quickly (a preview first), builds the full tree on demand, and reports the figure', async function () {
    if (!uiDriverAvailable()) this.skip();
    const server = api.sandbox.server('sandbox')!;
    server.faults.bigJsonMb = 10;
    const target = await openPanel('E2E big JSON', { url: '/rpi/sites' });
    // Long tasks (> 50 ms) in the webview from before Send until the full tree is built.
    const observing = await webviewEval<boolean>(
      '#app',
      `(() => {
        window.__stLongTasks = [];
        if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) return false;
        new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__stLongTasks.push({ ms: Math.round(e.duration), from: e.name, at: Math.round(e.startTime) }); }).observe({ type: 'longtask' });
        return true;
      })()`,
      target,
    );
    const firstPaint = feature.nextMetrics(60_000, 'firstPaint');
    await webviewClick('#send', target);
    const m = await firstPaint;
    const ms = (n: number | undefined): string => (n === undefined ? '?' : String(Math.round(n)));
    console.log(
      `    panel: bigJsonFirstPaintMs=${ms(m.clickToPaintMs)} (click → first paint, webview clock; host: request ${ms(m.hostRequestMs)} ms, ` +
        `send → metrics ${ms(m.hostRoundTripMs)} ms; webview receive → paint ${ms(m.receiveToPaintMs)} ms; painted ${m.paintedBytes} of ${m.bodyBytes} bytes)`,
    );
    writeFigures({ bigJsonFirstPaintMs: Math.round(m.clickToPaintMs) });
    assert.ok(m.bodyBytes >= 10 * 1024 * 1024 * 0.9, `body ${m.bodyBytes} bytes`);
    assert.ok(m.paintedBytes <= 256 * 1024, `the first paint shows the preview only (${m.paintedBytes} bytes)`);
    assert.ok(m.clickToPaintMs >= m.receiveToPaintMs);
    // The whole path from the click (the HTTP request of 10 MB included). The issue's target is ≤ 1.5 s; this bound
    // also holds on a loaded 2-core CI machine, where the request alone can take 1–2 s.
    assert.ok(m.clickToPaintMs < 3_500, `Send → first paint took ${Math.round(m.clickToPaintMs)} ms`);
    const note = await webviewWaitFor('#preview-note', { ...target, textContains: 'Showing the first 256 KB of 10 MB' });
    assert.match(note, /Open in Editor/);
    assert.match(note, /Load full JSON tree/);
    const previewText = await webviewEval<string>('#response-preview', 'document.getElementById("response-preview").textContent.slice(0, 200)', target);
    assert.match(previewText, /^\[\n  \{\n    "id": "1001",/, 'the preview is pretty-printed');
    await waitUntil('the whole preview laid out', () => webviewEval<boolean>('#response-preview', 'document.getElementById("response-preview").dataset.complete === "true"', target));
    const previewChars = await webviewEval<number>('#response-preview', 'document.getElementById("response-preview").textContent.length', target);
    assert.ok(previewChars > 256 * 1024, `the preview shows all of its 256 KB, pretty-printed (${previewChars} chars)`);
    assert.ok((await webviewEval<number>('#app', 'document.querySelectorAll("*").length', target)) < 5_000);

    await sleep(500); // the preview's colours are added in slices after its first paint
    await screenshot('request-panel-big-json-preview.png');

    const fullTree = feature.nextMetrics(60_000, 'fullTree');
    await webviewClick('#load-full-tree', target);
    const f = await fullTree;
    console.log(`    panel: bigJsonFullTreeMs=${ms(f.clickToPaintMs)} (Load full tree → tree painted; host round trip ${ms(f.hostRoundTripMs)} ms, webview receive → paint ${ms(f.receiveToPaintMs)} ms)`);
    await webviewWaitFor('#response-body .json-tree', target);
    assert.equal(await webviewEval<boolean>('#app', '!document.getElementById("preview-note")', target), true, 'the preview made way for the tree');
    const nodes = await webviewEval<number>('#app', 'document.querySelectorAll("*").length', target);
    assert.ok(nodes < 5_000, `the webview built ${nodes} elements for a 10 MB body`);
    assert.ok(f.clickToPaintMs < 20_000, `Load full tree took ${Math.round(f.clickToPaintMs)} ms`);
    if (observing) {
      const longTasks = await webviewEval<Array<{ ms: number; from: string; at: number }>>('#app', 'window.__stLongTasks', target);
      const phases = await webviewEval<string>('#app', 'performance.getEntriesByType("measure").filter(m => m.name.startsWith("studyteam:")).map(m => m.name.slice(10) + " " + Math.round(m.duration) + " ms @" + Math.round(m.startTime)).join(", ")', target);
      console.log(`    panel: webview phases: ${phases}`);
      console.log(`    panel: long tasks seen by the webview during the 10 MB response: ${longTasks.length ? longTasks.map((t) => `${t.ms} ms (${t.from} @${t.at})`).join(', ') : 'none'}`);
    }
  });
});
