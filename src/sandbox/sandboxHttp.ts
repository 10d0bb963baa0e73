// Plumbing shared by the sandbox's resource handlers: the answer type they return, body reading and
// small parsing helpers. Handlers never write to the socket themselves; sandboxServer.ts sends.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** What a handler answers: JSON, raw bytes, or "destroy the socket without answering". */
export type SandboxAnswer =
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly raw: Buffer; readonly headers: Readonly<Record<string, string>> }
  | { readonly drop: true };

/** One problem of a 400 answer, in the API's shape. */
export interface PayloadError {
  readonly reason: string;
  readonly path: ReadonlyArray<string | number>;
}

export function json(status: number, value: unknown, headers?: Record<string, string>): SandboxAnswer {
  return headers ? { status, json: value, headers } : { status, json: value };
}

/** `{"message":"Invalid Payload","errors":[{reason,path}]}` — the API's validation error [obs]. */
export function invalidPayload(errors: readonly PayloadError[]): SandboxAnswer {
  return json(400, { message: 'Invalid Payload', errors });
}

/** A 404 with a `message` (the API's 404 body is not public; `message` matches its other errors). */
export function notFound(message: string): SandboxAnswer {
  return json(404, { message });
}

export function methodNotAllowed(allow: string): SandboxAnswer {
  return json(405, { message: `Use ${allow} for this route.` }, { allow });
}

/** Parsed request as the resource handlers see it. */
export interface SandboxRequest {
  readonly method: string;
  /** Path without the query, as received (not decoded). */
  readonly path: string;
  /** Decoded, non-empty path segments. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Reads a body up to `limit` bytes; calls `tooLarge` (once) instead of `done` past it. */
export function readBody(req: IncomingMessage, limit: number, done: (body: Buffer) => void, tooLarge: () => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > limit) {
      over = true;
      tooLarge();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!over) done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  });
  req.on('error', () => undefined);
}

export function copyHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function statusText(status: number): string {
  switch (status) {
    case 500: return 'Internal Server Error';
    case 502: return 'Bad Gateway';
    case 503: return 'Service Unavailable';
    case 504: return 'Gateway Timeout';
    default: return `Error ${status}`;
  }
}

/** A JSON body, or the 400 answer explaining why there is none. */
export function parseJsonBody(body: Buffer): { value: unknown } | { answer: SandboxAnswer } {
  if (body.length === 0) return { answer: invalidPayload([{ reason: 'A JSON body is required', path: [] }]) };
  try {
    return { value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { answer: invalidPayload([{ reason: 'The request body is not valid JSON', path: [] }]) };
  }
}

/** Comma-separated and repeated query values, trimmed, empties dropped. */
export function queryList(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Pushes onto a list kept at most `max` long (drops the oldest in batches, amortised O(1)). */
export function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max + Math.max(1, Math.floor(max / 10)));
}
