// An in-memory store in the harness process that outlives a window reload, for tests that span two
// phases (test/integration/beforeReload.test.ts → afterReload.test.ts). It holds what must never be written to
// disk — the leak scan's needles (client secrets, issued tokens, patient fields) — and a sandbox that keeps
// running while the extension host restarts, so the second phase can prove a token was restored from
// SecretStorage without a new token request. Loopback only; the URL (with a random path) reaches the
// extension host as STUDYTEAM_TEST_VAULT_URL.
//
//   GET  <url>/kv/<key>   → the stored JSON, or 404          PUT <url>/kv/<key>  (JSON body) → 204
//   POST <url>/sandbox    → { url, audience, clientId, clientSecret } (started on first use)
//   GET  <url>/sandbox    → { url, tokenRequests, apiRequests, issuedTokens } or 404 before POST
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxServer } from '../../src/sandbox/sandboxServer';

export const TEST_VAULT_URL_ENV = 'STUDYTEAM_TEST_VAULT_URL';

export class TestVault {
  static async start(): Promise<TestVault> {
    const vault = new TestVault();
    await new Promise<void>((resolveListen, reject) => {
      vault.server.once('error', reject);
      vault.server.listen(0, '127.0.0.1', () => resolveListen());
    });
    return vault;
  }

  private readonly values = new Map<string, string>();
  private readonly prefix = `/${randomBytes(12).toString('hex')}`;
  private readonly server: Server;
  private sandbox: Promise<SandboxServer> | undefined;

  private constructor() {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
    });
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${this.prefix}`;
  }

  async stop(): Promise<void> {
    const sandbox = await this.sandbox?.catch(() => undefined);
    await sandbox?.stop();
    await new Promise<void>((done) => {
      this.server.close(() => done());
      this.server.closeAllConnections();
    });
    this.values.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(`${this.prefix}/`)) return send(res, 404, { error: 'not found' });
    const rest = path.slice(this.prefix.length);
    const body = await readBody(req);
    if (rest.startsWith('/kv/')) {
      const key = decodeURIComponent(rest.slice(4));
      if (req.method === 'PUT') {
        JSON.parse(body); // only JSON is kept
        this.values.set(key, body);
        res.writeHead(204).end();
        return;
      }
      const value = this.values.get(key);
      if (value === undefined) return send(res, 404, { error: `no value for ${key}` });
      res.writeHead(200, { 'content-type': 'application/json' }).end(value);
      return;
    }
    if (rest === '/sandbox') {
      if (req.method === 'POST') {
        this.sandbox ??= SandboxServer.start({ name: 'Harness sandbox (survives reloads)' });
        const sandbox = await this.sandbox;
        const client = sandbox.clients[0]!;
        return send(res, 200, { url: sandbox.url, audience: sandbox.audience, clientId: client.clientId, clientSecret: client.clientSecret });
      }
      if (!this.sandbox) return send(res, 404, { error: 'no harness sandbox started' });
      const sandbox = await this.sandbox;
      return send(res, 200, { url: sandbox.url, ...sandbox.counters, issuedTokens: sandbox.issuedTokens });
    }
    send(res, 404, { error: 'not found' });
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
