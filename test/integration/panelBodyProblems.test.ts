// The request panel checks a body against its endpoint's schema as you type: an invalid referral typed into the
// real webview lists its problems with JSON path and line, a click puts the cursor on the line, Send asks once
// ("Send Anyway"), and the sandbox's 400 errors[].path come back mapped onto the lines of the body that was sent.
// Also the README picture of that.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { RequestPanelFeature, RequestPanelInfo } from '../../src/panel/registerRequestPanel';
import { sleep, waitUntil } from './support/studyteam';
import { startPanelSandbox } from './support/suiteSetup';
import { screenshot, uiDriverAvailable, webviewClick, webviewEval, webviewFill, webviewWaitFor } from './support/uiDriver';

const INVALID_REFERRAL = `{
  "referral": [
    {
      "subjectId": "SUBJ-PANEL-1",
      "primaryTrial": { "id": "{{trialId}}", "sponsorSiteId": "{{sponsorSiteId}}" },
      "name": [{ "use": "official", "given": [], "family": "Testpatient" }],
      "telecom": [{ "system": "email", "value": "not-an-email" }],
      "birthDate": "1980-04-12"
    }
  ]
}`;

describe('request panel: body problems', function () {
  this.timeout(90_000);
  let api: StudyTeamApi;
  let feature: RequestPanelFeature;

  before(async () => {
    ({ api, feature } = await startPanelSandbox());
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const rows = (list: 'schema' | 'server', target: { titleContains: string }): Promise<string[]> =>
    webviewEval<string[]>(
      `#${list}-problems`,
      `[...document.querySelectorAll("#${list}-problems .problem-row")].map((b) => b.dataset.line + " " + b.dataset.path + " " + b.textContent.split(" — ").slice(1).join(" — "))`,
      target,
    );

  it('lists schema problems as you type, jumps to them, asks once, and maps the 400 onto the sent body', async function () {
    if (!uiDriverAvailable()) this.skip();
    const server = api.sandbox.server('sandbox')!;
    const name = 'Create referral (problems)';
    feature.openNewRequest({ name, method: 'POST', url: '/rpi/sites/{{siteId}}/referrals' });
    await waitUntil('panel ready', () => feature.panels().find((p: RequestPanelInfo) => p.draft.name === name && p.ready), 20_000);
    const target = { titleContains: name };
    await webviewClick('#request-tab-body', target);
    await webviewFill('#body', INVALID_REFERRAL, target);

    // As you type (debounced): the schema problems with their lines.
    const title = await webviewWaitFor('#schema-problems', { ...target, textContains: 'Create referral v1' });
    assert.match(title, /2 problems/);
    assert.deepEqual(await rows('schema', target), [
      '6 referral[0].name[0].given Must not be empty',
      '7 referral[0].telecom[0].value The value must be a valid email address',
    ]);

    // A click puts the cursor on the value.
    await webviewClick('#schema-problem-1', target);
    const caret = await webviewEval<{ id: string; start: number }>('#body', '({ id: document.activeElement.id, start: document.getElementById("body").selectionStart })', target);
    assert.equal(caret.id, 'body');
    assert.equal(INVALID_REFERRAL.slice(0, caret.start).split('\n').length, 7, 'the cursor is on line 7');
    assert.ok(INVALID_REFERRAL.slice(caret.start).startsWith('"not-an-email"'), `the cursor is at the value: ${INVALID_REFERRAL.slice(caret.start, caret.start + 20)}`);

    // Send asks once; nothing goes out before the answer.
    server.resetCounters();
    await webviewClick('#send', target);
    await webviewWaitFor('#send-anyway', target);
    const notice = await webviewEval<string>('#notice', 'document.getElementById("notice").textContent', target);
    assert.match(notice, /2 problems against Create referral v1 \(line 6 · referral\[0\]\.name\[0\]\.given: Must not be empty/);
    await sleep(300);
    assert.equal(server.counters.apiRequests, 0, 'nothing sent before the answer');
    await webviewClick('#send-anyway', target);
    await webviewWaitFor('#status', { ...target, textContains: '400' });
    assert.equal(server.counters.apiRequests, 1, 'sent anyway');

    // The sandbox's 400 errors[].path mapped onto the lines of the body as sent.
    await webviewWaitFor('#server-problems', { ...target, textContains: 'The server answered 400' });
    assert.deepEqual(await rows('server', target), [
      '6 referral[0].name[0].given Must not be empty',
      '7 referral[0].telecom[0].value The value must be a valid email address',
    ]);
    await vscode.commands.executeCommand('notifications.clearAll');
    await sleep(300);
    await screenshot('readme-body-problems.png');

    // Fixing the body clears the schema list; the server's list stays, marked as about the body as sent.
    const fixed = INVALID_REFERRAL.replace('"given": []', '"given": ["Ada"]').replace('not-an-email', 'ada@example.com');
    await webviewFill('#body', fixed, target);
    await waitUntil('no schema problems', async () => (await webviewEval<boolean>('#body-problems', '!document.getElementById("schema-problems")', target)) || undefined, 10_000);
    assert.match(await webviewWaitFor('#server-problems', target), /edited since/);
    await webviewClick('#send', target);
    await webviewWaitFor('#status', { ...target, textContains: '202' });
    await waitUntil('the server list cleared', async () => (await webviewEval<boolean>('#body-problems', '!document.getElementById("server-problems")', target)) || undefined, 10_000);
  });
});
