// Proof of safety in the real extension host (issue 6), part 1: a scripted session over two sandboxes (a
// Staging-like and a Production-like one) followed by a scan of every byte written for client secrets, tokens and
// patient fields. The window reload and the second scan are the harness's second phase: beforeReload.test.ts
// (run last) leaves the session in the harness's vault, afterReload.test.ts checks and scans after the reload.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { ApiRequest } from '../../src/core/model';
import { scanFiles, scanTexts } from './support/leakScan';
import { harnessSandbox, leakScanRoots, vaultAvailable, writeFigures } from './support/safety';
import { allNeedles, collectShownTexts, GET_SITES, PERSIST_ENV, reportScan, run, safetySession, startSandbox } from './support/safetySession';
import { sleep, studyTeamApi, waitUntil, withConfirmation } from './support/studyteam';
import { uiDriverAvailable, webviewClick, webviewWaitFor } from './support/uiDriver';

describe('safety: leak scan of a full session', function () {
  this.timeout(240_000);
  let api: StudyTeamApi;

  before(async () => {
    api = await studyTeamApi();
  });

  it('scripts a session over Staging-like and Production-like sandboxes, then finds no secret, token or patient field in anything written', async () => {
    const session = safetySession();
    assert.ok(uiDriverAvailable(), 'the leak scan sends from the real webview: run it in the code-server harness (npm run test:integration)');
    assert.ok(vaultAvailable(), 'the leak scan needs the harness\'s vault and sandbox (STUDYTEAM_TEST_VAULT_URL): run it in the code-server harness');
    const staging = await startSandbox(api, 'leak-staging', 'Leak Staging');
    const prod = await startSandbox(api, 'leak-prod', 'Leak Production', true);
    // Credentials for both, through the command (the sandbox controller stored them too).
    for (const { env, server } of [staging, prod]) {
      const client = server.clients[0]!;
      await vscode.commands.executeCommand('studyteam.setCredentials', env.id, { clientId: client.clientId, clientSecret: client.clientSecret });
    }
    // Tokens, environment switches.
    await vscode.commands.executeCommand('studyteam.switchEnvironment', 'leak-staging');
    await vscode.commands.executeCommand('studyteam.showTokenDetails', 'leak-staging');
    assert.equal(staging.server.counters.tokenRequests, 1);

    // Saved requests: examples, one request, a folder.
    const folderId = await vscode.commands.executeCommand<string>('studyteam.addExamples');
    assert.ok(folderId, 'examples added');
    const folder = api.features.savedRequests.store.findNode(folderId)?.node;
    assert.ok(folder && folder.kind === 'folder', 'examples folder in the store');
    const children = folder.children.filter((c) => c.kind === 'request');
    const listSites = children.find((c) => c.method === 'GET' && c.url === '/rpi/sites');
    const createReferral = children.find((c) => c.method === 'POST');
    assert.ok(listSites && createReferral);
    const one = await vscode.commands.executeCommand<{ ok: boolean; status?: number }>('studyteam.runSavedRequest', listSites.id, { interactive: false });
    assert.equal(one?.status, 200);
    const folderRun = await vscode.commands.executeCommand<Array<{ ok: boolean; name: string; message?: string }>>('studyteam.runFolder', folderId);
    assert.ok(folderRun && folderRun.length === children.length, 'every example ran');

    // Referrals with distinctive patient fields: through the host, and on production after the guard's confirmation.
    const referral: ApiRequest = { method: 'POST', url: '/rpi/sites/{{siteId}}/referrals', auth: 'bearer', headers: [{ name: 'Content-Type', value: 'application/json' }], body: session.referralBody };
    const sent = await run(api, staging.env, referral);
    assert.ok(sent.ok && sent.response.status === 202, sent.ok ? String(sent.response.status) : sent.message);
    const guarded = await withConfirmation(api, true, () => run(api, prod.env, referral));
    assert.equal(guarded.asked.length, 1, 'production guard asked');
    assert.ok(guarded.result.ok && guarded.result.response.status === 202);

    // From the panel (the real webview, clicked through Playwright).
    const panel = api.features.requestPanel;
    const name = `Leak referral ${session.tag}`;
    panel.openNewRequest({ name, method: 'POST', url: '/rpi/sites/{{siteId}}/referrals', body: session.referralBody, bodyMode: 'json', auth: 'bearer' });
    await waitUntil('leak panel ready', () => panel.panels().find((p) => p.draft.name === name && p.ready), 20_000);
    await webviewClick('#send', { titleContains: name });
    await webviewWaitFor('#status', { titleContains: name, textContains: '202', timeoutMs: 15_000 });
    assert.ok(staging.server.receivedBodies.some((b) => b.includes(session.patient.firstName)), 'the patient data reached the sandbox');

    // Copy as curl (token redacted), export .http and Postman into the workspace.
    const curl = await vscode.commands.executeCommand<string>('studyteam.copyAsCurl', createReferral.id, { includeToken: false });
    assert.ok(typeof curl === 'string' && curl.includes('curl'), 'curl text');
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'the harness opens a workspace folder');
    mkdirSync(join(workspace, 'exports'), { recursive: true });
    for (const [format, file] of [['http', 'all.http'], ['postman', 'all.postman_collection.json']] as const) {
      const path = join(workspace, 'exports', file);
      await vscode.commands.executeCommand('studyteam.exportRequests', undefined, { format, path, show: false, throwErrors: true });
      assert.ok(existsSync(path), `${file} exported`);
    }

    // Token and API errors, with notifications.
    const client = staging.server.clients[0]!;
    const wrongSecret = `wrong-${randomBytes(24).toString('base64url')}`;
    await vscode.commands.executeCommand('studyteam.setCredentials', 'leak-staging', { clientId: client.clientId, clientSecret: wrongSecret });
    const rejected = await run(api, staging.env, GET_SITES, { notify: true });
    assert.equal(rejected.ok, false);
    await vscode.commands.executeCommand('studyteam.setCredentials', 'leak-staging', { clientId: client.clientId, clientSecret: client.clientSecret });
    prod.server.faults.apiStatus = 500;
    await run(api, prod.env, GET_SITES, { notify: true });
    prod.server.resetFaults();
    prod.server.faults.apiUnauthorizedAlways = true;
    await run(api, prod.env, GET_SITES, { notify: true });
    prod.server.resetFaults();

    // Production: switch, run the folder (writes confirmed).
    await vscode.commands.executeCommand('studyteam.switchEnvironment', 'leak-prod');
    const prodRun = await withConfirmation(api, true, () => vscode.commands.executeCommand<Array<{ ok: boolean }>>('studyteam.runFolder', folderId, { show: false }));
    assert.ok(prodRun.result && prodRun.result.length === children.length);

    // A persistent environment (user settings) against the harness's sandbox, which survives the reload.
    const hs = await harnessSandbox();
    await vscode.commands.executeCommand('studyteam.addEnvironment', { id: PERSIST_ENV, name: 'Leak Persist', baseUrl: hs.url, audience: hs.audience });
    await vscode.commands.executeCommand('studyteam.setCredentials', PERSIST_ENV, { clientId: hs.clientId, clientSecret: hs.clientSecret });
    const persisted = await run(api, api.environments.get(PERSIST_ENV));
    assert.ok(persisted.ok && persisted.response.status === 200, persisted.ok ? '' : persisted.message);

    // Give the workbench a moment to flush state and logs, then scan.
    await collectShownTexts(api);
    await sleep(1_500);
    const needles = await allNeedles();
    assert.ok(needles.some((n) => n.label.startsWith('access token')), 'tokens were issued');
    const textHits = scanTexts(session.shownTexts, needles);
    assert.ok(!session.shownTexts.some((t) => t.text.includes(wrongSecret)), 'the wrong secret is never shown');
    const roots = leakScanRoots();
    assert.ok(roots.length > 0, 'nothing to scan: STUDYTEAM_TEST_TEMP_ROOT / USER_DATA_DIR not set');
    const report = scanFiles(roots, needles);
    const hits = reportScan(`leak scan (before reload, ${needles.length} needles)`, report, textHits);
    writeFigures({ leakHits: hits.length, scannedFiles: report.files, scannedBytes: report.bytes, leakScanPhase: 'before-reload' });
    assert.deepEqual(hits.map((h) => `${h.needle} (${h.form}) in ${h.where}`), [], 'leaks found');
  });
});
