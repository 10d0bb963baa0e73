// Commands the integration tests (inside the extension host) send to the harness's UI driver, which
// executes them with Playwright on the real workbench page. Transport: POST <STUDYTEAM_UI_DRIVER_URL>
// with one command as JSON; the answer is `{ ok: true, result }` or `{ ok: false, error }`.
// Shared by test/harness/uiDriverServer.ts and test/integration/support/uiDriver.ts (type-only import).

/** Where to look for a webview element: the first webview frame containing `selector`
 *  (visible ones preferred) whose document title contains `titleContains`, when given. */
export interface WebviewTarget {
  selector: string;
  titleContains?: string;
}

export type UiCommand =
  | { op: 'screenshot'; path: string; fullPage?: boolean }
  | { op: 'statusBarText' }
  | { op: 'notifications' }
  | { op: 'notificationAction'; messageContains: string; action: string }
  | ({ op: 'webviewEval'; script: string } & WebviewTarget)
  | ({ op: 'webviewClick' } & WebviewTarget)
  | ({ op: 'webviewFill'; text: string } & WebviewTarget)
  | ({ op: 'webviewPress'; key: string } & WebviewTarget)
  | ({ op: 'webviewWaitFor'; textContains?: string; timeoutMs?: number } & WebviewTarget)
  | { op: 'webviewFrames' }
  | { op: 'pressKey'; key: string }
  /** Clicks (clickCount 2: double-clicks) the first element of the workbench page matching a Playwright selector, with the mouse. */
  | { op: 'click'; selector: string; clickCount?: 1 | 2 }
  /** Types text into whatever has focus, key by key (e.g. a quick input). */
  | { op: 'typeText'; text: string }
  | { op: 'eval'; script: string };

export type UiOp = UiCommand['op'];

export interface StatusBarItemInfo {
  id: string;
  text: string;
  ariaLabel: string;
  backgroundColor: string;
}

export interface NotificationInfo {
  message: string;
  source: string;
  severity: 'error' | 'warning' | 'info';
  actions: string[];
  /** A toast, or an entry of the notification center (read when the center is open). */
  where: 'toast' | 'center';
}

export interface WebviewFrameInfo {
  url: string;
  title: string;
  visible: boolean;
}

/** What each op answers with. */
export interface UiResults {
  screenshot: { path: string };
  statusBarText: { text: string; items: StatusBarItemInfo[] };
  notifications: { notifications: NotificationInfo[] };
  notificationAction: { clicked: true };
  webviewEval: { value: unknown };
  webviewClick: { clicked: true };
  webviewFill: { filled: true };
  webviewPress: { pressed: true };
  webviewWaitFor: { text: string };
  webviewFrames: { frames: WebviewFrameInfo[] };
  pressKey: { pressed: true };
  click: { clicked: true };
  typeText: { typed: true };
  eval: { value: unknown };
}

export type UiReply<Op extends UiOp = UiOp> = { ok: true; result: UiResults[Op] } | { ok: false; error: string };

/** Env var carrying the driver's URL into the extension host. */
export const UI_DRIVER_URL_ENV = 'STUDYTEAM_UI_DRIVER_URL';
