// The slice of playwright-core the harness uses, typed structurally. playwright-core lives in
// test/realVscode/node_modules (installed on demand, outside the extension's dependency tree), so
// the type checker of the main project cannot see its .d.ts files; it is loaded at run time from there.
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface Locator {
  first(): Locator;
  count(): Promise<number>;
  isVisible(): Promise<boolean>;
  innerText(options?: { timeout?: number }): Promise<string>;
  click(options?: { timeout?: number }): Promise<void>;
  dblclick(options?: { timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  press(key: string, options?: { timeout?: number }): Promise<void>;
}

export interface Frame {
  url(): string;
  name(): string;
  parentFrame(): Frame | null;
  locator(selector: string): Locator;
  evaluate<T>(expression: string): Promise<T>;
  title(): Promise<string>;
  isDetached(): boolean;
}

export interface ConsoleMessage {
  type(): string;
  text(): string;
}

export interface Response {
  status(): number;
  url(): string;
}

export interface Request {
  url(): string;
  failure(): { errorText: string } | null;
}

export interface Keyboard {
  press(key: string): Promise<void>;
  type(text: string, options?: { delay?: number }): Promise<void>;
}

export interface Page {
  goto(url: string, options?: { timeout?: number; waitUntil?: 'load' | 'domcontentloaded' | 'commit' }): Promise<unknown>;
  frames(): Frame[];
  mainFrame(): Frame;
  locator(selector: string): Locator;
  evaluate<T>(expression: string): Promise<T>;
  screenshot(options?: { path?: string; fullPage?: boolean; timeout?: number }): Promise<Buffer>;
  exposeFunction(name: string, callback: (...args: never[]) => unknown): Promise<unknown>;
  keyboard: Keyboard;
  on(event: 'console', listener: (message: ConsoleMessage) => void): Page;
  on(event: 'pageerror', listener: (error: Error) => void): Page;
  on(event: 'crash', listener: () => void): Page;
  on(event: 'response', listener: (response: Response) => void): Page;
  on(event: 'requestfailed', listener: (request: Request) => void): Page;
  close(): Promise<void>;
}

export interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface PersistentLaunchOptions {
  executablePath: string;
  headless: boolean;
  args: string[];
  viewport: { width: number; height: number };
  timeout?: number;
  handleSIGINT?: boolean;
  handleSIGTERM?: boolean;
  handleSIGHUP?: boolean;
}

export interface ChromiumLauncher {
  launchPersistentContext(userDataDir: string, options: PersistentLaunchOptions): Promise<BrowserContext>;
}

/** Loads playwright-core from the harness folder (test/realVscode by default). */
export function loadChromium(harnessDir: string): ChromiumLauncher {
  const requireFromHarness = createRequire(join(harnessDir, 'package.json'));
  let loaded: { chromium: ChromiumLauncher };
  try {
    loaded = requireFromHarness('playwright-core') as { chromium: ChromiumLauncher };
  } catch (error) {
    throw new Error(
      `playwright-core is not installed in ${harnessDir}. Run scripts/installRealVscode.sh (or npm run test:integration). ` +
        `Cause: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return loaded.chromium;
}
