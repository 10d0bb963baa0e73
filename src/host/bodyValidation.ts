// Request bodies checked against the shipped schemas, for the host's features (Run, Run Folder, the panel).
// The route match is cheap and always bundled; the validator is loaded on the first request that matches.
import { bodySchemaRouteFor } from '../core/bodySchemaRoutes';
import type { SchemaCheck } from '../core/bodySchemas';
import type { SchemaValidator } from '../core/checkEvaluation';
import { bodySchemasModule } from './lazyModules';

/** The schema check of a request's body, or undefined when its method and path have no schema (or no body). */
export function checkRequestBody(request: { readonly method: string; readonly url: string; readonly body?: string }): SchemaCheck | undefined {
  if (request.body === undefined || request.body.trim() === '' || !bodySchemaRouteFor(request.method, request.url)) return undefined;
  return bodySchemasModule().validateAgainstSchemaFor(request.method, request.url, request.body);
}

/** The "schema" check's validator for checks in the extension (the validator loads only for a matching request). */
export const schemaValidatorForChecks: SchemaValidator = (request) =>
  bodySchemaRouteFor(request.method, request.url) ? bodySchemasModule().schemaCheckOf(request) : { known: false };
