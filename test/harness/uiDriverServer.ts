// The UI driver: a small HTTP server on 127.0.0.1 (port 0) that integration tests running inside the
// extension host call to look at and operate the real workbench through Playwright (status bar,
// notification toasts, webview contents, keys, screenshots). See uiDriverProtocol.ts for the commands.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from './playwright';
import type { NotificationInfo, StatusBarItemInfo, UiCommand, UiReply, UiResults, WebviewFrameInfo, WebviewTarget } from './uiDriverProtocol';

const DEFAULT_ACTION_TIMEOUT_MS = 10_000;
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface UiDriverOptions {
  /** The workbench page; undefined until the browser has opened it. */
  page: () => Page | undefined;
  /** Relative screenshot paths resolve against this folder. */
  artifactsDir: string;
  log: (line: string) => void;
}

export class UiDriverServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: UiDriverOptions): Promise<UiDriverServer> {
    const server = createServer((req, res) => {
      void handle(options, req, res);
    });
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolveListen());
    });
    const { port } = server.address() as AddressInfo;
    return new UiDriverServer(server, `http://127.0.0.1:${port}/`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

async function handle(options: UiDriverOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let reply: UiReply;
  try {
    if (req.method !== 'POST') throw new Error(`UI driver: use POST with a JSON command, not ${req.method ?? '?'}`);
    const command = parseCommand(await readBody(req));
    const page = options.page();
    if (!page) throw new Error('UI driver: the workbench page is not open yet');
    reply = { ok: true, result: await execute(page, command, options) };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // The whole message in the harness log: Playwright's call log says why an action kept retrying.
    options.log(`ui driver: ${error instanceof Error ? error.message.split('\n').slice(0, 25).join('\n    ') : message}`);
    reply = { ok: false, error: message };
  }
  const body = JSON.stringify(reply);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error('UI driver: command larger than 1 MB'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const OPS: ReadonlySet<string> = new Set<UiCommand['op']>([
  'screenshot', 'statusBarText', 'notifications', 'notificationAction', 'webviewEval', 'webviewClick',
  'webviewFill', 'webviewPress', 'webviewWaitFor', 'webviewFrames', 'pressKey', 'typeText', 'eval', 'click',
]);

function parseCommand(text: string): UiCommand {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('UI driver: the request body is not JSON');
  }
  if (typeof value !== 'object' || value === null || typeof (value as { op?: unknown }).op !== 'string') {
    throw new Error('UI driver: expected {"op": "...", ...}');
  }
  const op = (value as { op: string }).op;
  if (!OPS.has(op)) throw new Error(`UI driver: unknown op "${op}" (known: ${[...OPS].join(', ')})`);
  return value as UiCommand;
}

function requireString(value: unknown, name: string, op: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`UI driver: ${op} needs a non-empty string "${name}"`);
  return value;
}

async function execute(page: Page, command: UiCommand, options: UiDriverOptions): Promise<UiResults[UiCommand['op']]> {
  switch (command.op) {
    case 'screenshot': {
      const target = requireString(command.path, 'path', command.op);
      const file = isAbsolute(target) ? target : resolve(options.artifactsDir, target);
      mkdirSync(dirname(file), { recursive: true });
      await page.screenshot({ path: file, fullPage: command.fullPage ?? false, timeout: 20_000 });
      options.log(`screenshot: ${file}`);
      return { path: file };
    }
    case 'statusBarText':
      return statusBar(page);
    case 'notifications':
      return { notifications: await notifications(page) };
    case 'notificationAction':
      return notificationAction(page, requireString(command.messageContains, 'messageContains', command.op), requireString(command.action, 'action', command.op));
    case 'webviewEval': {
      const frame = await findWebviewFrame(page, command);
      return { value: await frame.evaluate<unknown>(requireString(command.script, 'script', command.op)) };
    }
    case 'webviewClick': {
      const frame = await findWebviewFrame(page, command);
      await frame.locator(command.selector).first().click({ timeout: DEFAULT_ACTION_TIMEOUT_MS });
      return { clicked: true };
    }
    case 'webviewFill': {
      const frame = await findWebviewFrame(page, command);
      await frame.locator(command.selector).first().fill(String(command.text ?? ''), { timeout: DEFAULT_ACTION_TIMEOUT_MS });
      return { filled: true };
    }
    case 'webviewPress': {
      const frame = await findWebviewFrame(page, command);
      await frame.locator(command.selector).first().press(requireString(command.key, 'key', command.op), { timeout: DEFAULT_ACTION_TIMEOUT_MS });
      return { pressed: true };
    }
    case 'webviewWaitFor':
      return waitForWebview(page, command, command.textContains, command.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS);
    case 'webviewFrames':
      return { frames: await webviewFrames(page) };
    case 'pressKey':
      await page.keyboard.press(requireString(command.key, 'key', command.op));
      return { pressed: true };
    case 'click': {
      const target = page.locator(requireString(command.selector, 'selector', command.op)).first();
      if (command.clickCount === 2) await target.dblclick({ timeout: DEFAULT_ACTION_TIMEOUT_MS });
      else await target.click({ timeout: DEFAULT_ACTION_TIMEOUT_MS });
      return { clicked: true };
    }
    case 'typeText':
      await page.keyboard.type(String(command.text ?? ''));
      return { typed: true };
    case 'eval':
      return { value: await page.evaluate<unknown>(requireString(command.script, 'script', command.op)) };
  }
}

async function statusBar(page: Page): Promise<UiResults['statusBarText']> {
  const json = await page.evaluate<string>(`(() => {
    const bar = document.getElementById('workbench.parts.statusbar');
    if (!bar) return JSON.stringify({ text: '', items: [] });
    const items = [...bar.querySelectorAll('.statusbar-item')].map((el) => {
      const label = el.querySelector('a, [role="button"]') || el;
      return {
        id: el.id || '',
        text: (el.innerText || '').trim(),
        ariaLabel: label.getAttribute('aria-label') || '',
        backgroundColor: getComputedStyle(el).backgroundColor,
      };
    });
    return JSON.stringify({ text: bar.innerText, items });
  })()`);
  return JSON.parse(json) as { text: string; items: StatusBarItemInfo[] };
}

/**
 * Notification items on screen: the toasts, plus the notification center's entries when the center is open
 * (while it is open VS Code shows no toasts; new notifications go straight into it).
 */
const NOTIFICATION_ITEMS_SCRIPT = `(() => {
  const visible = (el) => el && el.offsetParent !== null && getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility !== 'hidden';
  const items = [];
  for (const toast of document.querySelectorAll('.notifications-toasts .notification-toast-container')) {
    if (!visible(toast)) continue;
    const item = toast.querySelector('.notification-list-item');
    if (item) items.push({ item, where: 'toast' });
  }
  const center = document.querySelector('.notifications-center');
  if (visible(center)) for (const item of center.querySelectorAll('.notification-list-item')) items.push({ item, where: 'center' });
  return items;
})()`;

async function notifications(page: Page): Promise<NotificationInfo[]> {
  const json = await page.evaluate<string>(`(() => {
    const items = ${NOTIFICATION_ITEMS_SCRIPT};
    return JSON.stringify(items.map(({ item, where }) => {
      const icon = item.querySelector('.notification-list-item-icon');
      const cls = icon ? icon.className : '';
      const severity = /codicon-error/.test(cls) ? 'error' : /codicon-warning/.test(cls) ? 'warning' : 'info';
      const message = item.querySelector('.notification-list-item-message');
      const source = item.querySelector('.notification-list-item-source');
      const actions = [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')]
        .map((b) => (b.innerText || b.textContent || '').trim()).filter(Boolean);
      return {
        message: message ? (message.innerText || message.textContent || '').trim() : '',
        source: source ? (source.innerText || source.textContent || '').trim() : '',
        severity,
        actions,
        where,
      };
    }));
  })()`);
  return JSON.parse(json) as NotificationInfo[];
}

async function notificationAction(page: Page, messageContains: string, action: string): Promise<UiResults['notificationAction']> {
  const clicked = await page.evaluate<string>(`(() => {
    const wantMessage = ${JSON.stringify(messageContains)};
    const wantAction = ${JSON.stringify(action)};
    for (const { item } of ${NOTIFICATION_ITEMS_SCRIPT}) {
      const message = item.querySelector('.notification-list-item-message');
      if (!message || !(message.textContent || '').includes(wantMessage)) continue;
      for (const button of item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')) {
        if ((button.textContent || '').trim() === wantAction) { button.click(); return 'clicked'; }
      }
      return 'no-action';
    }
    return 'no-toast';
  })()`);
  if (clicked === 'no-toast') throw new Error(`UI driver: no notification toast contains "${messageContains}"`);
  if (clicked === 'no-action') throw new Error(`UI driver: the notification containing "${messageContains}" has no action "${action}"`);
  return { clicked: true };
}

/** Webview contents live two iframes deep: workbench → webview host (index.html) → #active-frame. */
function webviewCandidateFrames(page: Page): Frame[] {
  const main = page.mainFrame();
  return page.frames().filter((frame) => frame !== main && !frame.isDetached() && frame.parentFrame() !== main);
}

async function frameMatches(frame: Frame, target: WebviewTarget): Promise<'visible' | 'hidden' | undefined> {
  try {
    const locator = frame.locator(target.selector);
    if ((await locator.count()) === 0) return undefined;
    if (target.titleContains !== undefined && !(await frame.title()).includes(target.titleContains)) return undefined;
    return (await locator.first().isVisible()) ? 'visible' : 'hidden';
  } catch {
    return undefined; // frame navigated or detached while we looked
  }
}

async function tryFindWebviewFrame(page: Page, target: WebviewTarget): Promise<Frame | undefined> {
  let hidden: Frame | undefined;
  for (const frame of webviewCandidateFrames(page)) {
    const match = await frameMatches(frame, target);
    if (match === 'visible') return frame;
    if (match === 'hidden' && !hidden) hidden = frame;
  }
  return hidden;
}

async function findWebviewFrame(page: Page, target: WebviewTarget, timeoutMs = DEFAULT_ACTION_TIMEOUT_MS): Promise<Frame> {
  requireString(target.selector, 'selector', 'webview op');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await tryFindWebviewFrame(page, target);
    if (frame) return frame;
    if (Date.now() > deadline) {
      const where = target.titleContains ? ` titled "…${target.titleContains}…"` : '';
      throw new Error(`UI driver: no webview${where} contains "${target.selector}" after ${timeoutMs} ms (is the panel open?)`);
    }
    await sleep(100);
  }
}

async function waitForWebview(page: Page, target: WebviewTarget, textContains: string | undefined, timeoutMs: number): Promise<UiResults['webviewWaitFor']> {
  requireString(target.selector, 'selector', 'webviewWaitFor');
  const deadline = Date.now() + timeoutMs;
  let lastText = '';
  for (;;) {
    const frame = await tryFindWebviewFrame(page, target);
    if (frame) {
      try {
        lastText = await frame.locator(target.selector).first().innerText({ timeout: 1_000 });
        if (textContains === undefined || lastText.includes(textContains)) return { text: lastText };
      } catch {
        // re-rendered or detached; poll again
      }
    }
    if (Date.now() > deadline) {
      const seen = frame ? ` (its text: ${JSON.stringify(lastText.slice(0, 200))})` : ' (no webview contains it)';
      const want = textContains === undefined ? '' : ` with text containing ${JSON.stringify(textContains)}`;
      throw new Error(`UI driver: timed out after ${timeoutMs} ms waiting for "${target.selector}"${want}${seen}`);
    }
    await sleep(100);
  }
}

async function webviewFrames(page: Page): Promise<WebviewFrameInfo[]> {
  const out: WebviewFrameInfo[] = [];
  for (const frame of webviewCandidateFrames(page)) {
    try {
      const visible = await frame.evaluate<boolean>('document.visibilityState === "visible" && !!document.body && document.body.getClientRects().length > 0');
      out.push({ url: frame.url(), title: await frame.title(), visible });
    } catch {
      // detached while listing
    }
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
