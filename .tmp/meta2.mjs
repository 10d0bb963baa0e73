import * as esbuild from 'esbuild';
const r = await esbuild.build({ entryPoints: ['src/extension.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'web-streams-polyfill', 'web-streams-polyfill/*'], alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' }, minify: true, write: false, metafile: true, define: { __STUDYTEAM_TEST_HOOKS__: 'false' }, absWorkingDir: process.cwd() });
const out = Object.values(r.metafile.outputs)[0];
console.log('total', r.outputFiles[0].contents.length);
const files = Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 400);
for (const [f, v] of files) console.log(String(v.bytesInOutput).padStart(8), f);
