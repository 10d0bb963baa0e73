// Writes schemas/requests.schema.json from scripts/requestsFileSchema.ts (the file format, the body schemas made
// placeholder-tolerant, the routes of src/core/bodySchemaRoutes.ts). `--check`: only compare, exit 1 when the
// committed file is stale. Run after changing a body schema, a route or the file format: `npm run schemas`.
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const target = join(root, 'schemas/requests.schema.json');
const check = process.argv.includes('--check');

const dir = mkdtempSync(join(tmpdir(), 'studyteam-schema-'));
try {
  const bundle = join(dir, 'requestsFileSchema.mjs');
  await esbuild.build({
    entryPoints: [join(root, 'scripts/requestsFileSchema.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
  });
  const { requestsFileSchemaText } = await import(pathToFileURL(bundle).href);
  const text = requestsFileSchemaText();
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // not written yet
  }
  if (check) {
    if (current !== text) {
      console.error('schemas/requests.schema.json is out of date: run `npm run schemas` and commit it.');
      process.exitCode = 1;
    } else console.log('schemas/requests.schema.json is up to date.');
  } else if (current === text) {
    console.log('schemas/requests.schema.json is up to date.');
  } else {
    writeFileSync(target, text);
    console.log(`wrote schemas/requests.schema.json (${Buffer.byteLength(text)} bytes)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
