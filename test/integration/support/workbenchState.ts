// What VS Code for the Web itself keeps of the window (code-server harness only): it writes its open editors — each
// request panel with its webview state — to the workspace's IndexedDB ("memento/workbench.parts.editor") every few
// seconds while the window is idle and focused, when the window loses focus, and at unload only as a best effort.
import { waitUntil } from './studyteam';
import { workbenchEval } from './uiDriver';

const EDITORS_KEY = 'memento/workbench.parts.editor';

/** The saved editor state of every workspace database of the page (raw JSON text). */
async function savedEditorState(): Promise<string[]> {
  return workbenchEval<string[]>(`(async () => {
    const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => n && n.startsWith('vscode-web-state-db-') && n !== 'vscode-web-state-db-global');
    const values = [];
    for (const name of names) {
      const db = await request(indexedDB.open(name));
      try {
        if (!db.objectStoreNames.contains('ItemTable')) continue;
        const value = await request(db.transaction('ItemTable', 'readonly').objectStore('ItemTable').get(${JSON.stringify(EDITORS_KEY)}));
        if (typeof value === 'string') values.push(value);
      } finally {
        db.close();
      }
    }
    return values;
  })()`);
}

/** Whether VS Code's saved editor state names this (e.g. a panel's title). */
export async function savedEditorsName(text: string): Promise<boolean> {
  return (await savedEditorState()).some((state) => state.includes(text));
}

/**
 * The user switches to another window and comes back (or, with stayAway, stays there until the reload): on the focus loss VS Code saves its editors
 * (workbench.ts: hostService.onDidChangeFocus → storageService.flush). Playwright's page always has focus (focus
 * emulation), so while `blur` fires the page is told it has none. Resolves once the saved editor state names none
 * of `absent` (e.g. a panel just closed): from then on no later save can bring it back.
 */
export async function saveEditorsOnFocusLoss(absent: readonly string[], options: { stayAway?: boolean; timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  await workbenchEval(`(async () => {
    document.hasFocus = () => false;
    window.dispatchEvent(new FocusEvent('blur'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (${options.stayAway === true}) return true; // the user stays in the other window: no idle save either
    delete document.hasFocus;
    window.dispatchEvent(new FocusEvent('focus'));
    return true;
  })()`);
  await waitUntil(
    `VS Code's saved editors without ${absent.join(', ')}`,
    async () => {
      const states = await savedEditorState();
      return states.length > 0 && states.every((state) => absent.every((name) => !state.includes(name))) ? true : undefined;
    },
    timeoutMs,
  );
}
