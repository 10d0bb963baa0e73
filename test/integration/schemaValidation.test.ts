// Body schemas in the real workbench: VS Code's own JSON editor reports a bad field of a hand-edited
// .studyteam/requests.json (the contributed jsonValidation); Run and Run Folder report a body's schema
// problems (sent anyway) and map the sandbox's 400 errors[].path onto the lines of the sent body; every
// StudyTeam example answers 2xx on the sandbox.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { SavedFolderNode } from '../../src/core/savedRequests';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import type { RunResult } from '../../src/tree/runCommands';
import { waitUntil } from './support/studyteam';
import { savedRequestsReady } from './support/suiteSetup';

describe('schemas: requests.json validation, Run reports, examples on the sandbox', function () {
  this.timeout(90_000);
  let api: StudyTeamApi;
  let feature: SavedRequestsFeature;
  const created: string[] = [];

  before(async () => {
    ({ api, feature } = await savedRequestsReady());
    await vscode.commands.executeCommand('studyteam.startSandbox', {});
  });
  after(async () => {
    for (const id of created) await vscode.commands.executeCommand('studyteam.deleteItem', id, { confirm: false }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a hand-edited .studyteam/requests.json with a bad field gets a diagnostic from VS Code', async () => {
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(workspace, 'a workspace folder');
    // A nested copy (same file name pattern), so the extension's own file and watcher are untouched.
    const dir = join(workspace, 'schema-check', '.studyteam');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'requests.json');
    const text = '{\n  "version": 2,\n  "items": [\n    {\n      "kind": "request",\n      "id": "r1",\n      "name": "Typo",\n      "method": "GET",\n      "url": "/rpi/sites",\n      "auth": "bearer",\n      "bodyy": "{}"\n    }\n  ]\n}\n';
    writeFileSync(path, text);
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
      await vscode.window.showTextDocument(document);
      const diagnostics = await waitUntil(
        'a schema diagnostic for "bodyy"',
        () => {
          const found = vscode.languages.getDiagnostics(document.uri);
          return found.some((d) => d.range.start.line === 10) ? found : undefined;
        },
        30_000,
      );
      const onBadField = diagnostics.find((d) => d.range.start.line === 10)!;
      assert.match(onBadField.message, /not allowed|bodyy/i, onBadField.message);
      // The same file without the typo is clean.
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, document.lineAt(10).range, '      "body": "{}"');
      await vscode.workspace.applyEdit(edit);
      await waitUntil('no diagnostics once fixed', () => (vscode.languages.getDiagnostics(document.uri).length === 0 ? true : undefined), 30_000);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(join(workspace, 'schema-check'), { recursive: true, force: true });
    }
  });

  it('every StudyTeam example answers 2xx on the sandbox, out of the box', async () => {
    const folderId = await vscode.commands.executeCommand<string>('studyteam.addExamples');
    created.push(folderId);
    const folder = feature.store.findNode(folderId)?.node as SavedFolderNode;
    const results = await vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', folderId, { show: false });
    assert.equal(results.length, folder.children.length);
    for (const r of results) {
      assert.ok(r.status !== undefined && r.status >= 200 && r.status < 300, `${r.name}: ${JSON.stringify(r)}`);
      assert.equal(r.schema, undefined, `${r.name} has no schema problems`);
    }
  });

  it('Sandbox: Acknowledge Referral moves a subject and publishes v1.patient.referralAcknowledged', async () => {
    const server = api.sandbox.server('sandbox')!;
    const subject = server.recentSubjects(1)[0]!;
    const before = server.allEvents().length;
    const result = await vscode.commands.executeCommand<{ eventId: string; status: string } | undefined>('studyteam.sandboxAcknowledgeReferral', {
      siteId: subject.siteId,
      subjectId: subject.subjectId,
      status: 'firstVisitScheduled',
    });
    assert.equal(result?.status, 'firstVisitScheduled');
    const last = server.allEvents().at(-1)!;
    assert.equal(server.allEvents().length, before + 1);
    assert.deepEqual([last.id, last.eventType, last.message['referralSubjectId'], last.message['patientStatus']], [result!.eventId, 'v1.patient.referralAcknowledged', subject.subjectId, 'firstVisitScheduled']);
    assert.equal(server.subject(subject.siteId, subject.subjectId)?.reviewed, true);
  });

  it('Run reports schema problems (sent anyway) and the sandbox\'s 400 mapped onto the body lines', async () => {
    const server = api.sandbox.server('sandbox')!;
    const body = '{\n  "referral": [\n    {\n      "subjectId": "SUBJ-SCHEMA-1",\n      "primaryTrial": { "id": "{{trialId}}", "sponsorSiteId": "{{sponsorSiteId}}" },\n      "name": [{ "given": [] }],\n      "telecom": []\n    }\n  ]\n}';
    const folderId = await vscode.commands.executeCommand<string>('studyteam.newFolder', { name: 'Schema problems' });
    created.push(folderId);
    const id = `req_schema_${Date.now()}`;
    const request = { id, name: 'Referral with problems', method: 'POST' as const, url: '/rpi/sites/{{siteId}}/referrals', auth: 'bearer' as const, body };
    await feature.store.upsertRequest({ ...request, headers: [{ name: 'Content-Type', value: 'application/json' }], expect: [{ kind: 'schema', op: 'valid' }] }, folderId);
    const stored = feature.store.findNode(id)?.node;
    assert.ok(stored && stored.kind === 'request' && stored.method === 'POST' && stored.body === body, 'the request was saved with its body');
    server.resetCounters();
    const result = await vscode.commands.executeCommand<RunResult>('studyteam.runSavedRequest', id, { show: false, interactive: false });
    assert.equal(server.counters.apiRequests, 1, 'sent anyway');
    assert.equal(result.status, 400);
    assert.equal(result.schema?.title, 'Create referral v1');
    const schemaCheck = result.checks?.find((c) => /schema/.test(c.label));
    assert.ok(schemaCheck && !schemaCheck.passed && /referral\[0\]\.telecom \(line 7\)/.test(schemaCheck.actual), JSON.stringify(result.checks));
    assert.deepEqual(result.schema?.problems.map((p) => [p.line, p.pathText]), [[6, 'referral[0].name[0].given'], [7, 'referral[0].telecom']]);
    assert.deepEqual(result.serverProblems?.map((p) => [p.line, p.pathText, p.message]), [
      [6, 'referral[0].name[0].given', 'Must not be empty'],
      [7, 'referral[0].telecom', 'Must not be empty'],
    ]);
    const folderRun = await vscode.commands.executeCommand<RunResult[]>('studyteam.runFolder', folderId, { show: false });
    const inFolder = folderRun.find((r) => r.id === id);
    assert.equal(inFolder?.schema?.problems.length, 2, 'Run Folder reports them too');
  });
});
