import * as esbuild from 'esbuild';
const r = await esbuild.build({ entryPoints: ['src/extension.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], minify: true, write: false, metafile: true, define: { __STUDYTEAM_TEST_HOOKS__: 'false' }, absWorkingDir: process.cwd() });
const out = Object.values(r.metafile.outputs)[0];
console.log('total', r.outputFiles[0].contents.length);
const groups = {};
for (const [f, v] of Object.entries(out.inputs)) {
  const key = f.startsWith('node_modules/') ? f.split('/').slice(0, f.split('/')[1].startsWith('@') ? 3 : 2).join('/') : f.split('/').slice(0, 2).join('/');
  groups[key] = (groups[key] ?? 0) + v.bytesInOutput;
}
for (const [k, v] of Object.entries(groups).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(String(v).padStart(8), k);
