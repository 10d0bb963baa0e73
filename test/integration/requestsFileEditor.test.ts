// .studyteam/requests.json hand-edited in VS Code's own JSON editor (the contributed jsonValidation schema): the body
// schema offers completion and hover docs inside a saved referral body; a user types a wrong value into a saved referral body → VS Code's JSON language features show the body schema's problem
// at that line ({{variables}} in the same body are not flagged); they type the fix and save → the Requests tree
// reloads the request and Run sends the fixed body to the sandbox.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import type { RunResult } from '../../src/tree/runCommands';
import { waitUntil } from './support/studyteam';
import { savedRequestsReady } from './support/suiteSetup';
import { pressKey, screenshot, uiCommand, uiDriverAvailable } from './support/uiDriver';

describe('requests.json in the JSON editor: body schema problems while typing, fix, save, Run', function () {
  this.timeout(120_000);
  let api: StudyTeamApi;
  let feature: SavedRequestsFeature;
  const created: string[] = [];

  before(async function () {
    if (!uiDriverAvailable()) this.skip();
    ({ api, feature } = await savedRequestsReady());
    await vscode.commands.executeCommand('studyteam.startSandbox', {});
  });
  after(async () => {
    for (const id of created) await vscode.commands.executeCommand('studyteam.deleteItem', id, { confirm: false }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  /** Selects `value` (the text between the quotes) on line `line` of the active editor, as a double-click does, and types `text` over it. */
  async function typeOver(editor: vscode.TextEditor, line: number, value: string, text: string): Promise<void> {
    const start = editor.document.lineAt(line).text.indexOf(`"${value}"`) + 1;
    assert.ok(start > 0, `line ${line + 1} holds "${value}": ${editor.document.lineAt(line).text}`);
    editor.selection = new vscode.Selection(line, start, line, start + value.length);
    editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await uiCommand({ op: 'typeText', text });
    await waitUntil(`line ${line + 1} reads "${text}"`, () => editor.document.lineAt(line).text.includes(`"${text}"`), 10_000);
    await pressKey('Escape'); // the suggestion list JSON opens inside strings
  }

  it('a wrong enum value typed into a saved referral body is a problem at its line; the fix, saved, is what Run sends', async () => {
    const server = api.sandbox.server('sandbox')!;
    const subjectId = `SUBJ-H15-${Date.now()}`;
    const body = {
      referral: [
        {
          subjectId,
          primaryTrial: { id: '{{trialId}}', sponsorSiteId: '{{sponsorSiteId}}' },
          birthDate: '1980-04-12',
          sex: 'female',
          name: [{ use: 'official', given: ['Jo'], family: 'Schema' }],
          telecom: [{ system: 'email', value: 'jo.schema@example.com', use: 'home', rank: 1 }],
        },
      ],
    };
    const folderId = await vscode.commands.executeCommand<string>('studyteam.newFolder', { name: 'Hand-edited bodies' });
    created.push(folderId);
    const id = `req_hand_${Date.now()}`;
    await feature.store.upsertRequest(
      { id, name: 'Referral edited by hand', method: 'POST', url: '/rpi/sites/{{siteId}}/referrals', auth: 'bearer', headers: [{ name: 'Content-Type', value: 'application/json' }], body: JSON.stringify(body, null, 2) },
      folderId,
    );

    // The file holds the body as JSON (format 3): open it like a user (Explorer / Quick Open), find the request.
    const document = await vscode.workspace.openTextDocument(feature.store.fileUri);
    const editor = await vscode.window.showTextDocument(document);
    const text = document.getText();
    assert.equal(JSON.parse(text).version, 3);
    const requestAt = text.indexOf(`"id": "${id}"`);
    const subjectAt = text.indexOf(`"subjectId": "${subjectId}"`, requestAt);
    assert.ok(requestAt > 0 && subjectAt > requestAt, 'the request and its JSON body are in the file');
    const sexLine = document.positionAt(text.indexOf('"sex": "female"', subjectAt)).line;
    const requestLines = { first: document.positionAt(requestAt).line, last: document.positionAt(text.indexOf('"telecom"', subjectAt)).line + 10 };
    const inRequest = (d: vscode.Diagnostic): boolean => d.range.start.line >= requestLines.first && d.range.start.line <= requestLines.last;

    // Completion and hover docs come from the body schema too (through its placeholder-tolerant wrapping).
    const sexValue = new vscode.Position(sexLine, document.lineAt(sexLine).text.indexOf('"female"') + 1);
    // (The JSON language server starts with the first JSON document: until then only word completions come.)
    let labels: string[] = [];
    await waitUntil(
      'the schema\'s values offered for "sex"',
      async () => {
        const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, sexValue);
        labels = completions.items.filter((c) => c.kind !== vscode.CompletionItemKind.Text).map((c) => (typeof c.label === 'string' ? c.label : c.label.label).replace(/"/g, ''));
        return ['male', 'female', 'intersex'].every((v) => labels.includes(v));
      },
      30_000,
    ).catch((error: Error) => assert.fail(`${error.message}; offered: ${JSON.stringify(labels)}`));
    const subjectKey = document.positionAt(subjectAt + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, subjectKey);
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(hoverText, /unique id of the subject/, hoverText);

    await typeOver(editor, sexLine, 'female', 'mail');
    assert.equal(document.isDirty, true);
    const problem = await waitUntil(
      'VS Code\'s schema problem on the "sex" line',
      () => vscode.languages.getDiagnostics(document.uri).find((d) => d.range.start.line === sexLine),
      30_000,
    );
    assert.match(problem.message, /not accepted.*"male".*"female".*"intersex"/, problem.message);
    assert.equal(document.getText(problem.range), '"mail"');
    // Only that: the {{trialId}} / {{sponsorSiteId}} placeholders and the rest of the body are fine.
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri).filter(inRequest).map((d) => `${d.range.start.line}: ${d.message}`), [`${sexLine}: ${problem.message}`]);

    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await waitUntil('the Problems panel lists it', () => uiCommand({ op: 'eval', script: `!![...document.querySelectorAll('.markers-panel .monaco-list-row')].find((r) => r.textContent.includes('Value is not accepted'))` }).then((r) => r.value === true), 10_000);
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await screenshot('requests-json-schema-problem.png');

    // The fix, typed the same way, then saved with Ctrl+S: the problem goes, the tree reloads the request.
    await typeOver(editor, sexLine, 'mail', 'male');
    await waitUntil('no problem on the "sex" line', () => !vscode.languages.getDiagnostics(document.uri).some((d) => d.range.start.line === sexLine), 30_000);
    await pressKey('Control+s');
    await waitUntil('the document saved', () => !document.isDirty, 10_000);
    const reloaded = await waitUntil(
      'the Requests tree reloaded the fixed body',
      () => {
        const node = feature.store.findNode(id)?.node;
        return node?.kind === 'request' && node.body?.includes('"sex": "male"') ? node : undefined;
      },
      15_000,
    );
    assert.equal(reloaded.body, JSON.stringify({ referral: [{ ...body.referral[0], sex: 'male' }] }, null, 2));

    server.resetCounters();
    const result = await vscode.commands.executeCommand<RunResult>('studyteam.runSavedRequest', id, { show: false, interactive: false });
    assert.equal(result.status, 202, JSON.stringify(result));
    assert.equal(result.schema, undefined, 'no schema problems in the fixed body');
    assert.equal(server.counters.apiRequests, 1);
    assert.match(`${server.lastApiRequest?.method} ${server.lastApiRequest?.path}`, /^POST \/rpi\/sites\/[^/]+\/referrals$/);
    const sent = JSON.parse(server.receivedBodies.at(-1)!) as typeof body;
    assert.equal(sent.referral[0]!.subjectId, subjectId);
    assert.equal(sent.referral[0]!.sex, 'male');
    assert.ok(!JSON.stringify(sent).includes('{{'), 'variables were filled in');
  });
});
