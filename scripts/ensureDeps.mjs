// `prestart` / `pretest`: on a fresh clone (or after package-lock.json changed) install the extension's own
// dependencies with `npm ci`, so `npm start` and `npm test` are the only two commands a new machine needs.
// Uses only Node built-ins; does nothing when node_modules matches the lock file.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');

const fresh = existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
if (!fresh) {
  console.log('ensureDeps: installing the dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`ensureDeps: npm ci failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}
