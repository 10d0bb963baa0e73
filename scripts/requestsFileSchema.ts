// Builds schemas/requests.schema.json, the schema VS Code's JSON editor uses for .studyteam/requests.json
// (package.json contributes.jsonValidation): the file format (versions 1 to 3) written here, plus the request-body
// schemas (schemas/createReferral.v1.schema.json, …) applied to "body" by method and URL with if/then, so a saved
// referral body edited by hand gets completion, hover docs and problems.
//
// Generated, never edited by hand: `npm run schemas` writes it (scripts/generateRequestsSchema.mjs), and a unit test
// fails when the committed file differs from what this module builds. Two transformations keep it in step with the
// extension's own checks:
//   - the routes: each BODY_SCHEMA_ROUTES path RegExp (matched by bodySchemaRouteFor against the path of the URL)
//     becomes a pattern on the whole "url" string as typed — absolute, relative, with {{baseUrl}}, with a query;
//   - placeholders: the panel's validator does not judge a string value holding "{{" (a variable, known at send
//     time), so every value position of the body schemas becomes anyOf [the original, a placeholder string].
// The body schemas are inlined (their definitions renamed "<schema id>.<name>"): one self-contained file, and the
// tolerant copies must not replace the originals the panel and Run use.
import createReferralSchema from '../schemas/createReferral.v1.schema.json';
import updateReferralSubjectSchema from '../schemas/updateReferralSubject.v1.schema.json';
import { BODY_SCHEMA_ROUTES, type BodySchemaId, type BodySchemaRoute } from '../src/core/bodySchemaRoutes';
import { HTTP_METHODS } from '../src/core/model';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const BODY_SCHEMAS: Record<BodySchemaId, JsonObject> = {
  'createReferral.v1': createReferralSchema as unknown as JsonObject,
  'updateReferralSubject.v1': updateReferralSubjectSchema as unknown as JsonObject,
};

const PLACEHOLDER_REF = '#/definitions/placeholder';

// ---------------------------------------------------------------------------------------------------
// Routes: method + URL pattern

const SCHEME = '[A-Za-z][A-Za-z0-9+.-]*://';

/**
 * The JSON-schema pattern (ECMAScript, `u` flag) that matches a whole request URL exactly when
 * bodySchemaRouteFor's requestPath(url) matches `route.pattern`: surrounding whitespace trimmed; an absolute
 * URL's scheme and host dropped; a relative URL read as starting with "/"; query and fragment ignored.
 * `route.pattern` must be a path suffix: start with "\/", end with "$", and say "[^/]" for a path segment.
 */
export function urlPatternOf(route: Pick<BodySchemaRoute, 'id' | 'pattern'>): string {
  const source = route.pattern.source;
  if (!source.startsWith('\\/') || !source.endsWith('$') || route.pattern.flags !== '') {
    throw new Error(`route ${route.id}: its pattern must look like /\\/path…$/ without flags (got /${source}/${route.pattern.flags})`);
  }
  const path = source
    .slice(2, -1)
    .replace(/\\\//g, '/')
    // a segment stops at "/" in the path; in the whole URL also at the query or fragment
    .replace(/\[\^\/\]/g, '[^/?#]');
  if (/[.^$]/.test(path.replace(/\\./g, '').replace(/\[[^\]]*\]/g, ''))) {
    throw new Error(`route ${route.id}: "." or an anchor inside the path pattern would match across the query; use [^/] segments`);
  }
  // After an absolute URL's scheme://host, or after nothing (the path's "/" is implied) — never inside a scheme://.
  const prefix = `^\\s*(?:${SCHEME}[^/?#]*[^?#]*/|(?!${SCHEME})(?:[^?#]*/)?)`;
  const suffix = '(?:[?#][\\s\\S]*)?\\s*$';
  return `${prefix}${path}${suffix}`;
}

function routeRule(route: BodySchemaRoute): JsonObject {
  return {
    if: {
      required: ['method', 'url'],
      properties: { method: { const: route.method }, url: { type: 'string', pattern: urlPatternOf(route) } },
    },
    then: {
      properties: {
        body: {
          $comment: 'A string body is raw text: not checked.',
          if: { type: 'string' },
          else: { $ref: `#/definitions/${route.id}` },
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Body schemas: inlined and placeholder-tolerant

/** Keywords that only annotate (kept on the anyOf wrapper so hover shows them). */
const ANNOTATIONS = ['title', 'description', 'markdownDescription'];
/** Keywords whose value is a schema applied to the same value (no new value position). */
const IN_PLACE = ['not', 'if', 'then', 'else'];
const IN_PLACE_LISTS = ['allOf', 'anyOf', 'oneOf'];
/** Keywords whose value is a map of schemas applied to property values (value positions). */
const PROPERTY_MAPS = ['properties', 'patternProperties'];
/** Keywords whose value is a schema (or list) applied to items or property values (value positions). */
const VALUE_SCHEMAS = ['items', 'additionalItems', 'additionalProperties'];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "#/definitions/x" and "createReferral.v1.schema.json#/definitions/x" → a pointer into the combined file. */
function rewriteRef(ref: string, owner: BodySchemaId): string {
  const hash = ref.indexOf('#');
  const file = hash < 0 ? ref : ref.slice(0, hash);
  const pointer = hash < 0 ? '' : ref.slice(hash + 1);
  const target = file === '' ? owner : (Object.keys(BODY_SCHEMAS) as BodySchemaId[]).find((id) => file === `${id}.schema.json`);
  if (!target) throw new Error(`${owner}: $ref "${ref}" names no known body schema`);
  if (pointer === '' || pointer === '/') return `#/definitions/${target}`;
  const def = /^\/definitions\/([^/]+)$/.exec(pointer);
  if (!def) throw new Error(`${owner}: $ref "${ref}" must point at the schema or one of its definitions`);
  return `#/definitions/${target}.${def[1]}`;
}

/** True when every string is valid against `schema` (nothing to tolerate). */
function acceptsAnyString(schema: Json): boolean {
  if (schema === true) return true;
  if (!isObject(schema)) return false;
  const constraints = Object.keys(schema).filter((k) => !ANNOTATIONS.includes(k) && k !== '$comment');
  return constraints.length === 0 || (constraints.length === 1 && schema.type === 'string');
}

/** `schema` at a value position: anyOf [the tolerant original, a placeholder] unless any string passes anyway. */
function valuePosition(schema: Json, owner: BodySchemaId): Json {
  const inner = tolerant(schema, owner, true);
  if (acceptsAnyString(schema) || !isObject(inner)) return inner;
  const wrapper: JsonObject = {};
  const original: JsonObject = {};
  for (const [key, value] of Object.entries(inner)) (ANNOTATIONS.includes(key) ? wrapper : original)[key] = value;
  wrapper.anyOf = [original, { $ref: PLACEHOLDER_REF }];
  return wrapper;
}

/**
 * A copy of `schema` with $refs pointing into the combined file and, when `positions`, every value position
 * tolerant of placeholders. Inside "if" and "not" nothing is loosened: a placeholder must not make a condition
 * true (e.g. "system": "{{s}}" must not switch on the e-mail rule) or a forbidden shape acceptable.
 */
function tolerant(schema: Json, owner: BodySchemaId, positions: boolean): Json {
  if (!isObject(schema)) return schema;
  /** A schema applied to a value inside this one (a property value, an item). */
  const nested = (sub: Json): Json => (positions ? valuePosition(sub, owner) : tolerant(sub, owner, false));
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === '$id' || key === 'definitions') continue;
    if (key === '$ref' && typeof value === 'string') out[key] = rewriteRef(value, owner);
    else if (PROPERTY_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, nested(sub)]));
    } else if (VALUE_SCHEMAS.includes(key) && (isObject(value) || Array.isArray(value))) {
      out[key] = Array.isArray(value) ? value.map(nested) : nested(value);
    } else if (IN_PLACE.includes(key)) out[key] = tolerant(value, owner, positions && key !== 'if' && key !== 'not');
    else if (IN_PLACE_LISTS.includes(key) && Array.isArray(value)) out[key] = value.map((sub) => tolerant(sub, owner, positions));
    else out[key] = value;
  }
  return out;
}

/** The definitions a body schema adds to the combined file: "<id>" (its root) and "<id>.<name>" per definition. */
function bodyDefinitions(id: BodySchemaId): Array<[string, Json]> {
  const schema = BODY_SCHEMAS[id];
  const out: Array<[string, Json]> = [[id, tolerant(schema, id, true)]];
  const definitions = schema.definitions;
  if (isObject(definitions)) for (const [name, sub] of Object.entries(definitions)) out.push([`${id}.${name}`, tolerant(sub, id, true)]);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The file format

const VERSION_2_NEEDED = 'needs "version": 2 (or 3) at the top of the file.';
const VERSION_3_NEEDED = 'needs "version": 3 at the top of the file.';

/** Versions 1 and 2 stored every body as a string and had no "bodyLines"; version 1 had no checks or captures. */
function olderVersionNode(version: 1 | 2): JsonObject {
  const request: JsonObject = {
    properties: {
      body: { type: 'string', errorMessage: `A JSON "body" (not a string) ${VERSION_3_NEEDED}` },
      bodyLines: { not: {}, errorMessage: `"bodyLines" ${VERSION_3_NEEDED}` },
      ...(version === 1 && {
        expect: { not: {}, errorMessage: `"expect" ${VERSION_2_NEEDED}` },
        capture: { not: {}, errorMessage: `"capture" ${VERSION_2_NEEDED}` },
      }),
    },
  };
  return {
    $comment: `What a version ${version} file may not hold, on top of #/definitions/node.`,
    if: { required: ['kind'], properties: { kind: { const: 'folder' } } },
    then: { properties: { children: { items: { $ref: `#/definitions/v${version}.node` } } } },
    else: request,
  };
}

function fileFormatDefinitions(): JsonObject {
  return {
    node: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { enum: ['request', 'folder'], enumDescriptions: ['A saved API call.', 'A folder of requests and folders.'] } },
      if: { properties: { kind: { const: 'folder' } } },
      then: { $ref: '#/definitions/folder' },
      else: { $ref: '#/definitions/request' },
    },
    folder: {
      title: 'Folder',
      type: 'object',
      required: ['kind', 'id', 'name', 'children'],
      additionalProperties: false,
      properties: {
        kind: { const: 'folder' },
        id: { type: 'string', minLength: 1, description: 'Stable id (never changes on save); unique in the file.' },
        name: { type: 'string', minLength: 1, description: 'The name shown in the Requests view.' },
        children: { type: 'array', items: { $ref: '#/definitions/node' }, description: 'Requests and folders inside, in order.' },
      },
    },
    request: {
      title: 'Saved request',
      type: 'object',
      required: ['kind', 'id', 'name', 'method', 'url', 'auth'],
      additionalProperties: false,
      properties: {
        kind: { const: 'request' },
        id: { type: 'string', minLength: 1, description: 'Stable id (never changes on save); unique in the file.' },
        name: { type: 'string', minLength: 1, description: 'The name shown in the Requests view.' },
        description: { type: 'string' },
        method: { enum: [...HTTP_METHODS] },
        url: {
          type: 'string',
          minLength: 1,
          description: 'A path relative to the environment\'s base URL ("/rpi/sites") or an absolute URL. {{variables}} allowed.',
        },
        auth: {
          enum: ['bearer', 'none'],
          enumDescriptions: ['The extension sends the environment\'s token.', 'No Authorization header (e.g. the microsites call).'],
          description: 'bearer: the extension sends the environment\'s token. none: no Authorization header (e.g. the microsites call).',
        },
        query: { $ref: '#/definitions/keyValues' },
        headers: { $ref: '#/definitions/keyValues' },
        body: {
          type: ['object', 'array', 'string'],
          description:
            'A JSON body, as JSON (version 3; written when the body is JSON in 2-space form). {{variables}} go inside strings. ' +
            'A string is read as the body text (how versions 1 and 2 stored every body). ' +
            'A create-referral or update-subject body is checked against its schema.',
          errorMessage: '"body" must be a JSON object or array, or text in a string; for any other body write "bodyLines".',
        },
        bodyLines: {
          type: 'array',
          items: { type: 'string' },
          description: 'Any other body (text, form data, JSON not in 2-space form or with an unquoted {{placeholder}}), one string per line (version 3).',
        },
        expect: { type: 'array', items: { $ref: '#/definitions/check' }, description: 'Checks on the response (version 2).' },
        capture: { type: 'array', items: { $ref: '#/definitions/capture' }, description: 'Values taken from the response for later requests (version 2).' },
      },
      allOf: [
        {
          if: { required: ['bodyLines'] },
          then: { properties: { body: { not: {}, errorMessage: 'Keep one of "body" (a JSON object or array) and "bodyLines" (any other text), not both.' } } },
        },
        ...BODY_SCHEMA_ROUTES.map(routeRule),
      ],
    },
    keyValues: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'value'],
        additionalProperties: false,
        properties: { name: { type: 'string' }, value: { type: 'string' }, enabled: { type: 'boolean', description: 'false: kept but not sent.' } },
      },
    },
    check: {
      type: 'object',
      required: ['kind', 'op'],
      additionalProperties: false,
      properties: {
        kind: { enum: ['status', 'responseTime', 'header', 'json', 'schema'] },
        path: { type: 'string', description: 'A header name (kind header) or a JSONPath like "$.payload.referral[0].subjectId" (kind json).' },
        op: { type: 'string' },
        value: {},
      },
      allOf: [
        { if: { properties: { kind: { const: 'status' } } }, then: { properties: { op: { enum: ['equals', 'oneOf', 'class'] } } } },
        { if: { properties: { kind: { const: 'responseTime' } } }, then: { properties: { op: { enum: ['below'] }, value: { type: 'number' } } } },
        { if: { properties: { kind: { const: 'header' } } }, then: { required: ['path'], properties: { op: { enum: ['exists', 'equals', 'matches'] } } } },
        { if: { properties: { kind: { const: 'json' } } }, then: { required: ['path'], properties: { op: { enum: ['exists', 'equals', 'matches', 'type', 'length'] } } } },
        { if: { properties: { kind: { const: 'schema' } } }, then: { properties: { op: { enum: ['valid'] } } } },
      ],
    },
    capture: {
      type: 'object',
      required: ['name', 'from'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z_$][\\w.$-]*$' },
        from: { enum: ['json', 'header', 'status'] },
        path: { type: 'string' },
      },
    },
    'v2.node': olderVersionNode(2),
    'v1.node': olderVersionNode(1),
    placeholder: {
      type: 'string',
      pattern: '\\{\\{',
      description: 'A {{variable}}: filled in when the request is sent, so it is not checked here.',
    },
  };
}

/** The whole schema of .studyteam/requests.json. */
export function buildRequestsFileSchema(): JsonObject {
  const olderVersion = (version: 1 | 2): JsonObject => ({
    if: { required: ['version'], properties: { version: { const: version } } },
    then: { properties: { items: { items: { $ref: `#/definitions/v${version}.node` } } } },
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://studyteam.vscode/schemas/requests.schema.json',
    $comment: 'Generated by `npm run schemas` (scripts/requestsFileSchema.ts) from the body schemas and src/core/bodySchemaRoutes.ts. Do not edit.',
    title: 'StudyTeam saved requests (.studyteam/requests.json)',
    description: 'Saved StudyTeam API calls, shared through git. Never put a secret here: use "auth": "bearer" and the extension adds the token.',
    type: 'object',
    required: ['version', 'items'],
    additionalProperties: false,
    properties: {
      version: {
        enum: [1, 2, 3],
        enumDescriptions: ['The first format.', 'Adds "expect" and "capture" on requests.', 'Stores a JSON body as JSON and any other body as "bodyLines".'],
        description: 'File format version. 2 added "expect" and "capture" on requests; 3 stores a JSON body as JSON and any other body as "bodyLines". Older files are written as 3 when next saved.',
      },
      items: { type: 'array', items: { $ref: '#/definitions/node' }, description: 'Top-level requests and folders, in order.' },
    },
    allOf: [olderVersion(1), olderVersion(2)],
    definitions: {
      ...fileFormatDefinitions(),
      ...Object.fromEntries((Object.keys(BODY_SCHEMAS) as BodySchemaId[]).flatMap(bodyDefinitions)),
    },
  };
}

/** The file's text: 2-space JSON and a trailing newline. */
export function requestsFileSchemaText(): string {
  return `${JSON.stringify(buildRequestsFileSchema(), null, 2)}\n`;
}
