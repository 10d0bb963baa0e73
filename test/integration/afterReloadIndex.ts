// Test entry of the harness's second phase (runRealVscode --after-reload-tests): after the first run ended, the
// harness reopened the same workbench (same user-data-dir, browser profile and workspace — a window reload),
// and VS Code calls run() here. It runs only afterReload.test.js, which checks what survived the reload and
// scans everything the whole session wrote.
import { join } from 'node:path';
import Mocha from 'mocha';
import { AFTER_RELOAD_PHASE } from './support/afterReloadPhase';

export function run(): Promise<void> {
  (globalThis as Record<string, unknown>)[AFTER_RELOAD_PHASE] = true;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.addFile(join(__dirname, 'afterReload.test.js'));
  console.log('integration (after reload): afterReload.test.js');
  return new Promise((resolveRun, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} after-reload test${failures === 1 ? '' : 's'} failed.`)) : resolveRun()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
