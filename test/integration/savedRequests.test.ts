// The saved-requests tree in a real VS Code extension host: the file on disk after each tree operation
// (drag and drop through the controller), runs against the local sandbox (bearer header; the microsites
// call without Authorization), the invalid-file guard and the file watcher.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { SavedCollection, SavedFolderNode, SavedNode } from '../../src/core/savedRequests';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import { TREE_MIME } from '../../src/tree/savedRequestsTree';
import type { RunResult } from '../../src/tree/runCommands';
import { clickNotificationAction, screenshot, uiDriverAvailable, waitForNotification, webviewWaitFor } from './support/uiDriver';
import { waitUntil, withConfirmation } from './support/studyteam';
import { savedRequestsReady } from './support/suiteSetup';

describe('saved requests: tree, file, runs', function () {
  this.timeout(60_000);
  let api: StudyTeamApi;
  let feature: SavedRequestsFeature;
  let file: string;
  let examplesId: string;
  const examplesFolder = (): SavedFolderNode => node(examplesId) as SavedFolderNode;

  const readFile = (): SavedCollection => JSON.parse(readFileSync(file, 'utf8')) as SavedCollection;
  const topNames = (): string[] => readFile().items.map((n) => n.name);
  const node = (id: string): SavedNode => {
    const found = feature.store.findNode(id);
    assert.ok(found, `node ${id} exists`);
    return found.node;
  };
  const drop = async (ids: string[], target: SavedNode | undefined): Promise<void> => {
    const transfer = new vscode.DataTransfer();
    transfer.set(TREE_MIME, new vscode.DataTransferItem(ids));
    await feature.dragAndDrop.handleDrop(target, transfer, new vscode.CancellationTokenSource().token);
  };

  before(async () => {
    ({ api, feature } = await savedRequestsReady());
    file = feature.store.fileUri.fsPath;
    if (existsSync(file)) rmSync(file);
    await feature.store.reload();
    assert.equal(feature.store.state.kind, 'ok');
    assert.equal(feature.store.all().length, 0);
  });

  after(async () => {
    await vscode.commands.executeCommand('studyteam.stopSandbox');
  });

  it('stores the file in the workspace: .studyteam/requests.json', () => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace);
    assert.equal(file, join(workspace, '.studyteam', 'requests.json'));
  });

  it('create, rename, duplicate, move by drag and drop, delete — each lands in the file', async () => {
    const folderId = await vscode.commands.executeCommand<string>('studyteam.newFolder', { name: 'Sites' });
    const requestId = await vscode.commands.executeCommand<string>('studyteam.newRequest', { name: 'List sites', url: '/rpi/sites', open: false });
    assert.deepEqual(topNames(), ['Sites', 'List sites']);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.endsWith('}\n') && text.includes('\n  "items": [\n'), '2-space JSON with a trailing newline');
    assert.deepEqual(Object.keys(readFile().items[1]), ['kind', 'id', 'name', 'method', 'url', 'auth']);

    await vscode.commands.executeCommand('studyteam.renameItem', requestId, { name: 'List all sites' });
    assert.deepEqual(topNames(), ['Sites', 'List all sites']);

    const copyId = await vscode.commands.executeCommand<string>('studyteam.duplicateRequest', requestId);
    assert.deepEqual(topNames(), ['Sites', 'List all sites', 'List all sites copy']);
    assert.notEqual(copyId, requestId);

    // Drop the copy onto the folder → into it; drop the original onto the copy → before it, same folder.
    await drop([copyId], node(folderId));
    assert.deepEqual(topNames(), ['Sites', 'List all sites']);
    await drop([requestId], node(copyId));
    const folder = readFile().items[0] as SavedFolderNode;
    assert.deepEqual(folder.children.map((c) => c.id), [requestId, copyId]);
    // Drop on empty space → end of the top level. A folder cannot be dropped into itself.
    await drop([copyId], undefined);
    assert.deepEqual(topNames(), ['Sites', 'List all sites copy']);
    await drop([folderId], node(requestId));
    assert.deepEqual(topNames(), ['Sites', 'List all sites copy'], 'the folder did not move into itself');

    await vscode.commands.executeCommand('studyteam.moveToFolder', copyId, { folderId });
    assert.deepEqual((readFile().items[0] as SavedFolderNode).children.map((c) => c.id), [requestId, copyId]);

    // Without {confirm:false} the user is asked; declining leaves the file alone.
    const before = readFileSync(file, 'utf8');
    const declined = await withConfirmation(api, false, () => vscode.commands.executeCommand<boolean>('studyteam.deleteItem', folderId));
    assert.equal(declined.result, false);
    assert.match(declined.asked.join('\n'), /Delete the folder "Sites" and its 2 request\(s\)\?/);
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.equal(await vscode.commands.executeCommand<boolean>('studyteam.deleteItem', folderId, { confirm: false }), true);
    assert.deepEqual(readFile().items, []);
  });

  it('refuses to save a literal bearer token and leaves the file as it was', async () => {
    const before = readFileSync(file, 'utf8');
    await assert.rejects(
      feature.store.upsertRequest({ id: 'leak', name: 'Leaky', method: 'GET', url: '/rpi/sites', auth: 'none', headers: [{ name: 'Authorization', value: 'Bearer abcdefghijklmnopqrstuvwxyz' }] }),
      /"Leaky" was not saved: header "Authorization" holds a literal credential.*auth mode to "bearer"/,
    );
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('runs a saved example against the sandbox: 200 with the bearer header, status and time in the tree', async () => {
    await vscode.commands.executeCommand('studyteam.startSandbox', {});
    const server = api.sandbox.server();
    assert.ok(server, 'the sandbox is running');
    examplesId = await vscode.commands.executeCommand<string>('studyteam.addExamples');
    const examples = examplesFolder();
    assert.deepEqual(
      examples.children.map((c) => c.name),
      ['List sites', 'Get site', 'Create referral', 'Update referral subject', 'Read events', 'Microsite sites'],
    );
    const listSites = examples.children[0];
    const fileBefore = readFileSync(file, 'utf8');
    const result = await vscode.commands.executeCommand<RunResult>('studyteam.runSavedRequest', listSites.id, { show: false });
    assert.equal(result.status, 200, JSON.stringify(result));
    const sent = server.lastApiRequest;
    assert.ok(sent && sent.path.startsWith('/rpi/sites'));
    assert.match(String(sent.headers.authorization), /^Bearer \S+/);
    const item = feature.tree.getTreeItem(node(listSites.id));
    assert.match(String(item.description), /^200 · \d+ ms/);
    assert.equal(item.contextValue, 'request');
    // Only in memory: the file holds no status.
    assert.equal(readFileSync(file, 'utf8'), fileBefore, 'running writes nothing');
    assert.doesNotMatch(readFileSync(file, 'utf8'), /"status": \d|"durationMs"|"totalMs"/);
  });

  it('the microsites example sends no Authorization header', async () => {
    const examples = examplesFolder();
    const microsite = examples.children.find((c) => c.name === 'Microsite sites')!;
    assert.equal(microsite.kind === 'request' && microsite.auth, 'none');
    const result = await vscode.commands.executeCommand<RunResult>('studyteam.runSavedRequest', microsite.id, {
      show: false,
      variables: { micrositeId: 'hfo3-study', trialId: 'TR-1001' },
    });
    assert.equal(result.status, 200, JSON.stringify(result));
    const sent = api.sandbox.server()!.lastApiRequest!;
    assert.equal(sent.path, '/microsites-api/v1/hfo3-study/sites/TR-1001');
    assert.equal(sent.headers.authorization, undefined);
  });

  it('runs a folder: every request in order, with a summary that lists failures first', async () => {
    // The sandbox environment defines siteId, subjectId, trialId and micrositeId, so all examples run.
    const all = await vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', examplesId, { show: false });
    assert.deepEqual(all.map((r) => [r.name, r.ok]), [
      ['List sites', true],
      ['Get site', true],
      ['Create referral', true],
      ['Update referral subject', true],
      ['Read events', true],
      ['Microsite sites', true],
    ]);
    const mixed = await vscode.commands.executeCommand<string>('studyteam.newFolder', { name: 'Mixed' });
    await vscode.commands.executeCommand('studyteam.newRequest', { parentId: mixed, name: 'Fine', url: '/rpi/sites', open: false });
    await vscode.commands.executeCommand('studyteam.newRequest', { parentId: mixed, name: 'Missing variable', url: '/rpi/sites/{{noSuchVariable}}', open: false });
    await vscode.commands.executeCommand('studyteam.newRequest', { parentId: mixed, name: 'Not found', url: '/no/such/route', open: false });
    const results = await vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', mixed, { show: false });
    assert.deepEqual(results.map((r) => [r.name, r.ok]), [
      ['Missing variable', false],
      ['Not found', false],
      ['Fine', true],
    ]);
    assert.match(results[0].message ?? '', /\{\{noSuchVariable\}\}/);
    assert.equal(results[1].status, 404);
    await vscode.commands.executeCommand('studyteam.deleteItem', mixed, { confirm: false });
  });

  it('runs a folder on the environment it started on, even when the environment is switched mid-run', async () => {
    const first = api.environments.active();
    const server = api.sandbox.server(first.id);
    assert.ok(server, 'the active environment is the sandbox');
    await api.sandbox.start({ id: 'switch-target', name: 'Switch Target', activate: false });
    const other = api.sandbox.server('switch-target')!;
    const folder = await vscode.commands.executeCommand<string>('studyteam.newFolder', { name: 'Switch mid-run' });
    for (const name of ['One', 'Two', 'Three']) {
      await vscode.commands.executeCommand('studyteam.newRequest', { parentId: folder, name, url: '/rpi/sites', open: false });
    }
    const firstBefore = server.counters.apiRequests;
    const otherBefore = other.counters.apiRequests;
    server.faults.apiDelayMs = 300;
    try {
      const running = vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', folder, { show: false });
      await waitUntil('the first request reached the sandbox', () => server.counters.apiRequests > firstBefore || undefined, 10_000);
      await api.environments.setActive('switch-target');
      const results = await running;
      assert.deepEqual(results.map((r) => [r.name, r.status]), [['One', 200], ['Two', 200], ['Three', 200]]);
      assert.equal(server.counters.apiRequests - firstBefore, 3, `all three went to ${first.name}`);
      assert.equal(other.counters.apiRequests - otherBefore, 0, 'none went to the environment switched to');
    } finally {
      server.resetFaults();
      await api.environments.setActive(first.id);
      await api.sandbox.stop('switch-target');
      await vscode.commands.executeCommand('studyteam.deleteItem', folder, { confirm: false });
    }
  });

  it('runs a folder several at a time: one token request, results in folder order, faster than one by one', async () => {
    const env = await api.sandbox.start();
    const server = api.sandbox.server(env.id)!;
    const folder = await vscode.commands.executeCommand<string>('studyteam.newFolder', { name: 'Concurrent' });
    const names = Array.from({ length: 12 }, (_, i) => `Call ${i + 1}`);
    for (const name of names) await vscode.commands.executeCommand('studyteam.newRequest', { parentId: folder, name, url: '/rpi/sites', open: false });
    await vscode.commands.executeCommand('studyteam.clearTokenCache', env.id);
    server.resetCounters();
    server.faults.apiDelayMs = 400;
    try {
      const started = Date.now();
      const results = await vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', folder, { show: false, concurrency: 6 });
      const elapsed = Date.now() - started;
      assert.deepEqual(results.map((r) => r.name), names, 'results keep the folder order');
      assert.ok(results.every((r) => r.ok && r.status === 200));
      assert.equal(server.counters.tokenRequests, 1, 'the concurrent requests share one token request');
      assert.equal(server.counters.apiRequests, 12);
      assert.ok(elapsed < 12 * 400, `6 at a time took ${elapsed} ms; one by one takes at least ${12 * 400} ms`);
    } finally {
      server.resetFaults();
      await vscode.commands.executeCommand('studyteam.deleteItem', folder, { confirm: false });
    }
  });

  it('Run Saved Request and the Run Folder summary say when a body was cut at studyteam.maxResponseSizeMB', async () => {
    const config = vscode.workspace.getConfiguration('studyteam');
    const folder = await vscode.commands.executeCommand<string>('studyteam.newFolder', { name: 'Big' });
    const big = await vscode.commands.executeCommand<string>('studyteam.newRequest', { parentId: folder, name: 'Three MB', url: '/sandbox/big?mb=3', open: false });
    await vscode.commands.executeCommand('studyteam.newRequest', { parentId: folder, name: 'Small', url: '/rpi/sites', open: false });
    await config.update('maxResponseSizeMB', 1, vscode.ConfigurationTarget.Global);
    try {
      const one = await vscode.commands.executeCommand<RunResult>('studyteam.runSavedRequest', big);
      assert.equal(one.status, 200);
      assert.equal(one.truncated, true, 'the result says the body was cut');
      const shown = vscode.window.activeTextEditor?.document;
      assert.ok(shown, 'the response opened');
      assert.match(decodeURIComponent(shown.uri.path), /Three MB — 200 \(\d+ ms, body truncated at 1 MB \(studyteam\.maxResponseSizeMB\)\)/);
      assert.ok(shown.getText().length <= 1024 * 1024 + 16, 'no more than the limit is shown');

      const results = await vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', folder);
      assert.deepEqual(results.map((r) => [r.name, r.truncated === true]), [['Three MB', true], ['Small', false]]);
      // The results view says so on its row and on top; its Markdown export too.
      const view = await waitUntil('the results view of "Big"', () => api.features.runResults.panels().find((p) => p.folderId === folder));
      assert.deepEqual(view.run.rows.map((r) => [r.name, r.status, r.truncated]), [['Three MB', 200, true], ['Small', 200, false]]);
      assert.match(view.markdown, /⚠ 1 response body\(ies\) truncated at 1 MB \(studyteam\.maxResponseSizeMB\)/);
      assert.match(view.markdown, /\| Three MB \| 200 \(body truncated\) \|/);
      if (uiDriverAvailable()) {
        const target = { titleContains: 'StudyTeam Run results: Big' };
        assert.match(await webviewWaitFor('#truncated-note', target), /⚠ 1 response body truncated at 1 MB \(studyteam\.maxResponseSizeMB\): the status is complete, the body is not\./);
        assert.match(await webviewWaitFor('tr.result-row', target), /Three MB.*200 \(body truncated\)/s);
      }
    } finally {
      await config.update('maxResponseSizeMB', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('studyteam.deleteItem', folder, { confirm: false });
    }
  });

  it('copies as curl without asking: the command reads $STUDYTEAM_TOKEN; a live token only when asked for, after a confirmation', async () => {
    const examples = examplesFolder();
    const id = examples.children[0].id;
    await vscode.commands.executeCommand('notifications.clearAll');
    const plain = await withConfirmation(api, true, () => vscode.commands.executeCommand<string>('studyteam.copyAsCurl', id));
    assert.deepEqual(plain.asked, [], 'no question for the default copy');
    assert.match(plain.result, /-H "authorization: Bearer \$STUDYTEAM_TOKEN"/);
    assert.ok(!plain.result.includes('‹redacted›'), 'no placeholder that would break the command');
    assert.equal(await vscode.env.clipboard.readText(), plain.result);
    for (const token of api.sandbox.server()!.issuedTokens) assert.ok(!plain.result.includes(token));
    if (uiDriverAvailable()) {
      // The notification tells how to set the variable, and offers the token.
      const shown = await waitForNotification('STUDYTEAM_TOKEN');
      assert.match(shown.message, /export STUDYTEAM_TOKEN=/);
      assert.deepEqual(shown.actions, ['Copy Access Token']);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await screenshot('copy-as-curl-notification.png');
      // Its action: Copy Access Token (which asks first), then "Copy curl Again" puts the command back.
      const tokenCopy = await withConfirmation(api, true, async () => {
        await clickNotificationAction('STUDYTEAM_TOKEN', 'Copy Access Token');
        return waitForNotification('token is on the clipboard');
      });
      assert.equal(tokenCopy.asked.length, 1, 'Copy Access Token asked first');
      const clipToken = await vscode.env.clipboard.readText();
      assert.ok(api.sandbox.server()!.issuedTokens.includes(clipToken), 'the token is on the clipboard');
      await clickNotificationAction('token is on the clipboard', 'Copy curl Again');
      await waitUntil('the curl command back on the clipboard', async () => (await vscode.env.clipboard.readText()) === plain.result);
      await vscode.commands.executeCommand('notifications.clearAll');
    }

    // With the token: asks; declined → nothing copied.
    await vscode.env.clipboard.writeText('before');
    const declined = await withConfirmation(api, false, () => vscode.commands.executeCommand('studyteam.copyAsCurl', id, { includeToken: true }));
    assert.equal(declined.asked.length, 1);
    assert.match(declined.asked[0]!, /live access token/);
    assert.equal(declined.result, undefined);
    assert.equal(await vscode.env.clipboard.readText(), 'before');
    const accepted = await withConfirmation(api, true, () => vscode.commands.executeCommand('studyteam.copyAsCurl', id, { includeToken: true }));
    assert.equal(accepted.result, true, 'the command never returns the live token to its caller');
    const clip = await vscode.env.clipboard.readText();
    assert.ok(api.sandbox.server()!.issuedTokens.some((token) => clip.includes(`authorization: Bearer ${token}`)), 'the live token is in the copied command');
    await vscode.env.clipboard.writeText('');
  });

  it('exports as .http and Postman, and imports them back', async () => {
    const dir = join(tmpdir(), `studyteam-export-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const httpPath = await vscode.commands.executeCommand<string>('studyteam.exportRequests', { format: 'http', path: join(dir, 'all.http'), show: false });
    assert.match(readFileSync(httpPath, 'utf8'), /^### List sites$/m);
    const postmanPath = await vscode.commands.executeCommand<string>('studyteam.exportRequests', { format: 'postman', path: join(dir, 'all.json'), show: false });
    const imported = await vscode.commands.executeCommand<{ imported: number }>('studyteam.importRequests', { path: postmanPath });
    assert.equal(imported.imported, 6);
    const fromHttp = await vscode.commands.executeCommand<{ imported: number }>('studyteam.importRequests', { path: httpPath });
    assert.equal(fromHttp.imported, 6);
    const fromCurl = await vscode.commands.executeCommand<{ imported: number }>('studyteam.importRequests', {
      kind: 'curl',
      text: `curl -H 'Authorization: Bearer abc.def.ghi' ${api.environments.active().baseUrl}/rpi/sites`,
      name: 'From curl',
    });
    assert.equal(fromCurl.imported, 1);
    const fromCurlNode = feature.store.allRequests().find((r) => r.request.name === 'From curl')!.request;
    assert.deepEqual([fromCurlNode.url, fromCurlNode.auth], ['/rpi/sites', 'bearer']);
    assert.ok(!readFileSync(file, 'utf8').includes('abc.def.ghi'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('an invalid file is reported with line and column and is never overwritten', async () => {
    const corrupt = '{\n  "version": 1,\n  "items": [\n    { "kind": "folder", }\n  ]\n}\n';
    writeFileSync(file, corrupt);
    await waitUntil('the watcher to see the invalid file', () => feature.store.state.kind === 'invalid');
    const state = feature.store.state;
    assert.ok(state.kind === 'invalid');
    assert.deepEqual([state.line, state.column], [4, 25]);
    assert.match(feature.treeView.message ?? '', /line 4, column 25/);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('studyteam.newFolder', { name: 'Nope', throwErrors: true })),
      /line 4, column 25.*left untouched/,
    );
    await vscode.commands.executeCommand('studyteam.addExamples');
    assert.equal(readFileSync(file, 'utf8'), corrupt, 'the invalid file is untouched');
    // A schema error (valid JSON) is refused the same way.
    const wrongSchema = '{ "version": 1, "items": [ { "kind": "request", "id": "x", "name": "X", "method": "FETCH", "url": "/", "auth": "none" } ] }\n';
    writeFileSync(file, wrongSchema);
    await waitUntil('the watcher to see the schema error', () => feature.store.state.kind === 'invalid' && /FETCH/.test(feature.store.describeInvalid()));
    await vscode.commands.executeCommand('studyteam.newFolder', { name: 'Nope' });
    assert.equal(readFileSync(file, 'utf8'), wrongSchema);
  });

  it('reloads on external edits (a git pull)', async () => {
    const pulled = { // a version 1 file (before checks) still loads
      version: 1,
      items: [{ kind: 'request', id: 'req_pulled', name: 'Pulled from git', method: 'GET', url: '/rpi/events', auth: 'bearer' }],
    };
    writeFileSync(file, `${JSON.stringify(pulled, null, 2)}\n`);
    await waitUntil('the watcher to reload', () => feature.store.state.kind === 'ok' && feature.store.findRequest('req_pulled'));
    assert.deepEqual(feature.tree.getChildren().map((n) => n.name), ['Pulled from git']);
    assert.equal(feature.treeView.message, undefined);
    // And saving again works once the file is valid.
    await vscode.commands.executeCommand('studyteam.newFolder', { name: 'After pull' });
    assert.deepEqual(topNames(), ['Pulled from git', 'After pull']);
  });
});
