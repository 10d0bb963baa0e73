// Modules the extension loads only when first needed, from bundles of their own next to dist/extension.js,
// so activation and dist/extension.js stay small (the 250 KB budget): the local sandbox server (only when a
// sandbox starts), the body-schema validator (only when a request matches a schema route) and collection runs
// (src/testing/collectionRunHost.ts), and the converters of Import/Export Requests, Copy as curl and Add Examples.
// The build (scripts/build.mjs) writes dist/sandboxServer.js, dist/bodySchemas.js, dist/collectionRunHost.js and
// dist/converters/*.js. (node-fetch, required by src/core/http.ts on the first request, is dist/nodeFetch.js the
// same way: the build resolves that require in dist/extension.js to it; jsonc-parser, which src/core/jsonLocation.ts
// calls, is dist/jsoncParser.js, loaded on the first call.)
// A lazy bundle holds its own copy of every module it imports, so only plain data (and functions on it) may cross
// the boundary: no class whose `instanceof` the extension checks, no module state the extension shares.
import { join } from 'node:path';
import type * as BodySchemasModule from '../core/bodySchemas';
import type * as CurlModule from '../core/curl';
import type * as HttpFileModule from '../core/httpFile';
import type * as PostmanModule from '../core/postman';
import type * as StudyTeamExamplesModule from '../core/studyTeamExamples';
import type * as SandboxServerModule from '../sandbox/sandboxServer';
import type * as CollectionRunHostModule from '../testing/collectionRunHost';

/** A getter that loads `file` (next to this bundle) on its first call and returns the same module afterwards. */
function lazy<T>(file: string): () => T {
  let loaded: T | undefined;
  // A computed path: esbuild leaves this require alone, Node resolves it next to this bundle at run time.
  return () => (loaded ??= require(join(__dirname, file)) as T);
}

export const sandboxServerModule = lazy<typeof SandboxServerModule>('sandboxServer.js');

export const bodySchemasModule = lazy<typeof BodySchemasModule>('bodySchemas.js');

/** Collection runs: Run Folder, the Test Explorer, a single run's checks, Add Go-live Checklist. */
export const collectionRunHostModule = lazy<typeof CollectionRunHostModule>('collectionRunHost.js');

/** The .http import and export (Import Requests, Export Requests). */
export const httpFileModule = lazy<typeof HttpFileModule>('converters/httpFile.js');

/** The Postman collection v2.1 import and export. */
export const postmanModule = lazy<typeof PostmanModule>('converters/postman.js');

/** curl commands: Copy as curl, and the curl import. */
export const curlModule = lazy<typeof CurlModule>('converters/curl.js');

/** The StudyTeam example requests (Add Examples). */
export const studyTeamExamplesModule = lazy<typeof StudyTeamExamplesModule>('converters/studyTeamExamples.js');
