// Test entry of the harness's second phase (runRealVscode --after-reload-tests): after the first run ended, the
// harness reopened the same workbench (same user-data-dir, browser profile and workspace — a window reload),
// and VS Code calls run() here. It runs only the afterReload*.test.js files, which check what survived the
// reload and scan everything the whole session wrote.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { AFTER_RELOAD_PHASE } from './support/afterReloadPhase';

export function run(): Promise<void> {
  (globalThis as Record<string, unknown>)[AFTER_RELOAD_PHASE] = true;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const files = readdirSync(__dirname).filter((f) => /^afterReload.*\.test\.js$/.test(f)).sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  console.log(`integration (after reload): ${files.join(', ')}`);
  return new Promise((resolveRun, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} after-reload test${failures === 1 ? '' : 's'} failed.`)) : resolveRun()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
