// Request bodies checked against the JSON Schemas shipped in schemas/ ("Create referral v1", "Update
// referral subject v1"), with @cfworker/json-schema. Each problem has its JSON path, a readable reason
// and the line/column in the body text. {{variables}} are tolerated: a value that is still a variable is
// not judged (it is known only at send time), and an unquoted {{variable}} does not break the JSON.
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import createReferralSchema from '../../schemas/createReferral.v1.schema.json';
import updateSubjectSchema from '../../schemas/updateReferralSubject.v1.schema.json';
import { BODY_SCHEMA_ROUTES, bodySchemaRouteFor, type BodySchemaId, type BodySchemaRoute } from './bodySchemaRoutes';
import { bodyProblem, locateJsonPath, parseJsonWithLocation, type BodyProblem, type JsonPath } from './jsonLocation';

export interface SchemaCheck {
  readonly schemaId: BodySchemaId;
  readonly schemaTitle: string;
  readonly problems: readonly BodyProblem[];
}

const SCHEMAS: Record<BodySchemaId, Schema> = {
  'createReferral.v1': createReferralSchema as unknown as Schema,
  'updateReferralSubject.v1': updateSubjectSchema as unknown as Schema,
};
const validators = new Map<BodySchemaId, Validator>();

function validatorFor(id: BodySchemaId): Validator {
  let v = validators.get(id);
  if (!v) {
    v = new Validator(SCHEMAS[id], '7', false);
    for (const [other, schema] of Object.entries(SCHEMAS)) if (other !== id) v.addSchema(schema);
    validators.set(id, v);
  }
  return v;
}

/**
 * Checks a request body against the schema of its method and path. Undefined when the request has no
 * schema (or no body to check); otherwise the schema and its problems (none when the body is fine).
 * This is the API other features use (Run, Run Folder, the panel, checks).
 */
export function validateAgainstSchemaFor(method: string, url: string, body: string | undefined): SchemaCheck | undefined {
  const route = bodySchemaRouteFor(method, url);
  if (!route || body === undefined || body.trim() === '') return undefined;
  return { schemaId: route.id, schemaTitle: route.title, problems: validateBody(route.id, body) };
}

/**
 * The "schema" check of checks/captures (checkEvaluation's SchemaValidator): whether the request's method and
 * path have a schema, and its body's problems as short lines ("referral[0].telecom (line 7): Must not be empty").
 */
export function schemaCheckOf(request: { readonly method: string; readonly url: string; readonly body?: string }): { known: false } | { known: true; errors: string[] } {
  const route = bodySchemaRouteFor(request.method, request.url);
  if (!route) return { known: false };
  if (request.body === undefined || request.body.trim() === '') return { known: true, errors: ['the request has no body'] };
  return { known: true, errors: validateBody(route.id, request.body).map((p) => `${p.pathText} (line ${p.line}): ${p.message}`) };
}

/** The schema JSON of an id (e.g. to show or export it). */
export function bodySchema(id: BodySchemaId): Schema {
  return SCHEMAS[id];
}

export function bodySchemaRoute(id: BodySchemaId): BodySchemaRoute {
  return BODY_SCHEMA_ROUTES.find((r) => r.id === id)!;
}

/** Problems of `text` against schema `id`, in body order. A syntax error is one problem at its position. */
export function validateBody(id: BodySchemaId, text: string): BodyProblem[] {
  const { text: prepared, variables } = neutralizeVariables(text);
  const parsed = parseJsonWithLocation(prepared);
  if (!parsed.ok) {
    return [{ path: [], pathText: '(root)', message: `Not valid JSON: ${parsed.message}`, line: parsed.line, column: parsed.column, offset: parsed.offset, length: 1 }];
  }
  const result = validatorFor(id).validate(parsed.value);
  const problems: BodyProblem[] = [];
  const seen = new Set<string>();
  for (const error of result.errors) {
    const path = pointerToPath(error.instanceLocation, parsed.value);
    const instance = valueAt(parsed.value, path);
    if (typeof instance === 'string' && instance.includes('{{')) continue; // a variable: judged at send time
    const message = describe(error, id, instance);
    if (message === undefined) continue;
    const at = locateJsonPath(text, path);
    if (at && variables.some(([start, end]) => at.offset >= start && at.offset < end)) continue;
    const key = `${JSON.stringify(path)}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(bodyProblem(path, message, at));
  }
  return problems.sort((a, b) => a.offset - b.offset);
}

/** Keywords that only say "something below failed": their children carry the real reason. */
const WRAPPERS = new Set(['properties', 'items', '$ref', 'allOf', 'if', 'then', 'else', 'additionalItems', 'contains', 'dependencies']);

function describe(error: OutputUnit, schemaId: BodySchemaId, instance: unknown): string | undefined {
  if (WRAPPERS.has(error.keyword)) return undefined;
  // The branches of a oneOf/anyOf report each "required"; the oneOf error itself says it better.
  if (/\/(oneOf|anyOf)\/\d+\//.test(error.keywordLocation)) return undefined;
  const node = schemaNodeAt(schemaId, error.keywordLocation);
  switch (error.keyword) {
    case 'required': {
      const name = /"([^"]+)"/.exec(error.error)?.[1] ?? '?';
      return `Required property "${name}" is missing`;
    }
    case 'minItems':
    case 'minLength':
    case 'minProperties':
      return 'Must not be empty';
    case 'enum': {
      const values = (node?.['enum'] as unknown[] | undefined) ?? [];
      return `Must be one of ${values.map((v) => String(v)).join(', ')}`;
    }
    case 'const':
      return `Must be ${JSON.stringify(node?.['const'])}`;
    case 'type': {
      const type = node?.['type'];
      return `Must be ${Array.isArray(type) ? type.map(article).join(' or ') : article(String(type))}`;
    }
    case 'pattern':
      return typeof node?.['patternErrorMessage'] === 'string' ? node['patternErrorMessage'] : 'Does not have the expected format';
    case 'minimum':
      return `Must be at least ${String(node?.['minimum'])}`;
    case 'oneOf': {
      const branches = (node?.['oneOf'] as Array<{ required?: string[] }> | undefined) ?? [];
      const keys = branches.map((b) => (b.required?.length === 1 ? b.required[0]! : undefined));
      if (keys.every((k): k is string => k !== undefined)) {
        const found = instance && typeof instance === 'object' ? keys.filter((k) => k in (instance as object)) : [];
        return `Must have exactly one of ${keys.join(', ')}${found.length > 1 ? ` (found ${found.join(', ')})` : ' (found none)'}`;
      }
      return 'Must match exactly one of the allowed shapes';
    }
    default:
      return error.error.replace(/^Instance /, 'The value ');
  }
}

function article(type: string): string {
  return type === 'integer' ? 'an integer' : type === 'object' || type === 'array' ? `an ${type}` : type === 'null' ? 'null' : `a ${type}`;
}

/** The schema object holding the keyword at `keywordLocation` ("#/properties/referral/items/$ref/minItems"), following $refs. */
function schemaNodeAt(schemaId: BodySchemaId, keywordLocation: string): Record<string, unknown> | undefined {
  const tokens = keywordLocation.replace(/^#\/?/, '').split('/').filter((t) => t !== '').map(unescapeToken);
  tokens.pop(); // the keyword itself
  let root = SCHEMAS[schemaId] as Record<string, unknown>;
  let node: unknown = root;
  for (const token of tokens) {
    if (token === '$ref' && node && typeof node === 'object') {
      const ref = String((node as Record<string, unknown>)['$ref']);
      const hash = ref.indexOf('#');
      const file = hash < 0 ? ref : ref.slice(0, hash);
      if (file) root = (Object.values(SCHEMAS).find((s) => String(s['$id'] ?? '').endsWith(file)) ?? root) as Record<string, unknown>;
      node = root;
      for (const part of (hash < 0 ? '' : ref.slice(hash + 1)).split('/').filter((p) => p !== '')) node = (node as Record<string, unknown>)?.[unescapeToken(part)];
      continue;
    }
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined;
  }
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

function unescapeToken(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** "#/referral/0/name" → ['referral', 0, 'name'] (indexes are numbers where the value is an array). */
function pointerToPath(pointer: string, root: unknown): Array<string | number> {
  const path: Array<string | number> = [];
  let node = root;
  for (const raw of pointer.replace(/^#\/?/, '').split('/').filter((t) => t !== '')) {
    const token = unescapeToken(raw);
    const step: string | number = Array.isArray(node) && /^\d+$/.test(token) ? Number(token) : token;
    path.push(step);
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
  }
  return path;
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const step of path) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
  return node;
}

/**
 * Replaces each {{variable}} outside a JSON string with `0` and spaces (same length, so offsets stay
 * true), so `"rank": {{rank}}` still parses; returns the replaced ranges.
 */
function neutralizeVariables(text: string): { text: string; variables: Array<[number, number]> } {
  if (!text.includes('{{')) return { text, variables: [] };
  let out = '';
  const variables: Array<[number, number]> = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    if (ch === '{' && text[i + 1] === '{') {
      const end = text.indexOf('}}', i + 2);
      if (end > 0 && !text.slice(i, end).includes('\n')) {
        variables.push([i, end + 2]);
        out += '0'.padEnd(end + 2 - i, ' ');
        i = end + 1;
        continue;
      }
    }
    out += ch;
  }
  return { text: out, variables };
}
