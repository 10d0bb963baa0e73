// Preview tabs for requests opened from the Requests tree, done as a user does it: mouse clicks on the tree rows in
// the real workbench. A click opens a preview panel that the next click replaces; a double click, an edit, Ctrl+S
// or Keep Open make it stay; unsaved edits are never replaced; workbench.editor.enablePreview = false opens every
// request in a panel that stays.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { RequestPanelFeature, RequestPanelInfo } from '../../src/panel/registerRequestPanel';
import type { SavedRequestsFeature } from '../../src/tree/registerSavedRequests';
import { sleep, waitUntil } from './support/studyteam';
import { startPanelSandbox } from './support/suiteSetup';
import { screenshot, uiDriverAvailable, webviewEval, webviewFill, webviewWaitFor, workbenchClick, workbenchEval } from './support/uiDriver';

const NAMES = ['PreviewAlpha', 'PreviewBravo', 'PreviewCharlie', 'PreviewDelta'] as const;
type Name = (typeof NAMES)[number];

describe('request panel: preview tabs from the Requests tree', function () {
  this.timeout(120_000);
  let api: StudyTeamApi;
  let panels: RequestPanelFeature;
  let saved: SavedRequestsFeature;
  let folderId: string;
  const ids = new Map<Name, string>();

  /** The editor tabs' labels, left to right. */
  const tabLabels = (): Promise<string[]> =>
    workbenchEval<string[]>(`[...document.querySelectorAll('.editor-group-container .tabs-container .tab .tab-label')].map((t) => t.textContent.trim())`);

  /** Where the workbench's keyboard focus is: a list (the tree), a webview, or elsewhere. */
  const focusIn = (): Promise<string> =>
    workbenchEval<string>(`(() => { const a = document.activeElement; return !a ? 'none' : a.tagName === 'IFRAME' || a.closest('.webview') ? 'webview' : a.closest('.monaco-list') ? 'tree' : a.tagName + '.' + a.className; })()`);

  const panelOf = (name: Name): RequestPanelInfo | undefined => panels.panels().find((p) => p.savedId === ids.get(name));

  /** Clicks (or double-clicks) the request's row in the tree, as the user does. */
  async function clickRow(name: Name, clickCount: 1 | 2 = 1): Promise<void> {
    const node = saved.store.findNode(ids.get(name)!)!.node;
    await saved.treeView.reveal(node, { select: false, focus: false });
    await workbenchClick(`.monaco-list-row:has-text("${name}")`, clickCount);
  }

  /** Waits until the open panels are exactly these (saved request, preview?), in any order. */
  async function expectPanels(what: string, expected: Array<[Name, boolean]>): Promise<void> {
    const want = expected.map(([n, preview]) => `${n}${preview ? ' (preview)' : ''}`).sort();
    await waitUntil(
      what,
      () => {
        const have = panels
          .panels()
          .map((p) => `${[...ids].find(([, id]) => id === p.savedId)?.[0] ?? p.title}${p.preview ? ' (preview)' : ''}`)
          .sort();
        return JSON.stringify(have) === JSON.stringify(want) || undefined;
      },
      15_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; panels: ${JSON.stringify(panels.panels().map((p) => ({ title: p.title, preview: p.preview, ready: p.ready })))}`);
    });
  }

  before(async function () {
    if (!uiDriverAvailable()) this.skip();
    ({ api, feature: panels } = await startPanelSandbox());
    saved = api.features.savedRequests as SavedRequestsFeature;
    await saved.ready;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('workbench.editor').update('enablePreview', undefined, vscode.ConfigurationTarget.Global);
    folderId = await vscode.commands.executeCommand<string>('studyteam.newFolder', undefined, { name: 'Preview tests' });
    for (const name of NAMES) {
      const id = await vscode.commands.executeCommand<string>('studyteam.newRequest', undefined, { parentId: folderId, name, url: '/rpi/sites', open: false });
      ids.set(name, id);
    }
    await vscode.commands.executeCommand('workbench.view.extension.studyteam');
    await vscode.commands.executeCommand('studyteam.savedRequests.focus');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    if (!api) return;
    await vscode.workspace.getConfiguration('workbench.editor').update('enablePreview', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (folderId) await vscode.commands.executeCommand('studyteam.deleteItem', folderId, { confirm: false });
  });

  it('a click previews, the next click replaces it; a double click keeps it; an edited preview stays', async () => {
    // Click A: one preview tab.
    await clickRow('PreviewAlpha');
    await expectPanels('a preview of A', [['PreviewAlpha', true]]);
    await waitUntil('A ready', () => panelOf('PreviewAlpha')?.ready);
    assert.equal(panelOf('PreviewAlpha')!.title, 'PreviewAlpha (Preview)');
    // As in the Explorer, a preview leaves the keyboard focus in the tree.
    assert.equal(await focusIn(), 'tree', 'the focus stays in the tree');
    assert.match(await webviewWaitFor('#preview-bar:not([hidden])', { titleContains: 'PreviewAlpha' }), /^Preview\s[\s\S]*replaces this one/);

    // Click B: still one tab, now showing B (the same webview, no second tab).
    const clickedAt = Date.now();
    await clickRow('PreviewBravo');
    await expectPanels('the preview now shows B', [['PreviewBravo', true]]);
    const nameShown = await waitUntil('B in the webview', async () => {
      const value = await webviewEval<string>('#request-name', 'document.getElementById("request-name").value', { titleContains: 'PreviewBravo' }).catch(() => '');
      return value === 'PreviewBravo' ? value : undefined;
    });
    console.log(`      preview replaced: click → B's name in the form ${Date.now() - clickedAt} ms (includes the UI driver's round trips)`);
    assert.equal(nameShown, 'PreviewBravo');
    await waitUntil('one tab, B in preview', async () => JSON.stringify(await tabLabels()) === JSON.stringify(['PreviewBravo (Preview)']));
    await screenshot('preview-tab-replaced.png');

    // Double-click B: it stays (no "(Preview)", no preview bar).
    await clickRow('PreviewBravo', 2);
    await expectPanels('B kept open', [['PreviewBravo', false]]);
    await waitUntil('the focus in the panel after the double click', async () => (await focusIn()) === 'webview');
    await waitUntil('one tab, B kept', async () => JSON.stringify(await tabLabels()) === JSON.stringify(['PreviewBravo']));
    await waitUntil('the preview bar gone', async () => (await webviewEval<boolean>('#preview-bar', 'document.getElementById("preview-bar").hidden', { titleContains: 'PreviewBravo' })) || undefined);

    // Click A: a second tab, a preview.
    await clickRow('PreviewAlpha');
    await expectPanels('B and a preview of A', [['PreviewBravo', false], ['PreviewAlpha', true]]);
    await waitUntil('A ready', () => panelOf('PreviewAlpha')?.ready, 20_000);

    // Edit A in the preview: it stays, with its edit, when C is clicked.
    await webviewFill('#url', '/rpi/sites?edited=1', { titleContains: 'PreviewAlpha' });
    await waitUntil('the edited preview kept', () => panelOf('PreviewAlpha')?.dirty && !panelOf('PreviewAlpha')?.preview);
    await clickRow('PreviewCharlie');
    await expectPanels('A (edited) stays, C previews', [['PreviewBravo', false], ['PreviewAlpha', false], ['PreviewCharlie', true]]);
    const alpha = panelOf('PreviewAlpha')!;
    assert.equal(alpha.draft.url, '/rpi/sites?edited=1', 'the edit is still there');
    assert.equal(alpha.title, '● PreviewAlpha');
    await waitUntil('three tabs', async () => ((await tabLabels()).length === 3 ? true : undefined));
    await waitUntil('C ready', () => panelOf('PreviewCharlie')?.ready, 20_000);
    await sleep(300);
    await screenshot('preview-tab-edited-stays.png');
  });

  it('Keep Open in the editor title keeps a preview; clicking the same row again only shows it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clickRow('PreviewCharlie');
    await expectPanels('a preview of C', [['PreviewCharlie', true]]);
    await waitUntil('C ready', () => panelOf('PreviewCharlie')?.ready, 20_000);
    // The preview is the active editor: its title bar offers Keep Open.
    await waitUntil('Keep Open in the editor title', () =>
      workbenchEval<boolean>(`!!document.querySelector('.editor-actions [aria-label^="Keep Open"]')`),
    );
    await screenshot('preview-tab-keep-open-action.png');
    await workbenchClick('.editor-actions [aria-label^="Keep Open"]');
    await expectPanels('C kept open', [['PreviewCharlie', false]]);
    await waitUntil('one tab, C kept', async () => JSON.stringify(await tabLabels()) === JSON.stringify(['PreviewCharlie']));
    await clickRow('PreviewCharlie');
    await sleep(700); // past the double-click window
    await clickRow('PreviewDelta');
    await expectPanels('C stays, D previews', [['PreviewCharlie', false], ['PreviewDelta', true]]);
    // The preview bar's own Keep Open button does the same.
    await waitUntil('D ready', () => panelOf('PreviewDelta')?.ready, 20_000);
    await webviewWaitFor('#keep-open', { titleContains: 'PreviewDelta' });
    await vscode.commands.executeCommand('studyteam.keepPanelOpen');
    await expectPanels('D kept open', [['PreviewCharlie', false], ['PreviewDelta', false]]);
  });

  it('a hidden preview shows the clicked request, not its webview\'s old state; a preview whose request is deleted stays', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await clickRow('PreviewAlpha');
    await expectPanels('a preview of A', [['PreviewAlpha', true]]);
    await waitUntil('A ready', () => panelOf('PreviewAlpha')?.ready, 20_000);
    // Another editor in front: the preview's webview is torn down (it keeps A's state for when it comes back).
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    await waitUntil('the preview hidden', () => panels.panels().every((p) => !p.ready));
    await clickRow('PreviewBravo');
    await expectPanels('the preview shows B', [['PreviewBravo', true]]);
    await waitUntil('B ready', () => panelOf('PreviewBravo')?.ready, 20_000);
    const shown = await waitUntil('B in the form', async () => {
      const value = await webviewEval<string>('#request-name', 'document.getElementById("request-name").value', { titleContains: 'PreviewBravo' }).catch(() => '');
      return value === 'PreviewBravo' ? value : undefined;
    });
    assert.equal(shown, 'PreviewBravo');
    const bravo = panelOf('PreviewBravo')!;
    assert.equal(bravo.draft.name, 'PreviewBravo');
    assert.equal(bravo.dirty, false, 'A\'s old webview state did not leak into B');

    // D is deleted while previewed: the panel turns into unsaved work, which a preview never drops.
    const deltaName = 'PreviewDelta';
    await clickRow(deltaName);
    await expectPanels('a preview of D', [['PreviewDelta', true]]);
    await waitUntil('D ready', () => panelOf(deltaName)?.ready, 20_000);
    const deltaId = ids.get(deltaName)!;
    await vscode.commands.executeCommand('studyteam.deleteItem', deltaId, { confirm: false });
    await waitUntil('D kept as an unsaved draft', () => panels.panels().find((p) => p.draft.name === deltaName && !p.savedId && p.dirty && !p.preview));
    await clickRow('PreviewCharlie');
    await waitUntil('C previews beside the draft', () => panels.panels().length === 2 && panelOf('PreviewCharlie')?.preview);
    assert.ok(panels.panels().some((p) => p.draft.name === deltaName && !p.preview), 'the draft is still open');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    ids.delete(deltaName);
  });

  it('workbench.editor.enablePreview = false: every click opens a panel that stays', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('workbench.editor').update('enablePreview', false, vscode.ConfigurationTarget.Global);
    await clickRow('PreviewAlpha');
    await expectPanels('A open', [['PreviewAlpha', false]]);
    await sleep(700);
    await clickRow('PreviewBravo');
    await expectPanels('A and B open', [['PreviewAlpha', false], ['PreviewBravo', false]]);
    await waitUntil('two tabs', async () => JSON.stringify((await tabLabels()).sort()) === JSON.stringify(['PreviewAlpha', 'PreviewBravo']));
  });
});
