// The sandbox server against real HTTP (global fetch and node:http) on 127.0.0.1.
import { strict as assert } from 'node:assert';
import { request as httpRequest, Agent } from 'node:http';
import { randomClient } from '../../src/sandbox/sandboxAuth';
import { SandboxServer } from '../../src/sandbox/sandboxServer';
import { signHs256, verifyHs256 } from '../../src/sandbox/sandboxJwt';
import { parseSandboxArgs } from '../../src/sandbox/cliArgs';

interface TokenBody {
  access_token?: string;
  expires_in?: number;
  token_type?: string;
  error?: string;
  error_description?: string;
}

function jsonTokenRequest(sandbox: SandboxServer, overrides: Record<string, unknown> = {}): Promise<Response> {
  const client = sandbox.clients[0]!;
  return fetch(sandbox.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, audience: client.audience, grant_type: 'client_credentials', ...overrides }),
  });
}

async function tokenOf(sandbox: SandboxServer): Promise<string> {
  const res = await jsonTokenRequest(sandbox);
  assert.equal(res.status, 200);
  const body = (await res.json()) as TokenBody;
  return body.access_token!;
}

function api(sandbox: SandboxServer, path: string, token?: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  return fetch(`${sandbox.url}${path}`, { ...init, headers });
}

function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('sandbox server', () => {
  let sandbox: SandboxServer;

  before(async () => {
    sandbox = await SandboxServer.start({ name: 'Test sandbox' });
  });
  after(async () => {
    await sandbox.stop();
  });
  beforeEach(() => {
    sandbox.resetFaults();
    sandbox.resetCounters();
  });

  describe('startup', () => {
    it('listens on 127.0.0.1 with a random port and a default client for its own url', () => {
      assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(sandbox.audience, sandbox.url);
      assert.equal(sandbox.clients.length, 1);
      assert.equal(sandbox.clients[0]!.audience, sandbox.url);
      assert.equal(sandbox.clients[0]!.clientId.length, 32);
      assert.equal(sandbox.clients[0]!.clientSecret.length, 64);
      assert.deepEqual(sandbox.environment('sbx'), { id: 'sbx', name: 'Test sandbox', baseUrl: sandbox.url, production: false });
    });
  });

  describe('POST /oauth/token', () => {
    it('issues a verifiable HS256 JWT for a JSON body', async () => {
      const before = Math.floor(Date.now() / 1000);
      const res = await jsonTokenRequest(sandbox);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /application\/json/);
      const body = (await res.json()) as TokenBody;
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 900);
      const token = body.access_token!;
      assert.deepEqual(sandbox.issuedTokens.slice(-1), [token]);
      const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      assert.equal(header['alg'], 'HS256');
      const claims = decodePayload(token);
      assert.equal(claims['iss'], `${sandbox.url}/`);
      assert.equal(claims['aud'], sandbox.audience);
      assert.equal(claims['sub'], `${sandbox.clients[0]!.clientId}@clients`);
      assert.equal(typeof claims['scope'], 'string');
      assert.equal(typeof claims['jti'], 'string');
      const iat = claims['iat'] as number;
      const exp = claims['exp'] as number;
      assert.ok(iat >= before && iat <= before + 2);
      assert.ok(exp - iat >= 900 && exp - iat <= 901);
      assert.equal(sandbox.counters.tokenRequests, 1);
      const ok = await api(sandbox, '/rpi/sites', token);
      assert.equal(ok.status, 200);
    });

    it('accepts a form-encoded body', async () => {
      const c = sandbox.clients[0]!;
      const res = await fetch(sandbox.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret, audience: c.audience, grant_type: 'client_credentials' }).toString(),
      });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as TokenBody).token_type, 'Bearer');
    });

    it('accepts HTTP Basic client authentication with a form body (like httpyac)', async () => {
      const c = sandbox.clients[0]!;
      const basic = Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64');
      const res = await fetch(sandbox.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
        body: new URLSearchParams({ audience: c.audience, grant_type: 'client_credentials' }).toString(),
      });
      assert.equal(res.status, 200);
      const token = ((await res.json()) as TokenBody).access_token!;
      assert.equal((await api(sandbox, '/rpi/sites', token)).status, 200);
    });

    const errorCases: ReadonlyArray<{ name: string; body: (s: SandboxServer) => string; contentType?: string; status: number; error: string; description: string | RegExp }> = [
      { name: 'wrong secret', body: (s) => creds(s, { client_secret: 'nope' }), status: 401, error: 'access_denied', description: 'Unauthorized' },
      { name: 'unknown client', body: (s) => creds(s, { client_id: 'someone-else' }), status: 401, error: 'access_denied', description: 'Unauthorized' },
      { name: 'wrong audience', body: (s) => creds(s, { audience: 'https://api.example.com' }), status: 403, error: 'access_denied', description: 'Service not enabled within domain: https://api.example.com' },
      { name: 'another grant type', body: (s) => creds(s, { grant_type: 'password' }), status: 403, error: 'unauthorized_client', description: "Grant type 'password' not allowed for the client." },
      { name: 'malformed JSON', body: () => '{"client_id": ', status: 400, error: 'invalid_request', description: /JSON/ },
      { name: 'JSON array', body: () => '[]', status: 400, error: 'invalid_request', description: /JSON object/ },
      { name: 'missing grant_type', body: (s) => creds(s, { grant_type: undefined }), status: 400, error: 'invalid_request', description: 'Missing required parameter: grant_type' },
      { name: 'missing client_secret', body: (s) => creds(s, { client_secret: undefined }), status: 400, error: 'invalid_request', description: 'Missing required parameter: client_secret' },
      { name: 'missing audience', body: (s) => creds(s, { audience: undefined }), status: 400, error: 'invalid_request', description: 'Missing required parameter: audience' },
      { name: 'unsupported content type', body: (s) => creds(s), contentType: 'text/plain', status: 400, error: 'invalid_request', description: /content type/ },
    ];
    for (const c of errorCases) {
      it(`answers ${c.status} ${c.error} for ${c.name}`, async () => {
        const issuedBefore = sandbox.issuedTokens.length;
        const res = await fetch(sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': c.contentType ?? 'application/json' }, body: c.body(sandbox) });
        assert.equal(res.status, c.status);
        const body = (await res.json()) as TokenBody;
        assert.equal(body.error, c.error);
        if (typeof c.description === 'string') assert.equal(body.error_description, c.description);
        else assert.match(body.error_description!, c.description);
        assert.equal(sandbox.issuedTokens.length, issuedBefore);
      });
    }

    it('uses the configured lifetime', async () => {
      const short = await SandboxServer.start({ tokenLifetimeSeconds: 3 });
      try {
        const res = await jsonTokenRequest(short);
        const body = (await res.json()) as TokenBody;
        assert.equal(body.expires_in, 3);
        const claims = decodePayload(body.access_token!);
        assert.ok((claims['exp'] as number) - (claims['iat'] as number) >= 3);
      } finally {
        await short.stop();
      }
    });
  });

  describe('protected API', () => {
    const rejected: ReadonlyArray<{ name: string; token: (s: SandboxServer) => string | undefined; description: RegExp }> = [
      { name: 'no token', token: () => undefined, description: /Missing bearer token/ },
      { name: 'an expired token', token: (s) => s.mintToken({ iat: 1_600_000_000, exp: 1_600_000_900 }), description: /expired/ },
      { name: 'a badly signed token', token: (s) => signHs256(decodePayload(s.mintToken()), 'not-the-key'), description: /signature/ },
      { name: 'a wrong-audience token', token: (s) => s.mintToken({ aud: 'https://api.studyteamapp.com' }), description: /audience/ },
      { name: 'a token from another issuer', token: (s) => s.mintToken({ iss: 'https://evil.example/' }), description: /issuer/ },
      { name: 'garbage', token: () => 'not-a-jwt', description: /Malformed/ },
    ];
    for (const c of rejected) {
      it(`rejects ${c.name} with 401 and WWW-Authenticate`, async () => {
        const res = await api(sandbox, '/rpi/sites', c.token(sandbox));
        assert.equal(res.status, 401);
        const challenge = res.headers.get('www-authenticate')!;
        assert.match(challenge, /^Bearer error="invalid_token", error_description="[^"]+"$/);
        assert.match(challenge, c.description);
        const body = (await res.json()) as TokenBody;
        assert.equal(body.error, 'invalid_token');
      });
    }

    it('accepts a token until it expires, then rejects it (cached verification included)', async () => {
      // At least a whole second of validity (exp is in whole seconds: "+ 1" could leave a few ms on a loaded machine).
      const exp = Math.floor(Date.now() / 1000) + 2;
      const token = sandbox.mintToken({ exp });
      assert.equal((await api(sandbox, '/rpi/sites', token)).status, 200);
      assert.equal((await api(sandbox, '/rpi/sites', token)).status, 200);
      await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 100));
      const res = await api(sandbox, '/rpi/sites', token);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate')!, /expired/);
    });

    it('rejects the Basic scheme on API routes', async () => {
      const res = await api(sandbox, '/rpi/sites', undefined, { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
      assert.equal(res.status, 401);
    });
  });

  describe('API routes', () => {
    let token: string;
    before(async () => {
      sandbox.resetFaults();
      token = await tokenOf(sandbox);
    });

    it('GET /rpi/sites returns the fake sites and records the request', async () => {
      const res = await api(sandbox, '/rpi/sites', token);
      assert.equal(res.status, 200);
      const sites = (await res.json()) as Array<{ id: string; siteName: string; trials: unknown[] }>;
      assert.ok(sites.length >= 10);
      assert.equal(typeof sites[0]!.siteName, 'string');
      assert.equal(sandbox.counters.apiRequests, 1);
      assert.equal(sandbox.lastApiRequest?.method, 'GET');
      assert.equal(sandbox.lastApiRequest?.path, '/rpi/sites');
      assert.equal(sandbox.lastApiRequest?.headers['authorization'], `Bearer ${token}`);
    });

    it('records the raw body of a referral', async () => {
      const site = sandbox.data.sites[0]!;
      const trial = site.trials[0]!;
      const raw = JSON.stringify({ referral: [{ subjectId: 'SUBJ-T1', primaryTrial: { id: trial.id, sponsorSiteId: trial.sponsorSiteId }, name: [{ given: ['Zelda'], family: 'Quixote-Test' }] }] });
      const res = await api(sandbox, `/rpi/sites/${site.id}/referrals`, token, { method: 'POST', body: raw, headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 202);
      assert.equal(sandbox.receivedBodies.at(-1), raw);
    });

    it('unknown routes answer 404 JSON; wrong methods 405', async () => {
      const res = await api(sandbox, '/rpi/nothing-here', token);
      assert.equal(res.status, 404);
      assert.match(((await res.json()) as { message: string }).message, /No route for GET \/rpi\/nothing-here/);
      assert.equal((await api(sandbox, '/elsewhere')).status, 404);
      assert.equal((await api(sandbox, '/rpi/sites', token, { method: 'DELETE' })).status, 405);
    });

    it('GET /sandbox/big?mb=2 returns about 2 MB of JSON without a token', async () => {
      const res = await api(sandbox, '/sandbox/big?mb=2');
      assert.equal(res.status, 200);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.ok(bytes.length >= 2 * 1024 * 1024 && bytes.length < 2.1 * 1024 * 1024);
      const text = bytes.toString('utf8');
      assert.ok((JSON.parse(text) as unknown[]).length > 1000);
    });
  });

  describe('token endpoint faults', () => {
    it('delayMs delays the answer', async () => {
      sandbox.faults.tokenDelayMs = 150;
      const t0 = Date.now();
      assert.equal((await jsonTokenRequest(sandbox)).status, 200);
      assert.ok(Date.now() - t0 >= 140);
    });

    for (const [status, format] of [[500, 'json'], [503, 'json'], [500, 'plain'], [503, 'plain']] as const) {
      it(`status ${status} with a ${format} body`, async () => {
        sandbox.faults.tokenStatus = status;
        sandbox.faults.tokenStatusBody = format;
        const res = await jsonTokenRequest(sandbox);
        assert.equal(res.status, status);
        const text = await res.text();
        if (format === 'json') assert.ok(typeof (JSON.parse(text) as TokenBody).error === 'string');
        else assert.match(res.headers.get('content-type')!, /text\/plain/);
      });
    }

    for (const status of [502, 200] as const) {
      it(`HTML body with status ${status}`, async () => {
        sandbox.faults.tokenHtmlStatus = status;
        const res = await jsonTokenRequest(sandbox);
        assert.equal(res.status, status);
        assert.match(res.headers.get('content-type')!, /text\/html/);
        assert.match(await res.text(), /<html>/);
      });
    }

    it('malformed JSON success body', async () => {
      sandbox.faults.tokenMalformedJson = true;
      const res = await jsonTokenRequest(sandbox);
      assert.equal(res.status, 200);
      await assert.rejects(res.json());
    });

    it('429 with retry-after and rate-limit headers', async () => {
      sandbox.faults.tokenRateLimited = true;
      sandbox.faults.rateLimitRetryAfterSeconds = 7;
      const res = await jsonTokenRequest(sandbox);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
      assert.ok(Number(res.headers.get('x-ratelimit-limit')) > 0);
      const reset = Number(res.headers.get('x-ratelimit-reset'));
      assert.ok(Math.abs(reset - (Math.floor(Date.now() / 1000) + 7)) <= 2);
      assert.equal(((await res.json()) as TokenBody).error, 'too_many_requests');
    });

    it('drops the connection', async () => {
      sandbox.faults.tokenDropConnection = true;
      await assert.rejects(jsonTokenRequest(sandbox));
      sandbox.resetFaults();
      assert.equal((await jsonTokenRequest(sandbox)).status, 200);
    });

    it('wrong token_type and missing access_token', async () => {
      sandbox.faults.tokenWrongType = true;
      assert.equal(((await (await jsonTokenRequest(sandbox)).json()) as TokenBody).token_type, 'mac');
      sandbox.resetFaults();
      sandbox.faults.tokenMissingAccessToken = true;
      const body = (await (await jsonTokenRequest(sandbox)).json()) as TokenBody;
      assert.equal(body.access_token, undefined);
      assert.equal(body.token_type, 'Bearer');
    });
  });

  describe('API faults', () => {
    let token: string;
    before(async () => {
      sandbox.resetFaults();
      token = await tokenOf(sandbox);
    });

    it('apiDelayMs delays the answer', async () => {
      sandbox.faults.apiDelayMs = 150;
      const t0 = Date.now();
      assert.equal((await api(sandbox, '/rpi/sites', token)).status, 200);
      assert.ok(Date.now() - t0 >= 140);
    });

    it('401 once, then normal', async () => {
      sandbox.faults.apiUnauthorizedOnce = true;
      const first = await api(sandbox, '/rpi/sites', token);
      assert.equal(first.status, 401);
      assert.match(first.headers.get('www-authenticate')!, /invalid_token/);
      assert.equal((await api(sandbox, '/rpi/sites', token)).status, 200);
      assert.equal(sandbox.faults.apiUnauthorizedOnce, false);
    });

    it('401 always', async () => {
      sandbox.faults.apiUnauthorizedAlways = true;
      for (let i = 0; i < 3; i++) assert.equal((await api(sandbox, '/rpi/sites', token)).status, 401);
      const fresh = await tokenOf(sandbox);
      assert.equal((await api(sandbox, '/rpi/sites', fresh)).status, 401);
      assert.equal(sandbox.counters.apiRequests, 4);
    });

    it('apiStatus answers a JSON 5xx after the token check', async () => {
      sandbox.faults.apiStatus = 503;
      assert.equal((await api(sandbox, '/rpi/sites')).status, 401);
      assert.equal((await api(sandbox, '/rpi/sites', token)).status, 503);
    });

    it('drops the connection mid-body after sending headers', async () => {
      sandbox.faults.apiDropMidBody = true;
      const status = await new Promise<{ status: number; error?: string; received: number; expected: number }>((resolve) => {
        const req = httpRequest(`${sandbox.url}/rpi/sites`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
          let received = 0;
          const expected = Number(res.headers['content-length']);
          res.on('data', (c: Buffer) => (received += c.length));
          res.on('error', (e) => resolve({ status: res.statusCode!, error: e.message, received, expected }));
          res.on('end', () => resolve({ status: res.statusCode!, received, expected }));
        });
        req.on('error', (e) => resolve({ status: 0, error: e.message, received: 0, expected: 0 }));
        req.end();
      });
      assert.equal(status.status, 200);
      assert.ok(status.error, 'the body should fail');
      assert.ok(status.received > 0 && status.received < status.expected);
      const viaFetch = await api(sandbox, '/rpi/sites', token);
      await assert.rejects(viaFetch.text());
    });

    it('bigJsonMb makes GET /rpi/sites return a ~10 MB JSON array', async () => {
      sandbox.faults.bigJsonMb = 10;
      const res = await api(sandbox, '/rpi/sites', token);
      assert.equal(res.status, 200);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.ok(bytes.length >= 10 * 1024 * 1024 && bytes.length < 10.1 * 1024 * 1024, `size ${bytes.length}`);
      const text = bytes.toString('utf8');
      const records = JSON.parse(text) as Array<{ id: string; siteName: string }>;
      assert.ok(records.length > 10_000);
      assert.equal(typeof records[0]!.siteName, 'string');
      assert.equal(new Set(records.slice(0, 1000).map((r) => r.id)).size, 1000);
    });

    it('resetFaults turns everything off and keeps the same object', () => {
      const faults = sandbox.faults;
      faults.apiUnauthorizedAlways = true;
      faults.tokenStatus = 500;
      sandbox.resetFaults();
      assert.equal(sandbox.faults, faults);
      assert.equal(faults.apiUnauthorizedAlways, false);
      assert.equal(faults.tokenStatus, undefined);
    });
  });

  describe('counters and records', () => {
    it('counts token and API requests, including failed ones, and resets', async () => {
      const token = await tokenOf(sandbox);
      await jsonTokenRequest(sandbox, { client_secret: 'wrong' });
      await api(sandbox, '/rpi/sites', token);
      await api(sandbox, '/rpi/sites');
      await api(sandbox, '/nope');
      assert.deepEqual({ ...sandbox.counters }, { tokenRequests: 2, apiRequests: 3 });
      sandbox.resetCounters();
      assert.deepEqual({ ...sandbox.counters }, { tokenRequests: 0, apiRequests: 0 });
    });

    it('issuedTokens are verifiable with nothing else; GET bodies are not recorded', async () => {
      const bodies = sandbox.receivedBodies.length;
      const token = await tokenOf(sandbox);
      await api(sandbox, '/rpi/sites', token);
      assert.equal(sandbox.receivedBodies.length, bodies);
      assert.ok(sandbox.issuedTokens.includes(token));
    });
  });

  describe('two instances', () => {
    it('run side by side with separate clients, keys, counters and faults', async () => {
      const staging = await SandboxServer.start({ name: 'Staging-like' });
      const production = await SandboxServer.start({ name: 'Production-like', tokenLifetimeSeconds: 60 });
      try {
        assert.notEqual(staging.url, production.url);
        assert.notEqual(staging.clients[0]!.clientSecret, production.clients[0]!.clientSecret);
        const a = await tokenOf(staging);
        const b = await tokenOf(production);
        assert.equal((await api(staging, '/rpi/sites', a)).status, 200);
        assert.equal((await api(production, '/rpi/sites', b)).status, 200);
        // A token never works on the other instance (different key and audience).
        assert.equal((await api(production, '/rpi/sites', a)).status, 401);
        assert.equal((await api(staging, '/rpi/sites', b)).status, 401);
        // Credentials of one are unknown to the other.
        const cross = await fetch(production.tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: staging.clients[0]!.clientId, client_secret: staging.clients[0]!.clientSecret, audience: production.audience, grant_type: 'client_credentials' }),
        });
        assert.equal(cross.status, 401);
        staging.faults.tokenStatus = 503;
        assert.equal((await jsonTokenRequest(staging)).status, 503);
        assert.equal((await jsonTokenRequest(production)).status, 200);
        assert.deepEqual({ ...staging.counters }, { tokenRequests: 2, apiRequests: 2 });
        assert.deepEqual({ ...production.counters }, { tokenRequests: 3, apiRequests: 2 });
      } finally {
        await Promise.all([staging.stop(), production.stop()]);
      }
    });

    it('accepts given clients, audience and signing key', async () => {
      const client = randomClient('https://staging.api.studyteamapp.com');
      const s = await SandboxServer.start({ clients: [client], signingKey: 'k'.repeat(32), audience: client.audience });
      try {
        assert.equal(s.clients[0], client);
        const token = await tokenOf(s);
        assert.equal(decodePayload(token)['aud'], client.audience);
        assert.equal(verifyHs256(token, 'k'.repeat(32)).ok, true);
        assert.equal(verifyHs256(token, 'other').ok, false);
        assert.equal((await api(s, '/rpi/sites', token)).status, 200);
      } finally {
        await s.stop();
      }
    });
  });

  describe('stop()', () => {
    it('closes keep-alive connections and pending delayed answers promptly', async () => {
      const s = await SandboxServer.start();
      const agent = new Agent({ keepAlive: true });
      const token = s.mintToken();
      const get = (): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = httpRequest(`${s.url}/rpi/sites`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', reject);
          req.end();
        });
      assert.equal(await get(), 200);
      assert.equal(await get(), 200);
      const sockets = Object.values(agent.freeSockets).flat();
      assert.equal(sockets.length, 1);
      const closed = new Promise<void>((resolve) => sockets[0]!.once('close', () => resolve()));
      s.faults.apiDelayMs = 60_000;
      const pending = fetch(`${s.url}/rpi/sites`, { headers: { authorization: `Bearer ${token}` } }).then(
        () => 'answered',
        () => 'failed',
      );
      await new Promise((r) => setTimeout(r, 50));
      const t0 = Date.now();
      await s.stop();
      await closed;
      assert.equal(await pending, 'failed');
      assert.ok(Date.now() - t0 < 1000);
      await assert.rejects(fetch(`${s.url}/rpi/sites`));
      await s.stop(); // idempotent
      agent.destroy();
    });
  });

  describe('cli arguments', () => {
    it('parses --port, --lifetime, --host and --name; rejects nonsense with a clear message', () => {
      assert.deepEqual(parseSandboxArgs(['--port', '8123', '--lifetime=30', '--name', 'Dev']), { options: { port: 8123, tokenLifetimeSeconds: 30, name: 'Dev' } });
      assert.deepEqual(parseSandboxArgs([]), { options: {} });
      assert.deepEqual(parseSandboxArgs(['--events', '10000']), { options: { seedEvents: 10_000 } });
      assert.match((parseSandboxArgs(['--events', '-1']) as { error: string }).error, /--events/);
      assert.match((parseSandboxArgs(['--port', 'x']) as { error: string }).error, /--port/);
      assert.match((parseSandboxArgs(['--frobnicate', '1']) as { error: string }).error, /Unknown option/);
    });
  });
});

function creds(s: SandboxServer, overrides: Record<string, string | undefined> = {}): string {
  const c = s.clients[0]!;
  return JSON.stringify({ client_id: c.clientId, client_secret: c.clientSecret, audience: c.audience, grant_type: 'client_credentials', ...overrides });
}
