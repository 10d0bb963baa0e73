// The standard VS Code test entry (extensionTestsPath): VS Code loads this module inside the extension
// host and calls run(). It runs mocha over every out/test/integration/**/*.test.js and rejects when a
// test failed or none ran. Mocha's output goes to the console, which the harness echoes.
// STUDYTEAM_TEST_GREP (optional) limits the run to tests whose full title matches it. beforeReload.test.js runs
// last: it leaves the window as the harness's reload phase expects it. The run starts a fresh figures.json
// (test-artifacts), which the tests that measure something merge their figures into.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Mocha from 'mocha';
import { figuresPath } from './support/safety';

const LAST = 'beforeReload.test.js';

function testFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) files.push(...testFilesUnder(full));
    else if (name.endsWith('.test.js')) files.push(full);
  }
  return files;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.STUDYTEAM_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = testFilesUnder(__dirname).sort((a, b) => Number(basename(a) === LAST) - Number(basename(b) === LAST));
  for (const file of files) mocha.addFile(file);
  rmSync(figuresPath(), { force: true });
  console.log(`integration: ${files.length} test files in ${__dirname}`);
  return new Promise((resolveRun, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed.`));
        else resolveRun();
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
