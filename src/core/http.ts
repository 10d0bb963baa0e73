// The HTTP seam of the core: a fetch-like function type and the node-fetch implementation. No `vscode`.
import type * as http from 'node:http';
import type { RequestInit } from 'node-fetch';

export interface FetchInit {
  method: string;
  headers: Array<[string, string]>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  redirect: 'manual' | 'error' | 'follow';
}

export interface FetchHeadersLike {
  get(name: string): string | null;
  /** node-fetch: every value of every header, names lower-cased (keeps multiple set-cookie). */
  raw?(): Record<string, string[]>;
  /** node-fetch: the distinct names, lower-cased and sorted (what raw() is built from), and every value of one. */
  keys?(): Iterable<string>;
  getAll?(name: string): string[];
  forEach(callback: (value: string, name: string) => void): void;
}

export interface FetchResponseLike {
  readonly status: number;
  readonly statusText: string;
  readonly headers: FetchHeadersLike;
  readonly body: AsyncIterable<Uint8Array | string> | null;
}

/** Structurally what node-fetch provides. Tests may pass any working implementation. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

/** Picks the agent of one request (e.g. a proxy tunnel); undefined means Node's global agent. */
export type AgentChooser = (url: URL) => http.Agent | undefined;

/**
 * node-fetch, with the agent `chooseAgent` picks per request. Without a chooser no agent is passed
 * at all: Node's global agents (keep-alive since Node 19) carry the call, and in the extension host
 * that is what VS Code's proxy support patches — `http.proxy`, `http.proxySupport` (in "on" mode
 * a request that brings its own agent is left alone), `http.noProxy`, proxy authentication, PAC
 * and the OS certificates. Headless callers (benchmark, CLI) pass the proxy chooser of proxyAgents.ts.
 */
export function createNodeFetch(chooseAgent?: AgentChooser): FetchLike {
  return (url, init) => {
    const body = init.body;
    const options: RequestInit = {
      method: init.method,
      headers: init.headers,
      body: body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
      redirect: init.redirect,
      signal: init.signal as RequestInit['signal'],
    };
    if (chooseAgent) options.agent = chooseAgent; // (not a spread of a new object per request)
    return loadNodeFetch()(url, options) as unknown as Promise<FetchResponseLike>;
  };
}

let nodeFetchFunction: typeof import('node-fetch').default | undefined;

/**
 * node-fetch (with its stream polyfills, the largest part of the bundle) is loaded on the first request, not when
 * the extension loads: activation stays cheap and a session that never sends anything never pays for it. The
 * function itself is kept: `.default` of the bundled module is a getter, read once instead of per request.
 * In dist/extension.js this require loads dist/nodeFetch.js, node-fetch's own bundle (scripts/build.mjs).
 */
function loadNodeFetch(): typeof import('node-fetch').default {
  return (nodeFetchFunction ??= (require('node-fetch') as typeof import('node-fetch')).default);
}

/** node-fetch on Node's global agents: the extension's fetch (VS Code applies its proxy settings). */
export const nodeFetch: FetchLike = createNodeFetch();

/** All response headers as [lower-case name, value] pairs, one entry per value. */
export function headerEntries(headers: FetchHeadersLike): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (headers.keys && headers.getAll) {
    // node-fetch: raw() is exactly keys() + getAll(name), plus an array and an object per call that are not needed here.
    for (const name of headers.keys()) {
      const values = headers.getAll(name);
      const lower = name.toLowerCase();
      for (let i = 0; i < values.length; i++) out.push([lower, values[i]]);
    }
  } else if (headers.raw) {
    const raw = headers.raw();
    for (const name in raw) {
      const values = raw[name];
      const lower = name.toLowerCase();
      for (let i = 0; i < values.length; i++) out.push([lower, values[i]]);
    }
  } else {
    headers.forEach((value, name) => out.push([name.toLowerCase(), value]));
  }
  return out;
}

export interface BodyRead {
  body: Buffer;
  /** Bytes received, including any beyond the cap. */
  size: number;
  truncated: boolean;
}

/**
 * Reads a response body into one Buffer, keeping at most maxBytes. Past the cap it stops reading
 * (the stream is destroyed) and reports truncated.
 */
export async function readBody(body: AsyncIterable<Uint8Array | string> | null, maxBytes: number): Promise<BodyRead> {
  if (!body) return { body: Buffer.alloc(0), size: 0, truncated: false };
  if (isNodeReadable(body)) return readReadable(body, maxBytes);
  const kept = new CappedChunks(maxBytes);
  for await (const part of body) {
    if (!kept.add(part)) return kept.result(true); // leaving the loop destroys the stream
  }
  return kept.result(false);
}

/** The chunks of a body up to maxBytes, and the bytes received in all (the one place both readers count them). */
class CappedChunks {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  /** Keeps what fits of `part`; false once the cap is reached (the caller stops reading). */
  add(part: Uint8Array | string): boolean {
    const chunk = typeof part === 'string' ? Buffer.from(part) : Buffer.isBuffer(part) ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    this.size += chunk.length;
    if (this.kept + chunk.length > this.maxBytes) {
      const room = this.maxBytes - this.kept;
      if (room > 0) {
        this.chunks.push(chunk.subarray(0, room));
        this.kept += room;
      }
      return false;
    }
    this.chunks.push(chunk);
    this.kept += chunk.length;
    return true;
  }

  result(truncated: boolean): BodyRead {
    return { body: this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.kept), size: this.size, truncated };
  }
}

/** What readReadable needs of a Node stream (node-fetch's bodies are PassThrough streams). */
interface NodeReadable extends AsyncIterable<Uint8Array | string> {
  readonly destroyed: boolean;
  readonly readableEnded: boolean;
  readonly errored?: Error | null;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  destroy(error?: Error): unknown;
}

function isNodeReadable(body: AsyncIterable<Uint8Array | string>): body is NodeReadable {
  const b = body as Partial<NodeReadable>;
  return typeof b.on === 'function' && typeof b.off === 'function' && typeof b.destroy === 'function' && typeof b.readableEnded === 'boolean';
}

function ignoreError(): void {
  // the body has been read (or cut off); a later stream error changes nothing
}

function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * readBody for a Node stream, on its 'data' / 'end' / 'error' / 'close' events: the same result and errors as
 * iterating it with `for await` (an error the stream emits; "Premature close" when it closes before its end), without
 * the async iterator's per-stream machinery — a measurable share of a small response's cost.
 */
function readReadable(body: NodeReadable, maxBytes: number): Promise<BodyRead> {
  if (body.readableEnded) return Promise.resolve({ body: Buffer.alloc(0), size: 0, truncated: false });
  if (body.destroyed) return Promise.reject(body.errored ?? prematureClose());
  return new Promise<BodyRead>((resolve, reject) => {
    const kept = new CappedChunks(maxBytes);
    const detach = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      // As `for await` leaves its end-of-stream listener behind: an 'error' emitted later (node-fetch emits one
      // when the request's signal aborts after a truncated read) must not be an unhandled 'error' event.
      body.on('error', ignoreError);
    };
    const finish = (truncated: boolean): void => {
      detach();
      resolve(kept.result(truncated));
    };
    const onData = (part: Uint8Array | string): void => {
      if (kept.add(part)) return;
      finish(true);
      body.destroy(); // stop reading, as leaving a `for await` loop does
    };
    const onEnd = (): void => finish(false);
    const onError = (error: Error): void => {
      detach();
      reject(error);
    };
    const onClose = (): void => {
      detach();
      reject(body.errored ?? prematureClose());
    };
    body.on('error', onError);
    body.on('end', onEnd);
    body.on('close', onClose);
    body.on('data', onData);
  });
}

/** Reads and discards a body (so the keep-alive socket can be reused); never throws. */
export async function discardBody(body: AsyncIterable<Uint8Array | string> | null, maxBytes = 1024 * 1024): Promise<void> {
  try {
    await readBody(body, maxBytes);
  } catch {
    // ignore: the connection is simply not reused
  }
}

let lastContentType = '';
let lastCharset = 'utf-8';

/** The lower-cased charset a content type names, 'utf-8' when none (the last answer is kept: responses repeat their type). */
function charsetOf(contentType: string): string {
  if (contentType !== lastContentType) {
    const match = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
    lastCharset = match ? match[1].toLowerCase() : 'utf-8';
    lastContentType = contentType;
  }
  return lastCharset;
}

/** Decodes bytes as the charset a content type names, UTF-8 otherwise. */
export function decodeText(body: Buffer, contentType: string): string {
  if (body.length === 0) return '';
  const charset = charsetOf(contentType);
  if (charset === 'utf-8' || charset === 'utf8') return body.toString('utf8');
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    return body.toString('utf8');
  }
}

type AbortListener = (event: { type: 'abort' }) => void;

/**
 * A minimal AbortController for the hot path. Node's EventTarget-based AbortController plus its
 * listener bookkeeping costs ~10 µs per request, a measurable share of a loopback keep-alive call.
 * This one supports what node-fetch and the core use: `aborted`, `reason`, `throwIfAborted()`,
 * `onabort`, `addEventListener('abort', fn, { once })` and `removeEventListener`. node-fetch
 * recognises it as an AbortSignal through Symbol.toStringTag.
 */
export class LightAbortController {
  readonly signal: AbortSignal;
  private readonly state: LightAbortSignal;

  constructor() {
    this.state = new LightAbortSignal();
    this.signal = this.state as unknown as AbortSignal;
  }

  abort(reason?: unknown): void {
    this.state.fire(reason);
  }
}

class LightAbortSignal {
  aborted = false;
  reason: unknown = undefined;
  onabort: AbortListener | null = null;
  private listeners: AbortListener[] | undefined;

  get [Symbol.toStringTag](): string {
    return 'AbortSignal';
  }

  addEventListener(type: string, listener: AbortListener | { handleEvent: AbortListener } | null, options?: boolean | { once?: boolean }): void {
    void options; // abort fires at most once, so every listener is effectively `once`
    if (type !== 'abort' || !listener) return;
    const fn = typeof listener === 'function' ? listener : (event: { type: 'abort' }) => listener.handleEvent(event);
    (this.listeners ??= []).push(fn);
  }

  removeEventListener(type: string, listener: AbortListener | null): void {
    if (type !== 'abort' || !listener || !this.listeners) return;
    const index = this.listeners.indexOf(listener);
    if (index >= 0) this.listeners.splice(index, 1);
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  fire(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason ?? Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    const event = { type: 'abort' as const };
    const listeners = this.listeners ?? [];
    this.listeners = undefined;
    this.onabort?.(event);
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // like EventTarget: a throwing listener does not stop the others
      }
    }
  }
}
