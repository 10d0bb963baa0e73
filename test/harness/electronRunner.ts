// `npm run test:electron`: the same integration suite (out/test/integration/index.js) in desktop VS Code
// via @vscode/test-electron, for developers whose machine can download VS Code (or has one: set
// VSCODE_EXECUTABLE_PATH). VS Code version: STUDYTEAM_VSCODE_VERSION (default 1.100.3, our engines floor;
// "stable" for the newest). There is no UI driver here: tests that need one skip themselves.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const root = resolve(__dirname, '..', '..', '..'); // out/test/harness → repo
  const extensionTestsPath = join(root, 'out', 'test', 'integration', 'index.js');
  if (!existsSync(extensionTestsPath)) {
    console.error(`electronRunner: ${extensionTestsPath} is missing — run \`npm run build\` first.`);
    return 2;
  }
  const temp = mkdtempSync(join(tmpdir(), 'studyteam-electron-'));
  const userData = join(temp, 'user-data');
  const workspace = join(temp, 'workspace');
  const fixture = join(root, 'test', 'fixtures', 'workspace');
  if (existsSync(fixture)) cpSync(fixture, workspace, { recursive: true });
  else mkdirSync(workspace, { recursive: true });
  const artifacts = join(root, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  try {
    await runTests({
      version: process.env.STUDYTEAM_VSCODE_VERSION ?? '1.100.3',
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${userData}`, `--extensions-dir=${join(temp, 'extensions')}`],
      extensionTestsEnv: {
        STUDYTEAM_TEST_USER_DATA_DIR: userData,
        STUDYTEAM_TEST_WORKSPACE: workspace,
        STUDYTEAM_TEST_ARTIFACTS: artifacts,
        STUDYTEAM_TEST_TEMP_ROOT: temp,
        STUDYTEAM_TEST_HOST: 'electron',
      },
    });
    return 0;
  } catch (error) {
    console.error(`electronRunner: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    rmSync(temp, { recursive: true, force: true, maxRetries: 3 });
  }
}

void main().then((code) => process.exit(code));
