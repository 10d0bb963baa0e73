// requests.json format 3 in the real workbench: a version 2 file (a git pull from a teammate with an older
// extension) loads, Run sends its bodies; the first save (a rename in the tree) writes format 3 — JSON as
// JSON, a CRLF text body as lines, ids kept — with a one-time note naming the file whose "What changed"
// opens the README section; Run sends the same bytes afterwards; a second migration shows no second note.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import type { RunResult } from '../../src/tree/runCommands';
import { FORMAT_README_HEADING } from '../../src/tree/formatMigrationNote';
import type { RequestPanelFeature } from '../../src/panel/registerRequestPanel';
import { clickNotificationAction, screenshot, uiDriverAvailable, waitForNotification, webviewClick, webviewEval, webviewFill, webviewPress } from './support/uiDriver';
import { waitUntil } from './support/studyteam';
import { savedRequestsReady } from './support/suiteSetup';

const JSON_BODY = JSON.stringify({ referral: [{ subjectId: '{{subjectId}}', campaignCode: 'VSCODE-TEST', name: [{ given: ['Zoë'], family: 'Ångström' }] }] }, null, 2);
const CRLF_BODY = 'first line\r\nsecond line — ü\r\n';
const NUMBER_PLACEHOLDER_BODY = '{\n  "limit": {{limit}}\n}';
const PANEL_BODY = JSON.stringify({ note: 'Grüße — 日本', items: [1, 2.5, true, null] }, null, 2);

describe('saved requests: file format 3 (migration, note, same bytes sent)', function () {
  this.timeout(60_000);
  let feature: SavedRequestsFeature;
  let panels: RequestPanelFeature;
  let file: string;
  let original: string | undefined;
  let server: http.Server;
  let url: string;
  const received: Buffer[] = [];

  const oldFile = (version: 1 | 2): string => {
    const request = (id: string, name: string, body: string, contentType: string): Record<string, unknown> => ({
      kind: 'request', id, name, method: 'POST', url, auth: 'none', headers: [{ name: 'Content-Type', value: contentType }], body,
    });
    const items = [
      { kind: 'folder', id: 'fld_format', name: 'Format check', children: [
        request('req_json', 'JSON body', JSON_BODY, 'application/json'),
        request('req_crlf', 'CRLF text body', CRLF_BODY, 'text/plain; charset=utf-8'),
        request('req_number', 'Number placeholder', NUMBER_PLACEHOLDER_BODY, 'application/json'),
        request('req_panel', 'Panel body', PANEL_BODY, 'application/json'),
      ] },
    ];
    return `${JSON.stringify({ version, items }, null, 2)}\n`;
  };

  /** Runs the three requests through the Run Saved Request command; returns the bytes that arrived. */
  const runAll = async (): Promise<string[]> => {
    received.length = 0;
    for (const id of ['req_json', 'req_crlf', 'req_number']) {
      const result = await vscode.commands.executeCommand<RunResult>('studyteam.runSavedRequest', id, { show: false, interactive: false, variables: { subjectId: 'SUBJ-9', limit: '25' } });
      assert.equal(result?.status, 200, JSON.stringify(result));
    }
    return received.map((b) => b.toString('base64'));
  };

  before(async () => {
    const ready = await savedRequestsReady();
    feature = ready.feature;
    panels = ready.api.features.requestPanel as RequestPanelFeature;
    file = feature.store.fileUri.fsPath;
    original = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    mkdirSync(dirname(file), { recursive: true });
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
    await feature.formatNote.forget();
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (original === undefined) rmSync(file, { force: true });
    else writeFileSync(file, original);
    await feature.store.reload();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a version 2 file is migrated on the first save: JSON as JSON, lines for the rest, ids kept, the same bytes sent, a note once', async () => {
    writeFileSync(file, oldFile(2));
    await waitUntil('the version 2 file loaded', () => feature.store.state.kind === 'ok' && feature.store.findRequest('req_crlf'));
    const sentBefore = await runAll();
    assert.equal(Buffer.from(sentBefore[1], 'base64').toString('utf8'), CRLF_BODY);
    assert.equal(readFileSync(file, 'utf8'), oldFile(2), 'running changes nothing on disk');

    const migrations: number[] = [];
    const listening = feature.store.onDidMigrateFormat((m) => migrations.push(m.fromVersion));
    try {
      await vscode.commands.executeCommand('studyteam.renameItem', 'req_json', { name: 'JSON body (renamed)' });
      const written = JSON.parse(readFileSync(file, 'utf8')) as { version: number; items: Array<{ id: string; children: Array<Record<string, unknown>> }> };
      assert.equal(written.version, 3);
      const [json, crlf, number] = written.items[0].children;
      assert.deepEqual([written.items[0].id, json.id, crlf.id, number.id], ['fld_format', 'req_json', 'req_crlf', 'req_number'], 'ids never change');
      assert.deepEqual(json.body, JSON.parse(JSON_BODY));
      assert.deepEqual(crlf.bodyLines, ['first line\r', 'second line — ü\r', '']);
      assert.deepEqual(number.bodyLines, ['{', '  "limit": {{limit}}', '}']);
      assert.deepEqual(migrations, [2]);
      assert.equal(feature.store.findRequest('req_json')?.body, JSON_BODY, 'the request as the panel and Run see it is unchanged');

      if (uiDriverAvailable()) {
        const note = await waitForNotification('in file format 3');
        assert.match(note.message, /StudyTeam saved \.studyteam\/requests\.json in file format 3 \(it was format 2\): JSON bodies are now stored as JSON, other bodies as lines/);
        assert.match(note.message, /Older versions of the extension can't read it\./);
        assert.deepEqual(note.actions, ['What changed']);
        await screenshot('requests-format-note.png');
        await clickNotificationAction('in file format 3', 'What changed');
        const editor = await waitUntil('the README open at the format section', () => {
          const active = vscode.window.activeTextEditor;
          return active?.document.uri.path.endsWith('/README.md') ? active : undefined;
        });
        assert.equal(editor.document.lineAt(editor.selection.active.line).text, FORMAT_README_HEADING);
        await screenshot('requests-format-readme.png');
      }
      assert.equal(feature.formatNote.timesShown, 1);

      const sentAfter = await runAll();
      assert.deepEqual(sentAfter, sentBefore, 'byte for byte the same bodies before and after the migration');

      // Another old file later (a teammate's older extension): migrated again, but the note was shown once.
      writeFileSync(file, oldFile(1));
      await waitUntil('the version 1 file loaded', () => feature.store.findRequest('req_json')?.name === 'JSON body');
      await vscode.commands.executeCommand('studyteam.renameItem', 'req_crlf', { name: 'CRLF (renamed)' });
      assert.deepEqual(migrations, [2, 1]);
      assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { version: number }).version, 3);
      assert.equal(feature.formatNote.timesShown, 1, 'one note per workspace');
    } finally {
      listening.dispose();
    }
  });

  it('the panel shows a migrated body as it was, unedited, and Send sends those bytes', async function () {
    if (!uiDriverAvailable()) this.skip();
    await waitUntil('the migrated file loaded', () => feature.store.findRequest('req_panel'));
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { version: number }).version, 3);
    const bodyIn = async (id: string): Promise<string> => {
      await vscode.commands.executeCommand('studyteam.openRequestInPanel', id);
      const info = await waitUntil(`panel of ${id} ready`, () => panels.panels().find((p) => p.savedId === id && p.ready && p.visible), 20_000);
      assert.equal(info.dirty, false, 'opening a migrated request leaves it unedited');
      return webviewEval<string>('#body', 'document.getElementById("body").value', { titleContains: info.title });
    };
    assert.equal(await bodyIn('req_number'), NUMBER_PLACEHOLDER_BODY, 'a lines body with an unquoted placeholder shows as written');
    assert.equal(await bodyIn('req_panel'), PANEL_BODY, 'a JSON body shows in its 2-space layout');
    const info = panels.panels().find((p) => p.savedId === 'req_panel')!;
    received.length = 0;
    await webviewClick('#send', { titleContains: info.title });
    await waitUntil('the panel\'s request arrived', () => received.length === 1 || undefined, 20_000);
    assert.ok(received[0].equals(Buffer.from(PANEL_BODY, 'utf8')), 'byte for byte the saved body');
    await screenshot('requests-format-panel.png');
  });

  it('a body typed in the panel on one line is saved as typed (bodyLines); Format, then Save, stores it as JSON, one field a line', async function () {
    if (!uiDriverAvailable()) this.skip();
    await vscode.commands.executeCommand('studyteam.openRequestInPanel', 'req_panel');
    const info = await waitUntil('the panel of req_panel', () => panels.panels().find((p) => p.savedId === 'req_panel' && p.ready && p.visible), 20_000);
    const target = { titleContains: info.title };
    const storedItem = (): Record<string, unknown> | undefined => {
      if (!existsSync(file)) return undefined; // polled: not written yet (a loaded machine); the waits time out with their own message
      const folder = (JSON.parse(readFileSync(file, 'utf8')) as { items: Array<{ children?: Array<Record<string, unknown>> }> }).items[0];
      return folder.children?.find((c) => c.id === 'req_panel');
    };
    const typed = '{"limit": 10, "note": "typed in the panel"}';
    await webviewFill('#body', typed, target);
    await webviewPress('#url', 'Control+s', target);
    await waitUntil('saved as typed, in bodyLines', () => JSON.stringify(storedItem()?.bodyLines) === JSON.stringify([typed]), 15_000);
    assert.equal(storedItem()?.body, undefined);

    await webviewClick('#format-body', target);
    const formatted = JSON.stringify(JSON.parse(typed), null, 2);
    assert.equal(await webviewEval<string>('#body', 'document.getElementById("body").value', target), formatted, 'Format writes the 2-space layout');
    await webviewPress('#url', 'Control+s', target);
    await waitUntil('saved as JSON after Format', () => storedItem()?.body !== undefined, 15_000);
    assert.deepEqual(storedItem()?.body, { limit: 10, note: 'typed in the panel' });
    assert.equal(storedItem()?.bodyLines, undefined);
    assert.match(readFileSync(file, 'utf8'), /\n( +)"body": \{\n\1 {2}"limit": 10,\n\1 {2}"note": "typed in the panel"\n\1\}/, 'one field a line');
    received.length = 0;
    await webviewClick('#send', target);
    await waitUntil('the panel\'s request arrived', () => received.length === 1 || undefined, 20_000);
    assert.ok(received[0].equals(Buffer.from(formatted, 'utf8')), 'what was saved is what is sent');
  });
});
