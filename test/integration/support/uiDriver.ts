// Client for the harness's UI driver (test/harness/uiDriverServer.ts): lets an integration test running
// in the extension host look at and operate the real workbench through Playwright. Only available
// under `npm run test:integration` (code-server + Chromium); under `npm run test:electron` there is
// no driver — guard UI-level tests with `if (!uiDriverAvailable()) this.skip();`.
import * as vscode from 'vscode';
import type { NotificationInfo, StatusBarItemInfo, UiCommand, UiReply, UiResults, WebviewFrameInfo } from '../../harness/uiDriverProtocol';

const URL_ENV = 'STUDYTEAM_UI_DRIVER_URL';

export function uiDriverAvailable(): boolean {
  return !!process.env[URL_ENV];
}

/** Sends one command; throws with the driver's message when it fails. */
export async function uiCommand<C extends UiCommand>(command: C): Promise<UiResults[C['op']]> {
  const url = process.env[URL_ENV];
  if (!url) {
    throw new Error(
      `${URL_ENV} is not set: UI-level checks need the code-server harness (npm run test:integration). ` +
        'Under test:electron, skip the test with `if (!uiDriverAvailable()) this.skip();`.',
    );
  }
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(command) });
  const reply = (await response.json()) as UiReply<C['op']>;
  if (!reply.ok) throw new Error(`UI driver ${command.op}: ${reply.error}`);
  return reply.result;
}

/** Screenshot of the whole workbench; a relative path lands under test-artifacts/. Returns the absolute path. */
export async function screenshot(path: string): Promise<string> {
  return (await uiCommand({ op: 'screenshot', path })).path;
}

/** The status bar's visible text (all items, newline-separated). */
export async function statusBarText(): Promise<string> {
  return (await uiCommand({ op: 'statusBarText' })).text;
}

/** Every status-bar item: id, text, aria-label and computed background colour. */
export async function statusBarItems(): Promise<StatusBarItemInfo[]> {
  return (await uiCommand({ op: 'statusBarText' })).items;
}

/** Notification toasts currently shown (message, source, severity, action button labels). */
export async function notifications(): Promise<NotificationInfo[]> {
  return (await uiCommand({ op: 'notifications' })).notifications;
}

/** Clicks the action button labelled `action` on the toast (or center entry) whose message contains `messageContains`. */
export async function clickNotificationAction(messageContains: string, action: string): Promise<void> {
  await uiCommand({ op: 'notificationAction', messageContains, action });
  // Clicking in the notification center leaves it open (then no toast would show for later notifications).
  await vscode.commands.executeCommand('notifications.hideList');
}

/** After this long without a matching toast, the notification center is opened and read as well. */
const CENTER_FALLBACK_MS = 3_000;

/**
 * Polls until a notification's message contains `messageContains`; returns it. Toasts first; if none matches
 * within a few seconds, the notification center is opened too. VS Code shows at most 3 new toasts per 800 ms
 * (NotificationsToasts' rate limiter, code-server 4.100); a notification over that limit goes only to the center.
 * Tests run commands much faster than a person clicks (a folder run's progress, a result toast and an export's
 * toast within a few hundred ms), so an export's "Exported …" toast was dropped that way. A notification in the
 * center is still one the user can see (the bell), so it counts; one in neither place was never shown.
 */
export async function waitForNotification(messageContains: string, timeoutMs = 10_000): Promise<NotificationInfo> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let seen: NotificationInfo[] = [];
  let centerOpened = false;
  while (Date.now() < deadline) {
    seen = await notifications();
    const found = seen.find((n) => n.message.includes(messageContains));
    if (found) {
      if (found.where === 'toast' && centerOpened) await vscode.commands.executeCommand('notifications.hideList');
      if (found.where === 'center') console.log(`    (notification "${messageContains}" found in the notification center, not as a toast; the center holds: ${JSON.stringify(seen.map((n) => n.message))})`);
      return found;
    }
    if (!centerOpened && Date.now() - started >= CENTER_FALLBACK_MS) {
      centerOpened = true;
      await screenshot(`notification-not-a-toast-${Date.now()}.png`); // what the workbench showed instead, for the log
      await vscode.commands.executeCommand('notifications.showList');
    }
    await new Promise((done) => setTimeout(done, 150));
  }
  if (centerOpened) await vscode.commands.executeCommand('notifications.hideList');
  throw new Error(
    `No notification containing ${JSON.stringify(messageContains)} within ${timeoutMs} ms (toasts and the notification center); shown: ${JSON.stringify(seen.map((n) => `${n.where}: ${n.message}`))}`,
  );
}

/** Polls until the status bar text contains `textContains`; returns the whole text. */
export async function waitForStatusBar(textContains: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await statusBarText();
    if (text.includes(textContains)) return text;
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error(`Status bar never contained ${JSON.stringify(textContains)} within ${timeoutMs} ms; it shows: ${JSON.stringify(text)}`);
}

/** Options naming which webview: the first one (visible preferred) whose document contains `selector`. */
export interface WebviewOptions {
  /** Only webviews whose document <title> contains this. */
  titleContains?: string;
}

/** Evaluates a JS expression (may be a Promise) in the webview document containing `selector`; returns its JSON value. */
export async function webviewEval<T = unknown>(selector: string, script: string, options: WebviewOptions = {}): Promise<T> {
  return (await uiCommand({ op: 'webviewEval', selector, script, ...options })).value as T;
}

export async function webviewClick(selector: string, options: WebviewOptions = {}): Promise<void> {
  await uiCommand({ op: 'webviewClick', selector, ...options });
}

export async function webviewFill(selector: string, text: string, options: WebviewOptions = {}): Promise<void> {
  await uiCommand({ op: 'webviewFill', selector, text, ...options });
}

/** Focuses `selector` and presses a Playwright key ("Enter", "Control+Enter", "Control+s"). */
export async function webviewPress(selector: string, key: string, options: WebviewOptions = {}): Promise<void> {
  await uiCommand({ op: 'webviewPress', selector, key, ...options });
}

/** Waits until `selector` exists in a webview (and its text contains `textContains`); returns its text. */
export async function webviewWaitFor(selector: string, options: WebviewOptions & { textContains?: string; timeoutMs?: number } = {}): Promise<string> {
  return (await uiCommand({ op: 'webviewWaitFor', selector, ...options })).text;
}

/** Lists the webview documents in the workbench (url, title, visible) — for debugging. */
export async function webviewFrames(): Promise<WebviewFrameInfo[]> {
  return (await uiCommand({ op: 'webviewFrames' })).frames;
}

/** Clicks (or double-clicks) an element of the workbench with the mouse, e.g. a tree row: `.monaco-list-row:has-text("List sites")`. */
export async function workbenchClick(selector: string, clickCount: 1 | 2 = 1): Promise<void> {
  await uiCommand({ op: 'click', selector, clickCount });
}

/** Presses a key in the workbench (Playwright key names: "Escape", "Control+Shift+P"). */
export async function pressKey(key: string): Promise<void> {
  await uiCommand({ op: 'pressKey', key });
}

/** Evaluates a JS expression in the workbench page; returns its JSON value. */
export async function workbenchEval<T = unknown>(script: string): Promise<T> {
  return (await uiCommand({ op: 'eval', script })).value as T;
}
