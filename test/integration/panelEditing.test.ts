// The request panel behaves like an editor (issue 13): unsaved edits are marked (● in the tab title, "Modified",
// Revert), closing with unsaved edits asks Save / Don't Save / Cancel, a new draft's Save asks where it goes, Save As
// makes a copy, and a request deleted from the tree while open turns the panel into an unsaved draft.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { RequestPanelFeature, RequestPanelInfo } from '../../src/panel/registerRequestPanel';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import { sleep, waitUntil, withChoice, withConfirmation } from './support/studyteam';
import { panelNamed, startPanelSandbox } from './support/suiteSetup';
import { pressKey, screenshot, uiDriverAvailable, webviewClick, webviewEval, webviewFill, webviewPress, webviewWaitFor } from './support/uiDriver';

describe('request panel: unsaved edits and saving', function () {
  this.timeout(120_000);
  let api: StudyTeamApi;
  let feature: RequestPanelFeature;
  let tree: SavedRequestsFeature;

  const panelOf = (name: string): RequestPanelInfo | undefined => panelNamed(feature, name);
  const text = (selector: string, name: string): Promise<string> =>
    webviewEval<string>(selector, `document.querySelector(${JSON.stringify(selector)}).textContent`, { titleContains: name });
  const value = (selector: string, name: string): Promise<string> =>
    webviewEval<string>(selector, `document.querySelector(${JSON.stringify(selector)}).value`, { titleContains: name });
  const acceptQuickInput = (): Thenable<unknown> => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

  /** A new panel saved at the top level through the UI (Ctrl+S, then "Top level" in the picker). */
  async function savedPanel(name: string, url: string): Promise<string> {
    feature.openNewRequest({ name, url });
    await waitUntil(`panel "${name}" ready`, () => panelOf(name)?.ready, 20_000);
    await webviewPress('#url', 'Control+s', { titleContains: name });
    const saved = await waitUntil(
      'saved at the top level',
      async () => {
        await acceptQuickInput();
        return panelOf(name)?.savedId;
      },
      15_000,
    );
    await webviewWaitFor('#notice', { titleContains: name, textContains: 'to Top level' });
    return saved;
  }

  before(async () => {
    ({ api, feature } = await startPanelSandbox());
    tree = api.features.savedRequests as SavedRequestsFeature;
  });

  afterEach(async () => {
    await withChoice(api, "Don't Save", () => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('marks unsaved edits like a dirty editor, reverts them, and Ctrl+S saves in place', async function () {
    if (!uiDriverAvailable()) this.skip();
    const name = `E2E dirty ${Date.now()}`;
    const id = await savedPanel(name, '/rpi/sites');
    assert.equal(panelOf(name)?.title, name, 'no marker when saved');
    assert.equal(await text('#saved-state', name), 'Saved request');

    await webviewFill('#url', '/rpi/events', { titleContains: name });
    await waitUntil('dirty', () => panelOf(name)?.dirty);
    assert.equal(panelOf(name)?.title, `● ${name}`);
    assert.match(await text('#saved-state', name), /Modified/);
    assert.equal(await webviewEval<boolean>('#revert', '!document.getElementById("revert").hidden', { titleContains: name }), true);
    await screenshot('request-panel-modified.png');

    await webviewClick('#revert', { titleContains: name });
    await waitUntil('reverted', () => panelOf(name)?.dirty === false);
    assert.equal(await value('#url', name), '/rpi/sites');
    assert.equal(panelOf(name)?.title, name);

    await webviewFill('#url', '/rpi/events?limit=5', { titleContains: name });
    await waitUntil('dirty again', () => panelOf(name)?.dirty);
    await webviewPress('#url', 'Control+s', { titleContains: name });
    await waitUntil('saved in place', () => panelOf(name)?.dirty === false);
    const stored = tree.store.findRequest(id);
    assert.equal(stored?.url, '/rpi/events');
    assert.deepEqual(stored?.query?.map((q) => [q.name, q.value]), [['limit', '5']]);
    assert.equal(panelOf(name)?.savedId, id, 'the same saved request, not a new one');
  });

  it('closing with unsaved edits asks: Cancel reopens them, Don\'t Save drops them, Save keeps them', async function () {
    if (!uiDriverAvailable()) this.skip();
    const name = `E2E close ${Date.now()}`;
    const id = await savedPanel(name, '/rpi/sites');
    await webviewFill('#url', '/rpi/sites?edited=1', { titleContains: name });
    await waitUntil('dirty', () => panelOf(name)?.dirty);

    const cancelled = await withChoice(api, undefined, async () => {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      return waitUntil('reopened with the edits', () => feature.panels().find((p) => p.savedId === id && p.ready && p.dirty), 20_000);
    });
    assert.equal(cancelled.asked.length, 1);
    assert.match(cancelled.asked[0] ?? '', new RegExp(`save the changes you made to "${name}"`));
    assert.match(cancelled.asked[0] ?? '', /\[Save\|Don't Save\]/);
    assert.equal(await value('#url', name), '/rpi/sites?edited=1', 'the edits came back');
    assert.equal(tree.store.findRequest(id)?.url, '/rpi/sites');

    const dropped = await withChoice(api, "Don't Save", async () => {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitUntil('closed', () => !feature.panels().some((p) => p.savedId === id));
      await sleep(300);
      return feature.panels().some((p) => p.savedId === id);
    });
    assert.equal(dropped.result, false, 'not reopened');
    assert.equal(tree.store.findRequest(id)?.query, undefined, 'nothing saved');

    await vscode.commands.executeCommand('studyteam.openRequestInPanel', id);
    await waitUntil('open again', () => feature.panels().find((p) => p.savedId === id && p.ready), 20_000);
    assert.equal(panelOf(name)?.dirty, false);
    await webviewFill('#url', '/rpi/sites?kept=1', { titleContains: name });
    await waitUntil('dirty', () => panelOf(name)?.dirty);
    await withChoice(api, 'Save', async () => {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitUntil('saved on close', () => tree.store.findRequest(id)?.query?.some((q) => q.name === 'kept'));
    });
    assert.equal(feature.panels().some((p) => p.savedId === id), false);
  });

  it('Save of a new draft asks where (a new folder here); Save As makes a copy the panel then edits', async function () {
    if (!uiDriverAvailable()) this.skip();
    const name = `E2E where ${Date.now()}`;
    const folder = `E2Efolder${Date.now()}`;
    feature.openNewRequest({ name, url: '/rpi/sites' });
    await waitUntil('ready', () => panelOf(name)?.ready, 20_000);
    await webviewClick('#save', { titleContains: name });
    // The picker: Top level, the folders, New folder… (last: Up from the first item). Choose it and name the folder.
    await sleep(1_000);
    await pressKey('ArrowUp');
    await pressKey('Enter');
    await sleep(800);
    for (const ch of folder) await pressKey(ch);
    await pressKey('Enter');
    const id = await waitUntil('saved', () => panelOf(name)?.savedId, 15_000);
    const location = tree.store.findNode(id);
    assert.equal(location?.parent?.name, folder, `saved into the new folder (parent: ${location?.parent?.name})`);

    // Save As: a copy with a new name at the top level; the original stays as it was.
    await webviewClick('#save-as', { titleContains: name });
    await sleep(1_000);
    await pressKey('Enter'); // the proposed name: "… (copy)"
    const copyName = `${name} (copy)`;
    const copyId = await waitUntil(
      'copy saved',
      async () => {
        await acceptQuickInput(); // Top level
        const p = feature.panels().find((x) => x.draft.name === copyName);
        return p?.savedId;
      },
      15_000,
    );
    assert.notEqual(copyId, id);
    assert.equal(tree.store.findRequest(id)?.name, name, 'the original is unchanged');
    assert.equal(tree.store.findRequest(copyId)?.name, copyName);
    assert.equal(tree.store.findNode(copyId)?.parent, undefined, 'the copy is at the top level');
  });

  it('a request deleted from the tree while open becomes an unsaved draft: Ctrl+S asks where instead of re-creating it', async function () {
    if (!uiDriverAvailable()) this.skip();
    const name = `E2E deleted ${Date.now()}`;
    const id = await savedPanel(name, '/rpi/sites?deleted=1');
    await withConfirmation(api, true, () => vscode.commands.executeCommand('studyteam.deleteItem', id));
    await waitUntil('panel is a draft', () => panelOf(name) && panelOf(name)?.savedId === undefined);
    await webviewWaitFor('#notice', { titleContains: name, textContains: 'was deleted from Saved Requests' });
    assert.equal(await text('#saved-state', name), 'Not saved');
    assert.equal(await value('#url', name), '/rpi/sites?deleted=1', 'the draft is kept');
    assert.equal(panelOf(name)?.dirty, true, 'unsaved work');

    await webviewPress('#url', 'Control+s', { titleContains: name });
    await sleep(1_000);
    assert.equal(tree.store.findRequest(id), undefined, 'not re-created silently');
    assert.equal(
      tree.store.allRequests().some(({ request }) => request.name === name),
      false,
      'nothing saved before a place is chosen',
    );
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await webviewWaitFor('#notice', { titleContains: name, textContains: 'Not saved' });
  });
});
