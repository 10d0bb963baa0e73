// The main user journey, walked through the real workbench as a new user does it (the UI driver: status bar,
// quick inputs, notifications, webviews), with a screenshot at each step (test-artifacts/tour-*.png): start the
// local sandbox → Switch Environment to it → Add StudyTeam Examples → open "Create referral" in the request panel
// → Send → 202 with its environment and origin → edit the body (● Modified) → Save → Send again → follow the
// Events view from the beginning → the new subject appears → Run Folder on the go-live checklist → its report → the same
// checklist from the Test Explorer.
// It runs after extension.test.ts (activation asked for no token) and leaves the environment as it found it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import { Commands } from '../../src/commandIds';
import { KNOWN_EVENT_TYPES, eventFacts } from '../../src/core/eventFeed';
import type { EventsFeature } from '../../src/events/registerEventsView';
import type { RequestPanelFeature } from '../../src/panel/registerRequestPanel';
import type { StudyTeamTesting } from '../../src/testing/testController';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import { acceptQuickInput, typeInQuickInput, waitForQuickInput } from './support/quickInput';
import { sleep, studyTeamApi, waitUntil } from './support/studyteam';
import { notifications, screenshot, uiDriverAvailable, waitForStatusBar, webviewClick, webviewEval, webviewFill, webviewPress, webviewWaitFor } from './support/uiDriver';

const SANDBOX = 'sandbox';
const SANDBOX_NAME = 'Sandbox (local)';

describe('tour: the main user journey in the real workbench', function () {
  this.timeout(120_000);
  let api: StudyTeamApi;
  let saved: SavedRequestsFeature;
  let panels: RequestPanelFeature;
  let events: EventsFeature;
  let previousEnvironment: string;
  const created: string[] = [];
  const shot = async (name: string): Promise<void> => {
    await sleep(400); // let the workbench paint
    await screenshot(`tour-${name}.png`);
  };
  const errorToasts = async (): Promise<string[]> => (await notifications()).filter((n) => n.severity === 'error').map((n) => n.message);

  before(async function () {
    if (!uiDriverAvailable()) this.skip();
    api = await studyTeamApi();
    saved = api.features.savedRequests as SavedRequestsFeature;
    panels = api.features.requestPanel as RequestPanelFeature;
    events = api.features.events as EventsFeature;
    await saved.ready;
    previousEnvironment = api.environments.active().id;
    await vscode.workspace.getConfiguration('studyteam').update('events.pollSeconds', 5, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    if (!api) return;
    await vscode.commands.executeCommand(Commands.eventsPause);
    for (const id of created) await vscode.commands.executeCommand(Commands.deleteItem, id, { confirm: false });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (api.environments.get(previousEnvironment)) await vscode.commands.executeCommand(Commands.switchEnvironment, previousEnvironment);
    await vscode.workspace.getConfiguration('studyteam').update('events.pollSeconds', undefined, vscode.ConfigurationTarget.Global);
  });

  let createId = '';
  let goLiveId = '';
  let subjectId = '';

  it('1. starts the local sandbox and switches to it from the status bar picker', async () => {
    await vscode.commands.executeCommand(Commands.startSandbox, {});
    assert.ok(api.sandbox.server(SANDBOX), 'the local sandbox runs');
    if (api.environments.active().id === SANDBOX) await vscode.commands.executeCommand(Commands.switchEnvironment, previousEnvironment);
    await vscode.commands.executeCommand('workbench.view.extension.studyteam');
    const picking = vscode.commands.executeCommand(Commands.switchEnvironment);
    const pick = await waitForQuickInput('the environment picker', (s) => s.items.some((i) => i.label.includes(SANDBOX_NAME)));
    assert.equal(pick.placeholder, 'Switch the StudyTeam environment');
    await shot('01-switch-environment');
    await typeInQuickInput('Sandbox (local)');
    await waitForQuickInput('the sandbox focused', (s) => s.items[0]?.label.includes(SANDBOX_NAME) === true);
    await acceptQuickInput();
    await picking;
    assert.equal(api.environments.active().id, SANDBOX);
    const bar = await waitForStatusBar(SANDBOX_NAME);
    assert.doesNotMatch(bar, /PRODUCTION/i);
    await shot('02-on-sandbox');
    assert.deepEqual(await errorToasts(), []);
  });

  it('2. adds the StudyTeam examples and opens "Create referral" in the request panel', async () => {
    const folderId = await vscode.commands.executeCommand<string>(Commands.addExamples);
    created.push(folderId);
    const create = saved.store.allRequests().find((r) => r.folderPath.length > 0 && r.request.name === 'Create referral' && r.folderPath.at(-1) === saved.store.findNode(folderId)?.node.name);
    assert.ok(create, 'the examples hold "Create referral"');
    createId = create.request.id;
    await vscode.commands.executeCommand(Commands.openRequestInPanel, createId);
    await waitUntil('the panel to be ready', () => panels.panels().some((p) => p.savedId === createId && p.ready), 20_000);
    const target = { titleContains: 'Create referral' };
    assert.match(await webviewWaitFor('#saved-state', target), /Saved request/);
    // A POST opens on what it sends: the Body tab, not an empty Query tab.
    assert.equal(await webviewEval<string>('#request-tab-body', 'document.getElementById("request-tab-body").getAttribute("aria-selected")', target), 'true');
    assert.equal(await webviewEval<boolean>('#body', 'document.getElementById("body").offsetParent !== null', target), true);
    await shot('03-create-referral-panel');
  });

  it('3. Send: 202 Accepted, saying which environment and origin it came from', async () => {
    const target = { titleContains: 'Create referral' };
    await webviewClick('#send', target);
    await webviewWaitFor('#status', { ...target, textContains: '202', timeoutMs: 20_000 });
    const origin = new URL(api.environments.get(SANDBOX)!.baseUrl).origin;
    const source = await webviewWaitFor('#response-source', { ...target, textContains: SANDBOX_NAME });
    assert.match(source, new RegExp(`^From ${SANDBOX_NAME.replace(/[()]/g, '\\$&')} \\(${origin.replace(/[.]/g, '\\.')}\\), `));
    await shot('04-sent-202');
    assert.deepEqual(await errorToasts(), []);
  });

  it('4. edits the body (● Modified), saves with Ctrl+S, sends again', async () => {
    const target = { titleContains: 'Create referral' };
    subjectId = `tour-${Date.now()}`;
    const body = await webviewEval<string>('#body', 'document.getElementById("body").value', target);
    assert.match(body, /"subjectId": "\{\{subjectId\}\}"/);
    await webviewFill('#body', body.replace('"{{subjectId}}"', JSON.stringify(subjectId)), target);
    await webviewWaitFor('#saved-state', { ...target, textContains: 'Modified' });
    await waitUntil('the ● in the tab title', () => panels.panels().find((p) => p.savedId === createId)?.title.startsWith('● '));
    await shot('05-body-modified');
    await webviewPress('#body', 'Control+s', target);
    await webviewWaitFor('#saved-state', { ...target, textContains: 'Saved request' });
    assert.ok(saved.store.findRequest(createId)?.body?.includes(subjectId), 'the edit is in requests.json');
    await webviewClick('#send', target);
    await waitUntil('a fresh 202', async () => (await webviewEval<string>('#status', 'document.getElementById("status").textContent', target)).includes('202'), 20_000);
    await shot('06-saved-and-sent');
    assert.deepEqual(await errorToasts(), []);
  });

  it('5. the Events view, followed from the beginning, shows the new subject', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.studyteam');
    await vscode.commands.executeCommand('studyteam.events.focus');
    await vscode.commands.executeCommand(Commands.eventsSetFilter, { eventTypes: [...KNOWN_EVENT_TYPES], trialIds: [], start: { kind: 'beginning' } });
    await waitUntil('the new subject in the Events view', () => events.tree.groups().some((g) => g.subjectId === subjectId), 30_000);
    assert.equal(events.controller().environment.id, SANDBOX);
    assert.equal(events.treeView.description, 'Sandbox', 'the short environment name in the narrow title bar');
    assert.ok(events.controller().events().some((e) => eventFacts(e).subjectId === subjectId));
    await shot('07-events-view');
  });

  it('6. runs the go-live checklist with Run Folder; the report shows every check passing', async () => {
    goLiveId = await vscode.commands.executeCommand<string>(Commands.addGoLiveChecklist);
    created.push(goLiveId);
    const results = await vscode.commands.executeCommand<Array<{ ok: boolean; status?: number }>>(Commands.runFolder, goLiveId, {});
    assert.ok(results && results.length === 4, JSON.stringify(results));
    assert.deepEqual(results.map((r) => r.status), [200, 202, 202, 200]);
    const view = await waitUntil('the run results view', () => api.features.runResults.panels().find((p) => p.folderId === goLiveId && p.ready));
    assert.equal(view.title, 'Run results: Go-live checklist — Sandbox (local)');
    assert.deepEqual(view.run.rows.map((r) => r.passed), [true, true, true, true]);
    if (uiDriverAvailable()) await webviewWaitFor('tr.result-row', { titleContains: 'StudyTeam Run results: Go-live checklist' });
    await shot('08-run-folder-report');
    assert.deepEqual(await errorToasts(), []);
  });

  it('7. runs the same checklist from the Test Explorer: every test passes', async () => {
    const testing = api.features.testing as StudyTeamTesting;
    const folder = await waitUntil('the checklist in the Test Explorer', () => testing.item(goLiveId));
    assert.equal(folder.label, 'Go-live checklist');
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    await testing.runProfile.runHandler(new vscode.TestRunRequest([folder], undefined, testing.runProfile), new vscode.CancellationTokenSource().token);
    const run = testing.lastRun;
    assert.ok(run?.summary, 'the run reported its results');
    assert.deepEqual(run.summary.results.map((r) => r.passed), [true, true, true, true], JSON.stringify(run.messages, null, 1));
    for (const child of folder.children) assert.equal(run.states.get(child[0]), 'passed', child[1].label);
    await shot('09-test-explorer');
    assert.deepEqual(await errorToasts(), []);
  });
});
