// Runs the integration tests inside a real VS Code extension host, offline.
//
// How it works: code-server (VS Code 1.100 server, installed by scripts/installRealVscode.sh into
// test/realVscode) is started in its own process group with a fresh temp user-data-dir, extensions-dir
// and an empty workspace folder (or --workspace DIR). Headless Debian Chromium, driven by
// playwright-core, opens the workbench with a payload naming our extension (extensionDevelopmentPath)
// and test entry (extensionTestsPath = out/test/integration/index.js, which runs mocha). VS Code
// forwards mocha's output to window.codeAutomationLog and the result to window.codeAutomationExit.
// Tests reach the workbench UI through the UI driver, an HTTP server on 127.0.0.1 whose URL they get
// as STUDYTEAM_UI_DRIVER_URL (see uiDriverServer.ts, test/integration/support/uiDriver.ts).
// Exit code: VS Code's (0 = all passed), 2 = timeout or infrastructure failure, 3 = no test executed.
// Reload phase (--after-reload-tests FILE): when the first test run ends, the same page opens the workbench
// again — same code-server, user-data-dir, browser profile and workspace, i.e. a window reload — with FILE as
// the test entry; the exit code is the first phase's if it failed, else the second's. A TestVault (in this
// process, so nothing touches the disk) carries values and a running sandbox across the reload.
//
// Usage: node out/test/harness/runRealVscode.js --extensionDevelopmentPath DIR --extensionTestsPath FILE
//   [--workspace DIR] [--harness-dir DIR] [--artifacts DIR] [--timeout SECONDS (900)] [--verbose] [--keep-temp]
//   [--after-reload-tests FILE]
// Unknown flags are ignored. Env: CHROMIUM_PATH (default /usr/bin/chromium).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { createTestCertificates } from '../support/testCertificates';
import { loadChromium, type BrowserContext, type Page } from './playwright';
import { TestVault, TEST_VAULT_URL_ENV } from './testVault';
import { UiDriverServer } from './uiDriverServer';
import { UI_DRIVER_URL_ENV } from './uiDriverProtocol';

const EXIT_TIMEOUT = 2;
const EXIT_INFRASTRUCTURE = 2;
const EXIT_NO_TESTS = 3;
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Workbench log lines that are expected offline (no marketplace, no vsda) and only clutter the output. */
const OFFLINE_NOISE = /open-vsx\.org|\bvsda\b|^Resolv(ing|ed) connection token|^Creating a socket|^Updating additional builtin|^\[Service Worker\]|^ChatSessionStore:/;

interface RunnerOptions {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  workspace?: string;
  harnessDir: string;
  artifactsDir: string;
  timeoutSeconds: number;
  verbose: boolean;
  keepTemp: boolean;
  /** Test entry of the second phase, run after reloading the window. */
  afterReloadTestsPath?: string;
}

const VALUE_FLAGS = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'workspace', 'harness-dir', 'artifacts', 'timeout', 'after-reload-tests']);

function parseArgs(argv: readonly string[]): RunnerOptions {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) values.set(name, arg.slice(eq + 1));
    else if (VALUE_FLAGS.has(name) && i + 1 < argv.length) values.set(name, argv[++i]);
    else switches.add(name);
  }
  const repoRoot = resolve(__dirname, '..', '..', '..'); // out/test/harness → repo
  const extensionDevelopmentPath = resolve(values.get('extensionDevelopmentPath') ?? repoRoot);
  const timeoutSeconds = Number(values.get('timeout') ?? 900);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new Error(`--timeout must be a positive number of seconds, got ${values.get('timeout')}`);
  return {
    extensionDevelopmentPath,
    extensionTestsPath: resolve(values.get('extensionTestsPath') ?? join(extensionDevelopmentPath, 'out', 'test', 'integration', 'index.js')),
    workspace: values.has('workspace') ? resolve(values.get('workspace') as string) : undefined,
    harnessDir: resolve(values.get('harness-dir') ?? join(repoRoot, 'test', 'realVscode')),
    artifactsDir: resolve(values.get('artifacts') ?? join(repoRoot, 'test-artifacts')),
    timeoutSeconds,
    verbose: switches.has('verbose') || process.env.STUDYTEAM_TEST_VERBOSE === '1',
    keepTemp: switches.has('keep-temp'),
    afterReloadTestsPath: values.has('after-reload-tests') ? resolve(values.get('after-reload-tests') as string) : undefined,
  };
}

const startedAt = Date.now();
function log(...parts: unknown[]): void {
  console.log(`[harness ${((Date.now() - startedAt) / 1000).toFixed(1)}s]`, ...parts);
}

class RealVscodeRun {
  private server: ChildProcess | undefined;
  private context: BrowserContext | undefined;
  private page: Page | undefined;
  private uiDriver: UiDriverServer | undefined;
  private vault: TestVault | undefined;
  private workbenchUrl: ((testsPath: string) => string) | undefined;
  private phase: 1 | 2 = 1;
  private firstPhaseCode = 0;
  private finished = false;
  private passingSummary: string | undefined;
  private tempRoot = '';

  constructor(private readonly options: RunnerOptions) {}

  async start(): Promise<void> {
    const o = this.options;
    const required = [['extensionDevelopmentPath', join(o.extensionDevelopmentPath, 'package.json')], ['extensionTestsPath', o.extensionTestsPath]];
    if (o.afterReloadTestsPath) required.push(['--after-reload-tests', o.afterReloadTestsPath]);
    for (const [what, file] of required) {
      if (!existsSync(file)) throw new Error(`${what}: ${file} does not exist (did the build run?)`);
    }
    const codeServerEntry = join(o.harnessDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
    if (!existsSync(codeServerEntry)) throw new Error(`code-server is not installed in ${o.harnessDir}; run scripts/installRealVscode.sh`);
    const chromium = loadChromium(o.harnessDir);
    const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);

    mkdirSync(o.artifactsDir, { recursive: true });
    this.tempRoot = mkdtempSync(join(tmpdir(), 'studyteam-it-'));
    const dirs = {
      userData: join(this.tempRoot, 'user-data'),
      extensions: join(this.tempRoot, 'extensions'),
      workspace: o.workspace ?? join(this.tempRoot, 'workspace'),
      browserProfile: join(this.tempRoot, 'browser-profile'),
      config: join(this.tempRoot, 'xdg-config'),
      data: join(this.tempRoot, 'xdg-data'),
    };
    if (!o.workspace) mkdirSync(dirs.workspace, { recursive: true });

    const tlsEnv = this.testCertificateEnv();
    this.uiDriver = await UiDriverServer.start({ page: () => this.page, artifactsDir: o.artifactsDir, log });
    this.vault = await TestVault.start();

    // 1. code-server in its own process group (server + extension host die together).
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      [UI_DRIVER_URL_ENV]: this.uiDriver.url,
      [TEST_VAULT_URL_ENV]: this.vault.url,
      STUDYTEAM_TEST_USER_DATA_DIR: dirs.userData,
      STUDYTEAM_TEST_WORKSPACE: dirs.workspace,
      STUDYTEAM_TEST_ARTIFACTS: o.artifactsDir,
      STUDYTEAM_TEST_BROWSER_PROFILE: dirs.browserProfile,
      STUDYTEAM_TEST_TEMP_ROOT: this.tempRoot,
      STUDYTEAM_TEST_HOST: 'code-server',
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      ...tlsEnv,
    };
    const serverArgs = [
      codeServerEntry, '--auth', 'none', '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened',
      '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    ];
    const server = spawn(process.execPath, serverArgs, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.server = server;
    // Last resort should this process exit by any other path: never leave code-server running.
    process.on('exit', () => {
      if (server.pid !== undefined) signalGroup(server.pid, 'SIGKILL');
    });
    const serverLogPath = join(o.artifactsDir, 'code-server.log');
    const serverLog = createWriteStream(serverLogPath);
    server.stdout?.pipe(serverLog);
    server.stderr?.pipe(serverLog);
    server.on('exit', (code, signal) => {
      if (!this.finished) void this.finish(EXIT_INFRASTRUCTURE, `code-server exited early (code ${code}, signal ${signal}); see ${serverLogPath}`);
    });
    const authority = await waitForListening(server, 60_000);
    log(`code-server listening on ${authority}`);

    // 2. headless Chromium with a profile inside the temp root (so a leak scan can read it).
    this.context = await chromium.launchPersistentContext(dirs.browserProfile, {
      executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 }, timeout: 60_000,
      // Our own SIGINT/SIGTERM handlers clean up; Playwright's would exit before code-server is stopped.
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
    const page = this.context.pages()[0] ?? (await this.context.newPage());
    page.on('pageerror', (error) => log('page error:', String(error).split('\n')[0]));
    page.on('crash', () => void this.finish(EXIT_INFRASTRUCTURE, 'the workbench page crashed'));
    page.on('console', (message) => {
      if (o.verbose) console.log(`[browser:${message.type()}] ${message.text()}`);
    });
    if (o.verbose) {
      page.on('response', (response) => {
        if (response.status() >= 400) log(`HTTP ${response.status()} ${response.url()}`);
      });
      page.on('requestfailed', (request) => log(`request failed ${request.url()} ${request.failure()?.errorText ?? ''}`));
    }
    // VS Code calls these when an extensionTestsPath run ends (IAutomatedWindow).
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (/\b[1-9]\d* passing\b/.test(line)) this.passingSummary = line.trim();
      if (!o.verbose && OFFLINE_NOISE.test(line)) return;
      for (const l of line.split('\n')) console.log(type === 'error' ? `[vscode:error] ${l}` : l);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      void this.testsExited(typeof code === 'number' ? code : EXIT_INFRASTRUCTURE);
    });
    this.page = page;

    // 3. the workbench, with our extension under development and our test entry.
    const remote = (path: string): string => `vscode-remote://${authority}${path}`;
    this.workbenchUrl = (testsPath) => {
      const payload = JSON.stringify([
        ['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)],
        ['extensionTestsPath', remote(testsPath)],
        ['skipWelcome', 'true'],
      ]);
      return `http://${authority}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(payload)}`;
    };
    log(`opening the workbench (workspace ${dirs.workspace})`);
    await page.goto(this.workbenchUrl(o.extensionTestsPath), { timeout: 60_000, waitUntil: 'domcontentloaded' });
  }

  /**
   * A throw-away CA and server certificate for the https-through-a-proxy tests (test/integration/proxy.test.ts).
   * Node reads NODE_EXTRA_CA_CERTS only when a process starts, so the CA is made before code-server (whose
   * extension host inherits the variable); an existing NODE_EXTRA_CA_CERTS stays trusted too. Tests find the
   * files through STUDYTEAM_TEST_CA_DIR. Without openssl the variables are missing and those tests say so.
   */
  private testCertificateEnv(): NodeJS.ProcessEnv {
    try {
      const certificates = createTestCertificates({ dir: join(this.tempRoot, 'test-ca') });
      let bundle = certificates.caCert;
      const existing = process.env.NODE_EXTRA_CA_CERTS;
      if (existing && existsSync(existing)) bundle = `${readFileSync(existing, 'utf8').trim()}\n${bundle}`;
      const bundlePath = join(certificates.dir, 'extra-ca-bundle.pem');
      writeFileSync(bundlePath, bundle);
      return { NODE_EXTRA_CA_CERTS: bundlePath, STUDYTEAM_TEST_CA_DIR: certificates.dir };
    } catch (error) {
      log(`no test CA (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); the https proxy tests will fail`);
      return {};
    }
  }

  /** VS Code reported the end of a test run: reload into the second phase, or finish. */
  private async testsExited(code: number): Promise<void> {
    const afterReload = this.options.afterReloadTestsPath;
    if (this.phase === 1 && afterReload && this.page && this.workbenchUrl && !this.finished) {
      this.phase = 2;
      this.firstPhaseCode = code;
      log(`first phase ended (exit ${code}); reloading the window for the after-reload tests`);
      try {
        // Same page, profile, user-data-dir and workspace: a browser refresh of the window. No storage flush first, on
        // purpose: VS Code for the Web writes its open editors (and each webview's state) every 5 s when idle and
        // focused, on focus loss, and at unload as a best effort — and by now the extension host has exited
        // (codeAutomationExit comes after it stops), so the request panels' reviver is gone and any flush from here
        // on (idle, focus loss, Reload Window, unload) writes the editors *without* those panels. The tests can make
        // VS Code save while they run (a focus loss, test/integration/support/workbenchState.ts), not after. So which
        // panel tabs VS Code brings back varies from run to run, as for a user whose last save was lost; the extension
        // reopens from its own records the panels that do not come back (src/panel/panelRestore.ts), and the
        // after-reload tests check that they all do.
        await this.page.goto(this.workbenchUrl(afterReload), { timeout: 60_000, waitUntil: 'domcontentloaded' });
      } catch (error) {
        await this.finish(EXIT_INFRASTRUCTURE, `reloading the window failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    const final = this.firstPhaseCode !== 0 ? this.firstPhaseCode : code;
    await this.finish(final, this.phase === 2 ? `reported by VS Code (before reload: ${this.firstPhaseCode}, after: ${code})` : 'reported by VS Code');
  }

  get isFinished(): boolean {
    return this.finished;
  }

  async finish(code: number, why: string): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    if (code === 0 && !this.passingSummary) {
      code = EXIT_NO_TESTS;
      why += ' — but no "N passing" summary with N > 0 was seen: no test executed, treating the run as failed';
    }
    log(`finished: exit ${code} (${why})`);
    await this.cleanup();
    process.exit(code);
  }

  async screenshotOnTimeout(): Promise<void> {
    if (!this.page) return;
    const file = join(this.options.artifactsDir, 'timeout.png');
    try {
      await this.page.screenshot({ path: file, timeout: 5_000 });
      log(`screenshot at timeout: ${file}`);
    } catch {
      // best effort
    }
  }

  private async cleanup(): Promise<void> {
    const server = this.server;
    await Promise.race([this.context?.close().catch(() => undefined), sleep(5_000)]);
    await this.uiDriver?.stop().catch(() => undefined);
    await this.vault?.stop().catch(() => undefined);
    if (server?.pid !== undefined) {
      signalGroup(server.pid, 'SIGTERM');
      const deadline = Date.now() + 5_000;
      while (groupAlive(server.pid) && Date.now() < deadline) await sleep(100);
      if (groupAlive(server.pid)) signalGroup(server.pid, 'SIGKILL');
    }
    if (this.tempRoot && !this.options.keepTemp) rmSync(this.tempRoot, { recursive: true, force: true, maxRetries: 3 });
    else if (this.tempRoot) log(`kept temp files in ${this.tempRoot}`);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with "127.0.0.1:PORT" once code-server prints "HTTP server listening on http://…". */
function waitForListening(server: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolveListening, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within ${timeoutMs / 1000} s. Its output:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = /HTTP server listening on https?:\/\/([\d.]+:\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        server.stdout?.off('data', onData);
        resolveListening(match[1]);
      }
    };
    server.stdout?.on('data', onData);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const run = new RealVscodeRun(options);
  process.on('SIGINT', () => void run.finish(130, 'interrupted (SIGINT)'));
  process.on('SIGTERM', () => void run.finish(143, 'terminated (SIGTERM)'));
  setTimeout(() => {
    void run.screenshotOnTimeout().then(() => run.finish(EXIT_TIMEOUT, `timed out after ${options.timeoutSeconds} s`));
  }, options.timeoutSeconds * 1000).unref();
  try {
    await run.start();
  } catch (error) {
    if (run.isFinished) return; // interrupted or timed out while starting: already cleaning up
    console.error(`[harness] ${error instanceof Error ? error.message : String(error)}`);
    await run.finish(EXIT_INFRASTRUCTURE, 'the harness could not start the run');
  }
}

void main();
