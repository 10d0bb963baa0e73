// Builds every bundle with esbuild:
//   dist/extension.js          the extension (node, cjs, `vscode` external)
//   dist/webview/*.js          the request panel's webview bundle (browser) — when src/webview exists
//   dist/sandbox.js            the sandbox server CLI (node) used by `npm start` and the benchmark
//   dist/nodeFetch.js, dist/jsoncParser.js   node-fetch and jsonc-parser, loaded by dist/extension.js on first use
//   dist/sandboxServer.js, dist/bodySchemas.js, dist/collectionRunHost.js   loaded lazily by the extension (src/host/lazyModules.ts)
//   dist/converters/*.js       the import/export/curl converters and the examples, loaded lazily the same way
//   dist/studyteam-run.js      the headless collection runner (`bin`), no vscode
//   out/test/**.js             unit and integration tests, each bundled on its own (`vscode` external)
//   out/bench/bench.js         the benchmark
// Flags: --production (minify, no sourcemaps, no test hooks: __STUDYTEAM_TEST_HOOKS__ is false), --watch,
//   --dist=<dir> (only the dist bundles, written to <dir> instead of dist/; out/ is left alone — the benchmark
//   measures a production build this way while its own build in out/ runs), --analyze (print the inputs of
//   dist/extension.js, largest first: `node scripts/build.mjs --production --dist=/tmp/x --analyze`).
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const analyze = process.argv.includes('--analyze');
const distArg = process.argv.find((a) => a.startsWith('--dist='))?.slice('--dist='.length);
const root = new URL('..', import.meta.url).pathname;
const dist = distArg ? resolve(distArg) : join(root, 'dist');
if (distArg && !relative(dist, root).startsWith('..')) {
  // The directory is emptied first: never the repository or one of its parents.
  console.error(`build: --dist=${distArg} must not be the repository or contain it`);
  process.exit(2);
}

function filesUnder(dir, pattern) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out = [];
  for (const name of readdirSync(abs)) {
    const full = join(abs, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(relative(root, full), pattern));
    else if (pattern.test(name)) out.push(relative(root, full));
  }
  return out;
}

// Test hooks (the webview's window.__studyteam* objects, the panel's paint metrics) exist only in dev/test builds.
const define = { __STUDYTEAM_TEST_HOOKS__: String(!production) };

// node-fetch's multipart/form-data parser (~4.4 KB minified, with fetch-blob's file helpers) is reached only through
// Body.formData(), which nothing here calls (Response bodies are read with text()/arrayBuffer()/the stream). Its
// import resolves to a module that throws a clear error instead, so none of the node bundles carry it.
const FORM_DATA_ERROR = "formData() is not supported by StudyTeam's bundle";
const noMultipartParser = {
  name: 'no-node-fetch-multipart-parser',
  setup(build) {
    build.onResolve({ filter: /(^|\/)multipart-parser\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]node-fetch[\\/]/.test(args.importer) ? { path: 'node-fetch-multipart-parser', namespace: 'studyteam-stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'studyteam-stub' }, () => ({
      contents: `export async function toFormData() { throw new Error(${JSON.stringify(FORM_DATA_ERROR)}); }`,
      loader: 'js',
    }));
  },
};

// Libraries dist/extension.js needs only later, each a bundle of its own next to it (a lazy bundle has its own copy
// of what it imports, so only plain data and functions on it cross; nothing here is checked with `instanceof`):
// - node-fetch and its polyfills (~33 KB minified), needed from the first request on: src/core/http.ts requires it
//   then, and in dist/extension.js that require loads dist/nodeFetch.js (node-fetch's whole export object; only its
//   `default` function is used).
// - jsonc-parser (~12 KB), which locates JSON syntax errors and JSON paths (src/core/jsonLocation.ts): needed when
//   a body or requests.json fails to parse, or a problem is shown, not at activation. dist/extension.js gets
//   functions of the same names that load dist/jsoncParser.js on their first call. Importing anything else of
//   jsonc-parser in the extension fails the build ("No matching export") until it is added to JSONC_FUNCTIONS.
const JSONC_FUNCTIONS = ['findNodeAtLocation', 'parse', 'parseTree', 'printParseErrorCode', 'visit'];
const besideBundle = (file) => `require(require('node:path').join(__dirname, ${JSON.stringify(file)}))`;
const librariesBesideExtension = {
  name: 'libraries-beside-extension',
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: 'node-fetch', namespace: 'studyteam-lazy' }));
    // (The jsonc-parser alias of nodeCommon applies before plugins see the import.)
    build.onResolve({ filter: /^jsonc-parser(\/lib\/esm\/main\.js)?$/ }, () => ({ path: 'jsonc-parser', namespace: 'studyteam-lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'studyteam-lazy' }, (args) => ({
      contents:
        args.path === 'node-fetch'
          ? `module.exports = ${besideBundle('nodeFetch.js')};`
          : `let lib;\nconst load = () => (lib ??= ${besideBundle('jsoncParser.js')});\n` +
            JSONC_FUNCTIONS.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`).join('\n'),
      loader: 'js',
    }));
  },
};

const nodeCommon = {
  bundle: true,
  define,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // web-streams-polyfill (60 KB minified) is node-fetch's fallback for Node < 16.5, never loaded on the Node of
  // VS Code or of the runner (fetch-blob requires it only when globalThis.ReadableStream is missing).
  external: ['vscode', 'web-streams-polyfill', 'web-streams-polyfill/*'],
  // jsonc-parser's "main" is a UMD build whose inner requires esbuild cannot follow; its ESM build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  plugins: [noMultipartParser],
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [
  {
    ...nodeCommon,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: dist,
    minify: production,
    sourcemap: !production,
    metafile: true,
    plugins: [...nodeCommon.plugins, librariesBesideExtension],
  },
  {
    // node-fetch for dist/extension.js, loaded on the first request (see librariesBesideExtension).
    ...nodeCommon,
    entryPoints: { nodeFetch: 'node_modules/node-fetch/src/index.js' },
    outdir: dist,
    minify: production,
    sourcemap: !production,
  },
  {
    // The jsonc-parser functions dist/extension.js uses, loaded on the first call (see librariesBesideExtension).
    ...nodeCommon,
    stdin: { contents: `export { ${JSONC_FUNCTIONS.join(', ')} } from 'jsonc-parser';`, resolveDir: root, sourcefile: 'jsoncParser.js' },
    outfile: join(dist, 'jsoncParser.js'),
    minify: production,
    sourcemap: !production,
  },
  {
    ...nodeCommon,
    entryPoints: { sandbox: 'src/sandbox/cli.ts' },
    outdir: dist,
    sourcemap: !production,
  },
  {
    // Loaded by the extension on first use (src/host/lazyModules.ts), so dist/extension.js stays small.
    ...nodeCommon,
    entryPoints: {
      sandboxServer: 'src/sandbox/sandboxServer.ts',
      bodySchemas: 'src/core/bodySchemas.ts',
      collectionRunHost: 'src/testing/collectionRunHost.ts',
      // Import/export, Copy as curl and Add Examples: plain data in, plain data (or text) out.
      'converters/httpFile': 'src/core/httpFile.ts',
      'converters/postman': 'src/core/postman.ts',
      'converters/curl': 'src/core/curl.ts',
      'converters/studyTeamExamples': 'src/core/studyTeamExamples.ts',
    },
    outdir: dist,
    minify: production,
    sourcemap: !production,
  },
  {
    // The headless runner (`bin` studyteam-run): the core without VS Code.
    ...nodeCommon,
    entryPoints: { 'studyteam-run': 'src/cli/main.ts' },
    outdir: dist,
    minify: production,
    sourcemap: !production,
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (existsSync(join(root, 'src/webview'))) {
  // The request panel (panel.js/.css) and the Run Folder results view (runResults.js/.css).
  const entries = Object.fromEntries(Object.entries({ panel: 'src/webview/main.ts', runResults: 'src/webview/runResults/main.ts' }).filter(([, file]) => existsSync(join(root, file))));
  if (Object.keys(entries).length) {
    builds.push({
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      entryPoints: entries,
      outdir: join(dist, 'webview'),
      minify: production,
      sourcemap: !production,
      logLevel: 'warning',
      absWorkingDir: root,
      loader: { '.css': 'css' },
      define,
    });
  }
}

if (!production && !distArg) {
  const testEntries = [
    ...filesUnder('test/unit', /\.test\.ts$/),
    ...filesUnder('test/integration', /\.ts$/),
    ...filesUnder('test/harness', /\.ts$/),
  ].filter((f) => !f.endsWith('.d.ts'));
  if (testEntries.length) {
    builds.push({ ...nodeCommon, entryPoints: testEntries, outbase: 'test', outdir: 'out/test', sourcemap: true, external: ['vscode', 'mocha', 'playwright-core'] });
  }
  const benchEntries = filesUnder('test/bench', /\.ts$/);
  if (benchEntries.length) {
    builds.push({ ...nodeCommon, entryPoints: benchEntries, outbase: 'test/bench', outdir: 'out/bench', sourcemap: true });
  }
}

if (!watch) {
  if (!distArg) rmSync(join(root, 'out'), { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
}

const present = builds.filter((b) => Object.values(b.entryPoints ?? {}).every((e) => existsSync(join(root, e))));
if (watch) {
  for (const b of present) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('build: watching for changes');
} else {
  const results = await Promise.all(present.map((b) => esbuild.build(b)));
  if (existsSync(join(dist, 'studyteam-run.js'))) chmodSync(join(dist, 'studyteam-run.js'), 0o755);
  const meta = results[0]?.metafile;
  if (meta) {
    const bytes = Object.values(meta.outputs).reduce((n, o) => n + o.bytes, 0);
    console.log(`build: ${present.length} bundles${production ? ' (production)' : ''}; dist/extension.js ${(bytes / 1024).toFixed(0)} KB incl. maps`);
    if (analyze) console.log(await esbuild.analyzeMetafile(meta));
  }
}
