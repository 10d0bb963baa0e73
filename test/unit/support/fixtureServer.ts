// Small real HTTP servers on 127.0.0.1:0 for unit tests (independent of the sandbox).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, ClientCredentials, Clock, CredentialSource, Environment, LogLevel, Logger, TokenPersistence } from '../../../src/core/model';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type FixtureHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>;

/** A real HTTP server whose behaviour is one swappable handler; records every request. */
export class FixtureServer {
  readonly requests: RecordedRequest[] = [];
  handler: FixtureHandler;
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(
    private readonly server: http.Server,
    handler: FixtureHandler,
  ) {
    this.handler = handler;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(handler: FixtureHandler = (_req, res) => void res.end()): Promise<FixtureServer> {
    const server = http.createServer();
    const fixture = new FixtureServer(server, handler);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        fixture.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        Promise.resolve(fixture.handler(req, res, body)).catch((error: unknown) => {
          res.statusCode = 599;
          res.end(String(error));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fixture;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  requestsTo(pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** A port that refuses connections (a server was bound there and closed). */
export async function refusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A working StudyTeam-like fake: /oauth/token issues opaque tokens for one client, /api/* answers
 * 200 JSON for a currently valid token and 401 otherwise.
 */
export class FakeStudyTeam {
  tokenCounter = 0;
  readonly validTokens = new Set<string>();
  always401 = false;
  tokenDelayMs = 0;
  apiDelayMs = 0;
  expiresIn = 900;
  failTokenWith?: number;
  /** Extra response headers of a failed token request (e.g. Retry-After). */
  failTokenHeaders: Record<string, string> = {};

  private constructor(
    readonly server: FixtureServer,
    readonly credentials: ClientCredentials,
  ) {}

  static async start(credentials: ClientCredentials = { clientId: 'client-abc', clientSecret: 'sup3r-s3cret-value-123' }): Promise<FakeStudyTeam> {
    const server = await FixtureServer.start();
    const fake = new FakeStudyTeam(server, credentials);
    server.handler = (req, res, body) => fake.handle(req, res, body);
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  get tokenRequests(): number {
    return this.server.requestsTo('/oauth/token').length;
  }

  get apiRequests(): RecordedRequest[] {
    return this.server.requests.filter((r) => !r.path.startsWith('/oauth/token'));
  }

  environment(overrides: Partial<Environment> = {}): Environment {
    return { id: 'fake', name: 'Fake', baseUrl: this.url, production: false, ...overrides };
  }

  revokeAll(): void {
    this.validTokens.clear();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const path = req.url ?? '/';
    if (path === '/oauth/token' && req.method === 'POST') {
      if (this.tokenDelayMs) await delay(this.tokenDelayMs);
      if (this.failTokenWith) return sendJson(res, this.failTokenWith, { error: 'server_error', error_description: 'boom' }, this.failTokenHeaders);
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return sendJson(res, 400, { error: 'invalid_request', error_description: 'bad json' });
      }
      if (parsed.client_id !== this.credentials.clientId || parsed.client_secret !== this.credentials.clientSecret) {
        return sendJson(res, 401, { error: 'access_denied', error_description: 'Unauthorized' });
      }
      const token = `tok-${++this.tokenCounter}-${'x'.repeat(24)}`;
      this.validTokens.add(token);
      return sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: this.expiresIn });
    }
    if (this.apiDelayMs) await delay(this.apiDelayMs);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (this.always401 || !token || !this.validTokens.has(token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'application/json' });
      return void res.end('{"message":"Unauthorized"}');
    }
    sendJson(res, 200, { ok: true, path });
  }
}

export class FakeClock implements Clock {
  constructor(private time = Date.UTC(2025, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** In-memory credentials that really store, per environment id. */
export class MemoryCredentials implements CredentialSource {
  readonly byEnv = new Map<string, ClientCredentials>();
  calls = 0;
  constructor(entries: Record<string, ClientCredentials> = {}) {
    for (const [id, c] of Object.entries(entries)) this.byEnv.set(id, c);
  }
  async get(environment: Environment): Promise<ClientCredentials | undefined> {
    this.calls++;
    return this.byEnv.get(environment.id);
  }
}

export class MemoryTokenPersistence implements TokenPersistence {
  readonly tokens = new Map<string, AccessToken>();
  async load(cacheKey: string): Promise<AccessToken | undefined> {
    return this.tokens.get(cacheKey);
  }
  async save(cacheKey: string, token: AccessToken): Promise<void> {
    this.tokens.set(cacheKey, token);
  }
  async delete(cacheKey: string): Promise<void> {
    this.tokens.delete(cacheKey);
  }
}

export class MemoryLogger implements Logger {
  readonly lines: Array<{ level: LogLevel; tag: string; message: string }> = [];
  log(level: LogLevel, tag: string, message: string): void {
    this.lines.push({ level, tag, message });
  }
  text(): string {
    return this.lines.map((l) => `[${l.tag}] ${l.message}`).join('\n');
  }
}

/** Resolves with the error a promise rejects with; fails if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
