// How a request's body is kept in requests.json (file format 3). In memory a body is always text; on disk:
//   - "body": <object|array> when the text is JSON exactly as JSON.stringify(value, null, 2) prints it (the
//     panel's Format), so a reviewer sees one changed line per changed field and git merges field edits;
//   - "bodyLines": ["…", "…"] for any other non-empty body (text, form data, compact JSON, JSON with an
//     unquoted {{placeholder}} in a number position): the text split at "\n", a "\r" before it kept;
//   - nothing for an empty body.
// Both forms give the text back byte for byte, so what is sent never changes with the format. No `vscode`.
import type { SavedRequest } from './model';
import type { SavedNode } from './savedRequests';

/** What a body adds to a request in the file: `{ body }`, `{ bodyLines }` or nothing. */
export type StoredBody = { body: object } | { bodyLines: string[] } | Record<string, never>;

/** The JSON value of `text` when `text` is exactly its 2-space form (an object or array); else undefined. */
export function canonicalJsonValue(text: string): object | undefined {
  const first = text.charCodeAt(0);
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return undefined;
  const value = jsonObjectOrArray(text);
  return value !== undefined && jsonBodyText(value) === text ? value : undefined;
}

/** `text` parsed, when it is JSON whose value is an object or array; else undefined. */
function jsonObjectOrArray(text: string): object | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null ? value : undefined;
}

/** The file form of a body (see the top of this file). */
export function bodyToFile(body: string | undefined): StoredBody {
  if (body === undefined || body === '') return {};
  const json = canonicalJsonValue(body);
  return json !== undefined ? { body: json } : { bodyLines: body.split('\n') };
}

/** A body value of a JSON body in the file, as the text it stands for: the 2-space layout the panel's Format writes. */
export function jsonBodyText(value: object): string {
  return JSON.stringify(value, null, 2);
}

/**
 * The body text of a request read from the file, or undefined when it has none. Accepts "body" as text
 * (every version; how versions 1 and 2 stored all bodies) and, from version 3, "body" as an object or
 * array and "bodyLines". Problems go to `errors`, prefixed with `at`.
 */
export function bodyFromFile(raw: Record<string, unknown>, at: string, fileVersion: number, errors: string[]): string | undefined {
  const { body, bodyLines } = raw;
  if (body !== undefined && bodyLines !== undefined) {
    errors.push(`${at} has both "body" and "bodyLines": keep one ("body" for a JSON object or array, "bodyLines" for any other text).`);
    return undefined;
  }
  if (bodyLines !== undefined) {
    if (fileVersion < 3) {
      errors.push(`${at}: "bodyLines" needs "version": 3 at the top of the file.`);
      return undefined;
    }
    if (!Array.isArray(bodyLines)) {
      errors.push(`${at}: "bodyLines" must be a list of strings, one per line of the body.`);
      return undefined;
    }
    const bad = bodyLines.findIndex((line) => typeof line !== 'string');
    if (bad >= 0) {
      errors.push(`${at}: "bodyLines"[${bad}] must be a string (each entry is one line of the body).`);
      return undefined;
    }
    return (bodyLines as string[]).join('\n');
  }
  if (body === undefined || typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null) {
    if (fileVersion < 3) {
      errors.push(`${at}: a JSON "body" (not a string) needs "version": 3 at the top of the file.`);
      return undefined;
    }
    return jsonBodyText(body);
  }
  errors.push(
    `${at}: "body" must be a JSON object or array, or text in a string; for a body that is just ${JSON.stringify(body)}, write "bodyLines": [${JSON.stringify(JSON.stringify(body))}].`,
  );
  return undefined;
}

/**
 * `text` in the 2-space layout when it is a JSON object or array that differs from that layout only in the
 * whitespace between tokens — the same keys in the same order, numbers and escapes spelled as written, so a
 * server reads the same JSON; else undefined. Imports use it (see readableImportedBodies).
 */
export function reindentedJson(text: string): string | undefined {
  const value = jsonObjectOrArray(text);
  if (value === undefined) return undefined;
  const withoutWhitespace = text.replace(/"(?:[^"\\]|\\.)*"|[ \t\n\r]+/g, (m) => (m.charCodeAt(0) === 0x22 ? m : ''));
  return withoutWhitespace === JSON.stringify(value) ? jsonBodyText(value) : undefined;
}

/** The request sends its body as JSON: a JSON Content-Type, or none (Run then sends a `{`/`[` body as JSON). */
function sendsJson(request: SavedRequest): boolean {
  const contentType = request.headers?.find((h) => h.enabled !== false && h.name.toLowerCase() === 'content-type');
  return contentType === undefined || /(^|\/|\+)json\b/i.test(contentType.value.split(';')[0]?.trim() ?? '');
}

/**
 * Imported requests with each JSON body laid out in 2 spaces when only whitespace changes (reindentedJson), so
 * requests.json keeps it as JSON — one field a line, schema help — instead of lines of 4-space or one-line JSON.
 * An import is not a migration: the text is new to the file, and the server reads the same JSON. Bodies that are
 * not JSON, are sent with another Content-Type, or would change otherwise (escapes, number spellings, duplicate
 * keys) stay byte for byte. `names`: the requests whose body was laid out anew.
 */
export function readableImportedBodies(nodes: readonly SavedNode[]): { nodes: SavedNode[]; names: string[] } {
  const names: string[] = [];
  const visit = (node: SavedNode): SavedNode => {
    if (node.kind === 'folder') return { ...node, children: node.children.map(visit) };
    if (node.body === undefined || !sendsJson(node)) return node;
    const body = reindentedJson(node.body);
    if (body === undefined || body === node.body) return node;
    names.push(node.name);
    return { ...node, body };
  };
  return { nodes: nodes.map(visit), names };
}
