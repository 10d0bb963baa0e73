import * as assert from 'node:assert/strict';
import { AuthService } from '../../src/core/authService';
import { isStudyTeamError } from '../../src/core/errors';
import type { Environment, HttpMethod } from '../../src/core/model';
import { RequestRunner, type SendGuard } from '../../src/core/requestRunner';
import { delay, FakeStudyTeam, FixtureServer, MemoryCredentials, MemoryLogger, refusedPort, rejectionOf, sendJson } from './support/fixtureServer';

describe('RequestRunner', () => {
  let api: FakeStudyTeam;
  let other: FixtureServer;
  let env: Environment;
  let logger: MemoryLogger;
  let auth: AuthService;

  before(async () => {
    api = await FakeStudyTeam.start();
    other = await FixtureServer.start();
  });
  after(async () => {
    await api.stop();
    await other.stop();
  });
  beforeEach(() => {
    api.server.requests.length = 0;
    other.requests.length = 0;
    api.always401 = false;
    api.apiDelayMs = 0;
    api.tokenDelayMs = 0;
    api.revokeAll();
    env = api.environment();
    logger = new MemoryLogger();
    auth = new AuthService({ credentials: new MemoryCredentials({ fake: api.credentials }), logger });
  });

  function runner(extra: Partial<ConstructorParameters<typeof RequestRunner>[0]> = {}): RequestRunner {
    return new RequestRunner({ auth, logger, ...extra });
  }

  it('bearer: resolves the path, adds query and headers, sends the token, returns a full response', async () => {
    const response = await runner().run(env, {
      method: 'GET',
      url: '/api/sites',
      query: [
        { name: 'patientId', value: 'P 123' },
        { name: 'off', value: 'x', enabled: false },
      ],
      headers: [
        { name: 'X-Trace', value: 'abc' },
        { name: 'X-Off', value: '1', enabled: false },
      ],
      auth: 'bearer',
    });
    assert.equal(response.status, 200);
    assert.equal(response.statusText, 'OK');
    assert.equal(response.retried, false);
    const [sent] = api.apiRequests;
    assert.equal(sent.path, '/api/sites?patientId=P+123');
    assert.match(String(sent.headers.authorization), /^Bearer tok-1-/);
    assert.equal(sent.headers['x-trace'], 'abc');
    assert.equal(sent.headers['x-off'], undefined);
    assert.deepEqual(JSON.parse(response.text), { ok: true, path: '/api/sites?patientId=P+123' });
    assert.equal(response.contentType, 'application/json');
    assert.equal(response.size, response.body.length);
    assert.equal(response.truncated, false);
    assert.ok(response.timings.totalMs >= response.timings.headersMs && response.timings.headersMs >= 0);
    assert.ok(response.headers.some(([n, v]) => n === 'content-type' && v === 'application/json'));
    assert.equal(response.request.url, `${api.url}/api/sites?patientId=P+123`);
    assert.deepEqual(
      response.request.headers.find(([n]) => n === 'authorization'),
      ['authorization', 'Bearer ‹redacted›'],
    );
    assert.ok(!JSON.stringify(response.request).includes('tok-1'));
    const httpLines = logger.lines.filter((l) => l.tag === 'http');
    assert.equal(httpLines.length, 1);
    assert.match(httpLines[0].message, /^Fake: GET \/api\/sites → 200 in \d+ ms, \d+ B$/);
    assert.ok(!logger.text().includes('P+123') && !logger.text().includes('tok-'));
  });

  it('strips a user-typed Authorization header when the token is managed', async () => {
    await runner().run(env, { method: 'GET', url: '/api/x', headers: [{ name: 'Authorization', value: 'Bearer mine' }], auth: 'bearer' });
    const [sent] = api.apiRequests;
    assert.match(String(sent.headers.authorization), /^Bearer tok-/);
  });

  it('auth "none" sends no Authorization header and fetches no token', async () => {
    other.handler = (_q, res) => sendJson(res, 200, {});
    const response = await runner().run(env, { method: 'GET', url: `${other.url}/microsites-api/v1/m/sites/t`, auth: 'none' });
    assert.equal(response.status, 200);
    assert.equal(other.requests.length, 1);
    assert.equal(other.requests[0].headers.authorization, undefined);
    assert.equal(api.tokenRequests, 0);
    const toApi = await runner().run(env, { method: 'GET', url: '/api/x', auth: 'none' });
    assert.equal(toApi.status, 401);
    assert.equal(api.apiRequests[0].headers.authorization, undefined);
    assert.equal(toApi.retried, false);
  });

  it('refuses bearer requests to another origin: nothing reaches the other server', async () => {
    const error = await rejectionOf(runner().run(env, { method: 'GET', url: `${other.url}/steal`, auth: 'bearer' }));
    assert.ok(isStudyTeamError(error, 'cross-origin'));
    assert.match(error.message, /refusing to send the Fake token to http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(other.requests.length, 0);
    assert.equal(api.tokenRequests, 0);
    const sameHostOtherPort = await rejectionOf(
      runner().run(env, { method: 'GET', url: `http://localhost:${api.server.port}/api/x`, auth: 'bearer' }),
    );
    assert.ok(isStudyTeamError(sameHostOtherPort, 'cross-origin'));
  });

  it('401 → exactly one re-auth and one retry', async () => {
    const r = runner();
    await r.run(env, { method: 'GET', url: '/api/a', auth: 'bearer' });
    api.revokeAll(); // the server forgets the token (e.g. rotated keys)
    api.server.requests.length = 0;
    const response = await r.run(env, { method: 'GET', url: '/api/b', auth: 'bearer' });
    assert.equal(response.status, 200);
    assert.equal(response.retried, true);
    assert.equal(api.apiRequests.length, 2);
    assert.equal(api.tokenRequests, 1);
    assert.equal(auth.tokenRequestCount('fake'), 2);
    assert.match(logger.text(), /retried after 401/);
  });

  it('a server that always answers 401 → exactly 2 API calls and 2 token requests, 401 returned', async () => {
    api.always401 = true;
    const response = await runner().run(env, { method: 'GET', url: '/api/x', auth: 'bearer' });
    assert.equal(response.status, 401);
    assert.equal(response.retried, true);
    assert.equal(api.apiRequests.length, 2);
    assert.equal(api.tokenRequests, 2);
  });

  it('a burst of concurrent 401s causes one refetch', async () => {
    const r = runner();
    await r.run(env, { method: 'GET', url: '/api/warm', auth: 'bearer' });
    api.revokeAll();
    api.server.requests.length = 0;
    api.tokenDelayMs = 20;
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => r.run(env, { method: 'GET', url: `/api/${i}`, auth: 'bearer' })));
    assert.ok(responses.every((x) => x.status === 200));
    assert.equal(api.tokenRequests, 1);
    assert.equal(auth.tokenRequestCount('fake'), 2);
  });

  it('the guard runs before anything is sent; false → declined', async () => {
    const seen: Array<{ method: HttpMethod; url: string }> = [];
    const guard: SendGuard = async (_env, request) => {
      seen.push(request);
      return false;
    };
    const error = await rejectionOf(runner({ guard }).run(env, { method: 'DELETE', url: '/api/x', auth: 'bearer' }));
    assert.ok(isStudyTeamError(error, 'declined'));
    assert.deepEqual(seen, [{ method: 'DELETE', url: `${api.url}/api/x` }]);
    assert.equal(api.server.requests.length, 0);
    const ok = await runner({ guard: async () => true }).run(env, { method: 'GET', url: '/api/x', auth: 'bearer' });
    assert.equal(ok.status, 200);
  });

  it('credentials are checked before the guard asks: no "this changes real data" question that then fails for lack of credentials', async () => {
    let asked = 0;
    const guard: SendGuard = async () => {
      asked++;
      return true;
    };
    const noCredentials = new AuthService({ credentials: new MemoryCredentials(), logger });
    const error = await rejectionOf(new RequestRunner({ auth: noCredentials, logger, guard }).run(env, { method: 'DELETE', url: '/api/x', auth: 'bearer' }));
    assert.ok(isStudyTeamError(error, 'credentials-missing'), String(error));
    assert.equal(asked, 0, 'not asked');
    assert.equal(api.server.requests.length, 0);
    // auth none needs no credentials: the guard is asked.
    await rejectionOf(new RequestRunner({ auth: noCredentials, logger, guard: async () => (asked++, false) }).run(env, { method: 'DELETE', url: '/api/x', auth: 'none' }));
    assert.equal(asked, 1);
  });

  it('the deadline starts after the questions: a slow answer (credentials source, guard) is not timed', async () => {
    // Like SecretCredentialStore: the first read asks about a moved origin (slow: a person answers), later reads are cached.
    let answered = false;
    const slowCredentials = { get: async () => (answered || (await delay(150), (answered = true)), api.credentials) };
    const slowAuth = new AuthService({ credentials: slowCredentials, logger });
    const guard: SendGuard = async () => (await delay(150), true);
    const response = await new RequestRunner({ auth: slowAuth, logger, guard, timeoutMs: 100 }).run(env, { method: 'POST', url: '/api/x', auth: 'bearer', body: '{}' });
    assert.equal(response.status, 200);
  });

  it('reads its timeout per request when given a function (a changed setting applies to the next request)', async () => {
    let timeoutMs = 50;
    api.apiDelayMs = 200;
    const r = runner({ timeoutMs: () => timeoutMs });
    assert.ok(isStudyTeamError(await rejectionOf(r.run(env, { method: 'GET', url: '/api/slow', auth: 'bearer' })), 'timeout'));
    timeoutMs = 5_000;
    assert.equal((await r.run(env, { method: 'GET', url: '/api/slow', auth: 'bearer' })).status, 200);
  });

  it('cancellation via AbortSignal', async () => {
    api.apiDelayMs = 500;
    const controller = new AbortController();
    const pending = runner().run(env, { method: 'GET', url: '/api/slow', auth: 'bearer' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(pending);
    assert.ok(isStudyTeamError(error, 'cancelled'), String(error));
  });

  it('timeout', async () => {
    api.apiDelayMs = 500;
    const error = await rejectionOf(runner().run(env, { method: 'GET', url: '/api/slow', auth: 'bearer' }, { timeoutMs: 80 }));
    assert.ok(isStudyTeamError(error, 'timeout'), String(error));
    assert.match(error.message, /^Fake: GET \/api\/slow timed out/);
  });

  it('truncates a body above maxBodyBytes', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    other.handler = async (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 32 && !res.destroyed; i++) {
        res.write(chunk);
        await delay(1);
      }
      res.end();
    };
    const response = await runner({ maxBodyBytes: 100_000 }).run(env, { method: 'GET', url: `${other.url}/big`, auth: 'none' });
    assert.equal(response.truncated, true);
    assert.equal(response.body.length, 100_000);
    assert.ok(response.size >= 100_000 && response.size < 32 * chunk.length);
    const small = await runner().run(env, { method: 'GET', url: `${other.url}/big`, auth: 'none' }, { maxBodyBytes: 10 * 1024 * 1024 });
    assert.equal(small.truncated, false);
    assert.equal(small.size, 32 * chunk.length);
  });

  it('a redirect to another origin drops Authorization; a same-origin redirect keeps it', async () => {
    other.handler = (_q, res) => sendJson(res, 200, { landed: true });
    const r = runner();
    await r.run(env, { method: 'GET', url: '/api/warm', auth: 'bearer' });
    const base = api.server.handler;
    api.server.handler = (req, res, body) => {
      if (req.url === '/api/away') {
        res.writeHead(302, { location: `${other.url}/landing` });
        return void res.end();
      }
      if (req.url === '/api/here') {
        res.writeHead(307, { location: '/api/final' });
        return void res.end();
      }
      return base(req, res, body);
    };
    try {
      const away = await r.run(env, { method: 'GET', url: '/api/away', headers: [{ name: 'Cookie', value: 'a=1' }], auth: 'bearer' });
      assert.equal(away.status, 200);
      assert.equal(other.requests.length, 1);
      assert.equal(other.requests[0].headers.authorization, undefined);
      assert.equal(other.requests[0].headers.cookie, undefined);
      assert.equal(away.request.url, `${other.url}/landing`);
      assert.ok(!away.request.headers.some(([n]) => n === 'authorization'));

      const here = await r.run(env, { method: 'GET', url: '/api/here', auth: 'bearer' });
      assert.equal(here.status, 200);
      const final = api.apiRequests.find((q) => q.path === '/api/final');
      assert.match(String(final?.headers.authorization), /^Bearer tok-/);
    } finally {
      api.server.handler = base;
    }
  });

  it('stops after 5 redirects', async () => {
    other.handler = (req, res) => {
      res.writeHead(302, { location: `/loop${Number((req.url ?? '').replace(/\D/g, '') || 0) + 1}` });
      res.end();
    };
    const error = await rejectionOf(runner().run(env, { method: 'GET', url: `${other.url}/loop0`, auth: 'none' }));
    assert.ok(isStudyTeamError(error, 'bad-response'));
    assert.match(error.message, /redirected more than 5 times/);
    assert.equal(other.requests.length, 6);
  });

  it('keeps multi-valued headers and decodes the named charset', async () => {
    other.handler = (_q, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('Content-Type', 'text/plain; charset=iso-8859-1');
      res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    };
    const response = await runner().run(env, { method: 'GET', url: `${other.url}/h`, auth: 'none' });
    assert.deepEqual(
      response.headers.filter(([n]) => n === 'set-cookie'),
      [
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ],
    );
    assert.equal(response.text, 'café');
  });

  it('POST sends the body with a JSON content type and reports bodyBytes', async () => {
    const body = JSON.stringify({ name: 'Zoë' });
    const response = await runner().run(env, { method: 'POST', url: '/api/referrals', body, auth: 'bearer' });
    assert.equal(response.status, 200);
    const [sent] = api.apiRequests;
    assert.equal(sent.body, body);
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(response.request.bodyBytes, Buffer.byteLength(body));
  });

  const invalid: Array<{ name: string; method: HttpMethod; url: string; body?: string; header?: string }> = [
    { name: 'GET with a body', method: 'GET', url: '/api/x', body: '{}' },
    { name: 'bad header name', method: 'GET', url: '/api/x', header: 'Bad Header' },
    { name: 'non-http scheme', method: 'GET', url: 'ftp://example.com/x' },
  ];
  for (const c of invalid) {
    it(`invalid request: ${c.name}`, async () => {
      const error = await rejectionOf(
        runner().run(env, {
          method: c.method,
          url: c.url,
          body: c.body,
          headers: c.header ? [{ name: c.header, value: 'v' }] : undefined,
          auth: 'none',
        }),
      );
      assert.ok(isStudyTeamError(error, 'invalid-request'), String(error));
      assert.equal(api.server.requests.length, 0);
    });
  }

  it('network failure → typed network error', async () => {
    const port = await refusedPort();
    const error = await rejectionOf(runner().run(env, { method: 'GET', url: `http://127.0.0.1:${port}/x`, auth: 'none' }));
    assert.ok(isStudyTeamError(error, 'network'));
    assert.match(error.message, /connection refused/);
  });
});
