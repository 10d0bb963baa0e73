import * as assert from 'node:assert/strict';
import type * as http from 'node:http';
import { isStudyTeamError, type StudyTeamError, type StudyTeamErrorKind } from '../../src/core/errors';
import type { ClientCredentials, Environment } from '../../src/core/model';
import { requestToken } from '../../src/core/tokenClient';
import { delay, FakeClock, FixtureServer, refusedPort, rejectionOf, sendJson } from './support/fixtureServer';

const SECRET = 'Xy9-very-secret-client-value-42';
const credentials: ClientCredentials = { clientId: 'client-123', clientSecret: SECRET };

function jwtWithExp(exp: number): string {
  const enc = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ exp, aud: 'x' })}.c2lnbmF0dXJl`;
}

/** Echoes the secret back in a body, to prove it is scrubbed from excerpts. */
const leakyHtml = `<html><head><title>Oops</title><style>body{}</style></head><body><h1>Bad Gateway</h1><p>client_secret=${SECRET}</p></body></html>`;

interface FailureCase {
  name: string;
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;
  kind: StudyTeamErrorKind;
  message: RegExp;
  check?: (error: StudyTeamError) => void;
  timeoutMs?: number;
}

const failureCases: FailureCase[] = [
  {
    name: '401 access_denied → bad credentials',
    handler: (_q, res) => sendJson(res, 401, { error: 'access_denied', error_description: 'Unauthorized' }),
    kind: 'token-rejected',
    message: /^Staging: token request rejected \(401 access_denied: Unauthorized\)\. Check the client ID and secret\.$/,
    check: (e) => {
      assert.equal(e.status, 401);
      assert.equal(e.oauthError, 'access_denied');
      assert.deepEqual(e.actions, ['setCredentials']);
    },
  },
  {
    name: '403 access_denied → audience not authorised',
    handler: (_q, res) => sendJson(res, 403, { error: 'access_denied', error_description: 'Service not enabled within domain: https://x' }),
    kind: 'token-rejected',
    message: /403 access_denied: Service not enabled.*not authorised for the audience/,
    // "Edit audience…" first: the audience is what a 403 is usually about.
    check: (e) => assert.deepEqual(e.actions, ['editAudience', 'setCredentials']),
  },
  {
    name: '403 unauthorized_client → grant not allowed',
    handler: (_q, res) => sendJson(res, 403, { error: 'unauthorized_client', error_description: 'Grant type not allowed' }),
    kind: 'token-rejected',
    message: /403 unauthorized_client.*client_credentials grant/,
  },
  {
    name: '400 invalid_request',
    handler: (_q, res) => sendJson(res, 400, { error: 'invalid_request', error_description: 'Missing audience' }),
    kind: 'token-rejected',
    message: /400 invalid_request: Missing audience/,
  },
  {
    name: '429 with retry-after',
    handler: (_q, res) => sendJson(res, 429, { error: 'too_many_requests', error_description: 'Global limit has been reached' }, { 'retry-after': '30' }),
    kind: 'rate-limited',
    message: /rate-limited \(429 too_many_requests: Global limit has been reached\)\. Try again in 30 s\./,
    check: (e) => assert.equal(e.retryAfterSeconds, 30),
  },
  {
    name: '429 with x-ratelimit-reset (epoch seconds)',
    handler: (_q, res) => {
      const reset = Math.floor(new FakeClock().now() / 1000) + 120;
      sendJson(res, 429, { error: 'too_many_requests' }, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    },
    kind: 'rate-limited',
    message: /Try again in 2 min\./,
    check: (e) => assert.equal(e.retryAfterSeconds, 120),
  },
  {
    name: '500 JSON',
    handler: (_q, res) => sendJson(res, 500, { error: 'server_error', error_description: 'Internal error' }),
    kind: 'server-error',
    message: /token endpoint failed \(500 server_error: Internal error\).*try again later/,
  },
  {
    name: '503 HTML body → short sanitised excerpt',
    handler: (_q, res) => {
      res.writeHead(503, 'Service Unavailable', { 'content-type': 'text/html' });
      res.end(leakyHtml + '<p>' + 'padding '.repeat(200) + '</p>');
    },
    kind: 'server-error',
    message: /\(503 Service Unavailable\).*Response began: "Oops Bad Gateway client_secret=‹redacted›/,
    check: (e) => {
      assert.ok(!e.message.includes('<'), 'no HTML tags');
      assert.ok(e.message.length < 400, 'excerpt is short');
    },
  },
  {
    name: '200 with an HTML page',
    handler: (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(leakyHtml);
    },
    kind: 'bad-response',
    message: /answered 200 OK with an HTML page instead of a token\. Check the token URL\./,
  },
  {
    name: '404 plain text',
    handler: (_q, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Cannot POST /oauth/token');
    },
    kind: 'bad-response',
    message: /404 Not Found.*not OAuth JSON.*Cannot POST/,
  },
  {
    name: 'missing access_token',
    handler: (_q, res) => sendJson(res, 200, { token_type: 'Bearer', expires_in: 900 }),
    kind: 'bad-response',
    message: /access_token is missing/,
  },
  {
    name: 'access_token not a string',
    handler: (_q, res) => sendJson(res, 200, { access_token: 42, token_type: 'Bearer', expires_in: 900 }),
    kind: 'bad-response',
    message: /access_token is not a non-empty string/,
  },
  {
    name: 'token_type not Bearer',
    handler: (_q, res) => sendJson(res, 200, { access_token: 'abc', token_type: 'MAC', expires_in: 900 }),
    kind: 'bad-response',
    message: /token_type is "MAC", not "Bearer"/,
  },
  {
    name: 'expires_in not numeric',
    handler: (_q, res) => sendJson(res, 200, { access_token: 'abc', token_type: 'Bearer', expires_in: 'soon' }),
    kind: 'bad-response',
    message: /expires_in is not a positive number/,
  },
  {
    name: 'JSON array body',
    handler: (_q, res) => sendJson(res, 200, [1, 2]),
    kind: 'bad-response',
    message: /not JSON|instead of a token/,
  },
  {
    name: 'redirect is not followed with credentials',
    handler: (_q, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example/oauth/token' });
      res.end();
    },
    kind: 'bad-response',
    message: /redirected \(302 Found to https:\/\/elsewhere\.example\/oauth\/token\)/,
  },
  {
    name: 'dropped connection',
    handler: (req) => void req.socket.destroy(),
    kind: 'network',
    message: /could not reach the token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth\/token \(the connection was dropped by the server\)/,
  },
  {
    name: 'timeout',
    handler: async (_q, res) => {
      await delay(1000);
      sendJson(res, 200, { access_token: 'late', token_type: 'Bearer' });
    },
    timeoutMs: 150,
    kind: 'timeout',
    message: /did not answer within 1 s/,
  },
];

describe('tokenClient.requestToken', () => {
  let server: FixtureServer;
  let env: Environment;

  before(async () => {
    server = await FixtureServer.start();
    env = { id: 'staging', name: 'Staging', baseUrl: server.url, production: false };
  });
  after(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
  });

  it('POSTs exactly the client-credentials JSON body to <baseUrl>/oauth/token', async () => {
    const clock = new FakeClock();
    server.handler = (_q, res) => sendJson(res, 200, { access_token: 'abc.def', token_type: 'bearer', expires_in: 900 });
    const token = await requestToken(env, credentials, { clock });
    assert.equal(server.requests.length, 1);
    const [req] = server.requests;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/oauth/token');
    assert.match(String(req.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(req.body), {
      client_id: 'client-123',
      client_secret: SECRET,
      audience: server.url,
      grant_type: 'client_credentials',
    });
    assert.deepEqual(Object.keys(JSON.parse(req.body)).sort(), ['audience', 'client_id', 'client_secret', 'grant_type']);
    assert.deepEqual(token, { value: 'abc.def', tokenType: 'Bearer', obtainedAt: clock.now(), expiresAt: clock.now() + 900_000 });
  });

  it('uses the configured token URL and audience', async () => {
    server.handler = (_q, res) => sendJson(res, 200, { access_token: 'a', token_type: 'Bearer', expires_in: 60 });
    await requestToken({ ...env, tokenUrl: `${server.url}/custom/token`, audience: 'https://aud.example' }, credentials);
    assert.equal(server.requests[0].path, '/custom/token');
    assert.equal(JSON.parse(server.requests[0].body).audience, 'https://aud.example');
  });

  const lifetimes: Array<{ name: string; body: Record<string, unknown>; expectedMs: (now: number) => number }> = [
    { name: 'numeric string expires_in', body: { expires_in: '3600' }, expectedMs: (now) => now + 3_600_000 },
    { name: 'no expires_in → JWT exp', body: { access_token: jwtWithExp(1_735_700_000) }, expectedMs: () => 1_735_700_000_000 },
    { name: 'no expires_in, opaque token → 900 s', body: {}, expectedMs: (now) => now + 900_000 },
  ];
  for (const c of lifetimes) {
    it(`lifetime: ${c.name}`, async () => {
      const clock = new FakeClock();
      server.handler = (_q, res) => sendJson(res, 200, { access_token: 'opaque', token_type: 'BEARER', ...c.body });
      const token = await requestToken(env, credentials, { clock });
      assert.equal(token.expiresAt, c.expectedMs(clock.now()));
    });
  }

  for (const c of failureCases) {
    it(`failure: ${c.name}`, async () => {
      server.handler = c.handler;
      const error = await rejectionOf(requestToken(env, credentials, { timeoutMs: c.timeoutMs, clock: new FakeClock() }));
      assert.ok(isStudyTeamError(error), `expected StudyTeamError, got ${String(error)}`);
      assert.equal(error.kind, c.kind, error.message);
      assert.match(error.message, c.message);
      assert.equal(error.environmentName, 'Staging');
      assert.ok(!error.message.includes(SECRET), 'secret in message');
      assert.ok(!String(error.stack).includes(SECRET), 'secret in stack');
      assert.ok(!JSON.stringify(error).includes(SECRET), 'secret in fields');
      c.check?.(error);
    });
  }

  it('failure: connection refused', async () => {
    const port = await refusedPort();
    const error = await rejectionOf(requestToken({ ...env, baseUrl: `http://127.0.0.1:${port}` }, credentials));
    assert.ok(isStudyTeamError(error, 'network'));
    assert.match(error.message, /could not reach the token endpoint .*\(connection refused\)\. Check the token URL/);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.ok(!String(error.stack).includes(SECRET));
  });

  it('failure: DNS', async () => {
    const error = await rejectionOf(requestToken({ ...env, baseUrl: 'https://no-such-host.invalid' }, credentials, { timeoutMs: 5000 }));
    assert.ok(isStudyTeamError(error, 'network'));
    assert.match(error.message, /could not resolve the host name \(DNS\)|network error/);
  });

  it('cancellation via AbortSignal', async () => {
    server.handler = async (_q, res) => {
      await delay(1000);
      sendJson(res, 200, { access_token: 'late', token_type: 'Bearer' });
    };
    const controller = new AbortController();
    const pending = requestToken(env, credentials, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(pending);
    assert.ok(isStudyTeamError(error, 'cancelled'), String(error));
  });

  it('an already-aborted signal sends nothing', async () => {
    const error = await rejectionOf(requestToken(env, credentials, { signal: AbortSignal.abort() }));
    assert.ok(isStudyTeamError(error, 'cancelled'));
    assert.equal(server.requests.length, 0);
  });
});
