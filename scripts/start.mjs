// npm start: opens a real VS Code with the extension loaded and the local StudyTeam sandbox running.
// - Desktop VS Code when `code` is on PATH: `code --extensionDevelopmentPath=<repo> <workspace>`.
// - Otherwise (or with --web): the code-server workbench (a real VS Code server, installed on demand into
//   test/realVscode) served on 127.0.0.1; the URL is printed. Open it in a browser. Ctrl+C stops everything.
// The extension starts the sandbox itself when STUDYTEAM_AUTOSTART_SANDBOX=1 (set here).
// Flags: --web (force code-server), --port N, --screenshot FILE (headless: open the workbench in Chromium,
// wait for the sandbox to be active, save a screenshot, exit — used for the README image and as a smoke check).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const value = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const stateDir = join(tmpdir(), 'studyteam-vscode-playground');
const workspace = join(stateDir, 'workspace');
mkdirSync(workspace, { recursive: true });
const env = { ...process.env, STUDYTEAM_AUTOSTART_SANDBOX: '1' };
const screenshot = value('screenshot');

const codeOnPath = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
if (codeOnPath && !flag('web') && !screenshot) {
  console.log(`start: desktop VS Code (${codeOnPath}) with the extension from ${root}; the sandbox starts inside it.`);
  const child = spawn(codeOnPath, ['--new-window', `--extensionDevelopmentPath=${root}`, workspace], { env, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  await startWeb();
}

async function startWeb() {
  const install = spawnSync('bash', [join(root, 'scripts', 'installRealVscode.sh')], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
  const harness = join(root, 'test', 'realVscode');
  const port = Number(value('port') ?? (await freePort()));
  const authority = `127.0.0.1:${port}`;
  writeFileSync(join(workspace, 'README.md'), '# StudyTeam playground\n\nThe local sandbox is running: see the status bar and the StudyTeam view.\n');
  const server = spawn(
    process.execPath,
    [
      join(harness, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
      '--auth', 'none', '--bind-addr', authority,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
      '--user-data-dir', join(stateDir, 'user-data'), '--extensions-dir', join(stateDir, 'extensions'),
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.on('SIGINT', () => (stop(), process.exit(130)));
  process.on('SIGTERM', () => (stop(), process.exit(143)));
  process.on('exit', stop);
  await new Promise((resolveListening, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      if (seen.includes('HTTP server listening on')) resolveListening();
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`code-server exited (${code}):\n${seen}`)));
    setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${seen}`)), 60_000).unref();
  });
  const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${authority}${root}`], ['skipWelcome', 'true']]);
  const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
  console.log(`\nstart: VS Code (code-server) with the StudyTeam extension and the local sandbox:\n\n  ${url}\n\nOpen it in a browser on this machine. Ctrl+C stops it.\n`);
  if (!screenshot) return;

  const require = createRequire(join(harness, 'package.json'));
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url);
    await page.locator('#workbench\\.parts\\.statusbar', { hasText: 'Sandbox (local)' }).waitFor({ timeout: 90_000 });
    const activity = page.locator('.activitybar [aria-label^="StudyTeam"]').first();
    if (await activity.count()) await activity.click();
    await page.waitForTimeout(1500);
    const file = resolve(screenshot);
    await page.screenshot({ path: file });
    console.log(`start: the sandbox is active in the workbench; screenshot written to ${file}`);
  } finally {
    await browser.close();
    stop();
  }
  process.exit(0);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
    probe.on('error', reject);
  });
}

if (!existsSync(join(root, 'dist', 'extension.js'))) {
  console.error('start: dist/extension.js is missing — run `npm run build` (npm start does).');
}
