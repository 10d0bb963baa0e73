// Import that runs, export that travels: a user imports an ordinary REST Client file (written for staging,
// with file variables, system variables, no Authorization headers and a $processEnv token), clicks
// "Run Imported Folder" in the toast, and every request succeeds against the local sandbox. Then exports to
// Postman: {{baseUrl}} URLs, no temporary sandbox URL in the collection, an environment file with the
// environment's non-secret variables, and a toast that offers Reveal / Open.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { SavedFolderNode, SavedNode } from '../../src/core/savedRequests';
import type { ImportResult } from '../../src/tree/importExportCommands';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import type { RunResult } from '../../src/tree/runCommands';
import { waitUntil } from './support/studyteam';
import { savedRequestsReady } from './support/suiteSetup';
import { clickNotificationAction, uiDriverAvailable, waitForNotification } from './support/uiDriver';

/** What a REST Client user has in their repository (ids taken from the running sandbox). */
function restClientFile(siteId: string, trialId: string, sponsorSiteId: string, micrositeId: string): string {
  return `# StudyTeam calls, written for the REST Client extension.
@host = https://staging.api.studyteamapp.com
@token = {{$processEnv STUDYTEAM_TOKEN}}
@siteId = ${siteId}
@trialId = ${trialId}
@sponsorSiteId = ${sponsorSiteId}
@micrositeId = ${micrositeId}
@json = application/json

### List sites
GET {{host}}/rpi/sites
Accept: {{json}}

### Create referral
# @name createReferral
POST {{host}}/rpi/sites/{{siteId}}/referrals
Content-Type: {{json}}
X-Request-Id: {{$guid}}

{
  "referral": [
    {
      "subjectId": "rc-{{$randomInt 1 1000}}",
      "subjectCreatedAt": "{{$datetime iso8601}}",
      "primaryTrial": { "id": "{{trialId}}", "sponsorSiteId": "{{sponsorSiteId}}" },
      "consent": {
        "verification": { "verificationDate": "{{$datetime iso8601}}", "verified": true, "verifiedWith": { "name": "self", "relationship": "ONESELF" } },
        "text": "Agrees to site contact."
      },
      "birthDate": "1980-04-12",
      "sex": "female",
      "name": [{ "use": "official", "given": ["Jane"], "family": "Testpatient" }],
      "telecom": [{ "system": "email", "value": "jane.testpatient@example.com", "use": "home", "rank": 1 }],
      "encounter": [{ "source": "web", "response": { "item": [{ "linkId": "1", "text": "Diagnosed?", "answer": [{ "valueString": "Yes" }] }] } }]
    }
  ]
}

### Read events
# @name readEvents
GET {{host}}/rpi/events
    ?eventTypes=v1.patient.created
    &since={{$datetime iso8601 -7 d}}
    &limit=10
Authorization: Bearer {{token}}

### Study website sites
GET {{host}}/microsites-api/v1/{{micrositeId}}/sites/{{trialId}}
Origin: https://example.com
`;
}

describe('import and export: an imported REST Client file runs', function () {
  this.timeout(60_000);
  let api: StudyTeamApi;
  let feature: SavedRequestsFeature;
  let dir: string;

  before(async () => {
    ({ api, feature } = await savedRequestsReady());
    await vscode.commands.executeCommand('studyteam.startSandbox', {});
    assert.equal(api.environments.active().id, 'sandbox');
    dir = mkdtempSync(join(tmpdir(), 'studyteam-import-'));
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await vscode.commands.executeCommand('studyteam.stopSandbox');
  });

  it('imports into a folder named after the file, lists its changes, and "Run Imported Folder" succeeds for every request', async () => {
    const server = api.sandbox.server()!;
    const site = server.data.sites.find((s) => s.trials.length > 0)!;
    const siteTrial = site.trials[0]!;
    const trial = server.data.trials.find((t) => t.id === siteTrial.id)!;
    const path = join(dir, 'studyteam-calls.http');
    writeFileSync(path, restClientFile(site.id, trial.id, siteTrial.sponsorSiteId, trial.micrositeId));

    const result = await vscode.commands.executeCommand<ImportResult>('studyteam.importRequests', { path, throwErrors: true });
    assert.equal(result.imported, 4);
    assert.ok(result.folderId);
    const folder = feature.store.findNode(result.folderId)!.node as SavedFolderNode;
    assert.equal(folder.name, 'studyteam-calls');
    assert.deepEqual(
      folder.children.map((c) => c.kind === 'request' && [c.name, c.auth, c.url]),
      [
        ['List sites', 'bearer', '/rpi/sites'],
        ['Create referral', 'bearer', `/rpi/sites/${site.id}/referrals`],
        ['Read events', 'bearer', '/rpi/events'],
        ['Study website sites', 'none', `/microsites-api/v1/${trial.micrositeId}/sites/${trial.id}`],
      ],
    );
    assert.ok(result.changes.some((c) => /resolved into the requests at import/.test(c) && c.includes('@siteId') && c.includes('@json')), JSON.stringify(result.changes));
    assert.ok(result.changes.some((c) => /auth bearer/.test(c) && c.includes('"List sites"')), JSON.stringify(result.changes));
    assert.ok(result.warnings.some((w) => w.includes('@token')), 'the $processEnv token is left out and said so');
    // The body's inline objects are laid out in 2 spaces (the same JSON), so the file stores it as JSON, one field a line.
    assert.ok(result.changes.some((c) => /JSON body laid out in 2 spaces/.test(c) && c.includes('"Create referral"')), JSON.stringify(result.changes));
    const stored = (JSON.parse(readFileSync(feature.store.fileUri.fsPath, 'utf8')) as { items: Array<{ id: string; children?: Array<Record<string, unknown>> }> })
      .items.find((i) => i.id === result.folderId)!.children!.find((c) => c.name === 'Create referral')!;
    assert.equal(stored.bodyLines, undefined);
    assert.match(JSON.stringify(stored.body), /^\{"referral":\[\{"subjectId":"rc-\{\{\$randomInt 1 1000\}\}"/);
    assert.match(readFileSync(feature.store.fileUri.fsPath, 'utf8'), /\n( +)"primaryTrial": \{\n\1  "id": "[^"]+",\n\1  "sponsorSiteId": "[^"]+"\n\1\},\n/);

    if (uiDriverAvailable()) {
      // What the user does: reads the toast and clicks "Run Imported Folder"; the run summary opens.
      const toast = await waitForNotification('Imported 4 requests from studyteam-calls.http into the folder "studyteam-calls"');
      assert.match(toast.message, /changes?/);
      const before = server.receivedBodies.length;
      await clickNotificationAction('Imported 4 requests from studyteam-calls.http', 'Run Imported Folder');
      // The tree shows each row's last run ("202 · 12 ms — POST …"), as the user sees it.
      const statusOf = (node: SavedNode): number | undefined => {
        const description = feature.tree.getTreeItem(node).description;
        const m = typeof description === 'string' ? /^(\d{3}) · /.exec(description) : null;
        return m ? Number(m[1]) : undefined;
      };
      await waitUntil('the run to reach every request', () => folder.children.every((c) => statusOf(c) !== undefined), 20_000);
      for (const child of folder.children) assert.ok(statusOf(child)! < 400, `"${child.name}" succeeded: ${String(feature.tree.getTreeItem(child).description)}`);
      assert.equal(server.receivedBodies.length, before + 1, 'the referral body reached the sandbox');
    } else console.log('    (no UI driver: the toast button is not clicked; the folder is run by command)');

    // Run the folder again as a command to see every status; system variables get values at send time.
    const results = await vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', result.folderId, { show: false });
    assert.deepEqual(results.map((r) => [r.name, r.ok]), folder.children.map((c) => [c.name, true]), JSON.stringify(results));
    const body = JSON.parse(server.receivedBodies[server.receivedBodies.length - 1]!) as { referral: Array<{ subjectId: string; subjectCreatedAt: string }> };
    assert.match(body.referral[0]!.subjectId, /^rc-\d{1,3}$/);
    assert.ok(!Number.isNaN(Date.parse(body.referral[0]!.subjectCreatedAt)));
  });

  it('exports to Postman with {{baseUrl}}, no sandbox URL in the collection, and an environment file; the toast offers Reveal / Open', async () => {
    const baseUrl = api.environments.active().baseUrl;
    const target = join(dir, 'calls.postman_collection.json');
    const folderId = feature.store.all().find((n) => n.name === 'studyteam-calls')!.id;
    const written = await vscode.commands.executeCommand<string>('studyteam.exportRequests', folderId, { format: 'postman', path: target, throwErrors: true });
    assert.equal(written, target);
    const collection = readFileSync(target, 'utf8');
    assert.ok(!collection.includes(baseUrl), 'the temporary sandbox URL is not in the collection');
    assert.match(collection, /"raw": "\{\{baseUrl\}\}\/rpi\/sites"/);
    const envFile = readdirSync(dir).find((f) => f.endsWith('.postman_environment.json'));
    assert.ok(envFile, 'an environment file next to the collection');
    const environment = JSON.parse(readFileSync(join(dir, envFile), 'utf8')) as { name: string; values: Array<{ key: string; value: string; type: string }> };
    assert.equal(environment.name, api.environments.active().name);
    assert.deepEqual(environment.values.find((v) => v.key === 'baseUrl')?.value, baseUrl);
    assert.deepEqual(environment.values.find((v) => v.key === 'token'), { key: 'token', value: '', type: 'secret', enabled: true });
    const secret = api.sandbox.server()!.clients[0]!.clientSecret;
    assert.ok(!collection.includes(secret) && !readFileSync(join(dir, envFile), 'utf8').includes(secret));
    if (uiDriverAvailable()) {
      const toast = await waitForNotification('Exported 4 requests to');
      assert.deepEqual(toast.actions, ['Reveal', 'Open']);
      await clickNotificationAction('Exported 4 requests to', 'Open');
      await waitUntil('the exported collection to open', () => vscode.window.activeTextEditor?.document.uri.fsPath === target);
    }
    // A second export replaces its own environment file and never someone else's.
    writeFileSync(join(dir, 'unrelated.json'), '{}');
    await vscode.commands.executeCommand('studyteam.exportRequests', folderId, { format: 'postman', path: target, show: false, throwErrors: true });
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.postman_environment.json')).length, 1);
    assert.ok(existsSync(join(dir, 'unrelated.json')));
  });
});
