// Runs the integration tests in a real VS Code (code-server + headless Chromium): installs the harness
// on demand (scripts/installRealVscode.sh, cached in test/realVscode), then runs the built runner
// out/test/harness/runRealVscode.js. Expects `npm run build` to have run (npm run test:integration does).
// Extra arguments pass through to the runner: --verbose, --timeout SECONDS, --keep-temp, --workspace DIR.
// STUDYTEAM_TEST_GREP=<pattern> runs only matching tests. The exit code is the runner's.
// Reload phase: when out/test/integration/afterReloadIndex.js exists, the runner then reloads the window and
// runs the after-reload tests (state survived, leak scan of everything written). Skipped when a grep is set
// that cannot select the safety tests, or with --no-reload-phase.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { constants } from 'node:os';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const artifacts = join(root, 'test-artifacts');
const runner = join(root, 'out', 'test', 'harness', 'runRealVscode.js');
const testsEntry = join(root, 'out', 'test', 'integration', 'index.js');
const afterReloadEntry = join(root, 'out', 'test', 'integration', 'afterReloadIndex.js');
const started = Date.now();

const install = spawnSync('bash', [join(root, 'scripts', 'installRealVscode.sh')], { stdio: 'inherit' });
if (install.status !== 0) {
  console.error(`runIntegrationTests: installing code-server/Chromium failed (exit ${install.status ?? install.signal}).`);
  process.exit(2);
}
for (const file of [runner, testsEntry]) {
  if (!existsSync(file)) {
    console.error(`runIntegrationTests: ${file} is missing — run \`npm run build\` first.`);
    process.exit(2);
  }
}

const grep = process.env.STUDYTEAM_TEST_GREP;
const args = process.argv.slice(2);
const reloadPhase = !args.includes('--no-reload-phase') && existsSync(afterReloadEntry) && (!grep || /safety|reload|leak/i.test(grep));
const child = spawn(process.execPath, [
  runner,
  ...(reloadPhase ? ['--after-reload-tests', afterReloadEntry] : []),
  '--extensionDevelopmentPath', root,
  '--extensionTestsPath', testsEntry,
  '--harness-dir', join(root, 'test', 'realVscode'),
  '--artifacts', artifacts,
  ...args.filter((a) => a !== '--no-reload-phase'),
], { stdio: 'inherit' });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  const exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`runIntegrationTests: exit ${exitCode} after ${seconds} s; artifacts (screenshots, code-server.log) in ${artifacts}`);
  process.exit(exitCode);
});
