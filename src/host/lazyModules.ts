// Modules the extension loads only when first needed, from bundles of their own next to dist/extension.js,
// so activation and dist/extension.js stay small (the 250 KB budget): the local sandbox server (only when a
// sandbox starts), the body-schema validator (only when a request matches a schema route) and collection runs
// (src/testing/collectionRunHost.ts). The build (scripts/build.mjs) writes dist/sandboxServer.js,
// dist/bodySchemas.js and dist/collectionRunHost.js.
import { join } from 'node:path';
import type * as BodySchemasModule from '../core/bodySchemas';
import type * as SandboxServerModule from '../sandbox/sandboxServer';
import type * as CollectionRunHostModule from '../testing/collectionRunHost';

let sandboxModule: typeof SandboxServerModule | undefined;
let schemasModule: typeof BodySchemasModule | undefined;
let collectionModule: typeof CollectionRunHostModule | undefined;

function load<T>(file: string): T {
  // A computed path: esbuild leaves this require alone, Node resolves it next to this bundle at run time.
  return require(join(__dirname, file)) as T;
}

export function sandboxServerModule(): typeof SandboxServerModule {
  return (sandboxModule ??= load<typeof SandboxServerModule>('sandboxServer.js'));
}

export function bodySchemasModule(): typeof BodySchemasModule {
  return (schemasModule ??= load<typeof BodySchemasModule>('bodySchemas.js'));
}

/** Collection runs: Run Folder, the Test Explorer, a single run's checks, Add Go-live Checklist. */
export function collectionRunHostModule(): typeof CollectionRunHostModule {
  return (collectionModule ??= load<typeof CollectionRunHostModule>('collectionRunHost.js'));
}
