// npm run package: production build, then an offline .vsix with @vscode/vsce (dependencies are bundled by
// esbuild, so --no-dependencies). Prints the size and what it holds, and fails above the 400 KB budget.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${pkg.name}-${pkg.version}.vsix`);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, [join(root, 'scripts/build.mjs'), '--production']);
run(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', out]);
const listing = execFileSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
const files = listing.trim().split('\n');
const bad = files.filter((f) => /^(src|test|node_modules|out)\//.test(f) || f.endsWith('.map'));
// Every bundle the extension loads later (src/host/lazyModules.ts: load<…>('name.js'), and the libraries
// scripts/build.mjs moves out of dist/extension.js) must be in the package.
const lazy = [...readFileSync(join(root, 'src/host/lazyModules.ts'), 'utf8').matchAll(/\bload<[^>]*>\('([^']+)'\)/g)].map((m) => `dist/${m[1]}`);
lazy.push('dist/nodeFetch.js', 'dist/jsoncParser.js');
const missing = lazy.filter((f) => !files.includes(f));
const kb = statSync(out).size / 1024;
console.log(`package: ${out.slice(root.length)} ${kb.toFixed(1)} KB, ${files.length} files: ${files.join(', ')}`);
if (bad.length) {
  console.error(`package: must not contain ${bad.join(', ')}`);
  process.exit(1);
}
if (lazy.length === 0 || missing.length) {
  console.error(`package: lazily loaded bundles missing from the package: ${missing.join(', ') || 'none found in src/host/lazyModules.ts'} (see .vscodeignore)`);
  process.exit(1);
}
if (kb > 400) {
  console.error(`package: ${kb.toFixed(1)} KB is over the 400 KB budget`);
  process.exit(1);
}
