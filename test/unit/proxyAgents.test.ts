import * as assert from 'node:assert/strict';
import { AuthService } from '../../src/core/authService';
import { createNodeFetch } from '../../src/core/http';
import type { ApiRequest, Environment } from '../../src/core/model';
import { ProxyAgents, ProxyConfigurationError, redactProxyUrl } from '../../src/core/proxyAgents';
import { RequestRunner } from '../../src/core/requestRunner';
import { SandboxServer } from '../../src/sandbox/sandboxServer';
import { LoggingProxy } from '../support/loggingProxy';
import { createTestCertificates, TEST_HTTPS_NAME, type TestCertificates } from '../support/testCertificates';

const P = 'http://proxy.corp:3128';
type Env = Record<string, string>;

describe('ProxyAgents: which requests go through which proxy', () => {
  // [what, environment, URL, expected proxy or undefined for direct]
  const cases: Array<[string, Env, string, string | undefined]> = [
    ['HTTPS_PROXY for https', { HTTPS_PROXY: P }, 'https://api.studyteamapp.com/rpi/sites', P],
    ['lower-case https_proxy', { https_proxy: P }, 'https://api.studyteamapp.com', P],
    ['lower-case wins over upper-case', { https_proxy: P, HTTPS_PROXY: 'http://other:1' }, 'https://api.studyteamapp.com', P],
    ['HTTP_PROXY is for http URLs only', { HTTP_PROXY: P }, 'https://api.studyteamapp.com', undefined],
    ['HTTP_PROXY for an http URL', { HTTP_PROXY: P }, 'http://api.example.com', P],
    ['ALL_PROXY as the fallback', { ALL_PROXY: P }, 'https://api.studyteamapp.com', P],
    ['a proxy without scheme is http://', { HTTPS_PROXY: 'proxy.corp:3128' }, 'https://api.studyteamapp.com', P],
    ['no variables: direct', {}, 'https://api.studyteamapp.com', undefined],
    ['NO_PROXY=.studyteamapp.com matches a subdomain', { HTTPS_PROXY: P, NO_PROXY: '.studyteamapp.com' }, 'https://api.studyteamapp.com', undefined],
    ['NO_PROXY=api.studyteamapp.com matches that name', { HTTPS_PROXY: P, NO_PROXY: 'api.studyteamapp.com' }, 'https://api.studyteamapp.com', undefined],
    ['NO_PROXY without a leading dot is that name only', { HTTPS_PROXY: P, NO_PROXY: 'studyteamapp.com' }, 'https://staging.api.studyteamapp.com', P],
    ['NO_PROXY=*.studyteamapp.com', { HTTPS_PROXY: P, NO_PROXY: '*.studyteamapp.com' }, 'https://api.studyteamapp.com', undefined],
    ['NO_PROXY does not match a longer name', { HTTPS_PROXY: P, NO_PROXY: 'studyteamapp.com' }, 'https://notstudyteamapp.com', P],
    ['NO_PROXY list, spaces and commas', { HTTPS_PROXY: P, no_proxy: 'intranet, .corp ,api.studyteamapp.com' }, 'https://api.studyteamapp.com', undefined],
    ['NO_PROXY with a port: that port only', { HTTPS_PROXY: P, NO_PROXY: 'api.studyteamapp.com:8443' }, 'https://api.studyteamapp.com:8443', undefined],
    ['NO_PROXY with a port: other ports proxied', { HTTPS_PROXY: P, NO_PROXY: 'api.studyteamapp.com:8443' }, 'https://api.studyteamapp.com', P],
    ['NO_PROXY=* : everything direct', { HTTPS_PROXY: P, NO_PROXY: '*' }, 'https://api.studyteamapp.com', undefined],
    ['NO_PROXY with an address', { HTTPS_PROXY: P, NO_PROXY: '10.1.2.3' }, 'https://10.1.2.3:8443', undefined],
    ['loopback 127.0.0.1 direct without NO_PROXY', { HTTPS_PROXY: P, HTTP_PROXY: P }, 'http://127.0.0.1:4010', undefined],
    ['loopback 127.0.0.2 direct', { HTTPS_PROXY: P, HTTP_PROXY: P }, 'https://127.0.0.2:4010', undefined],
    ['loopback localhost direct', { HTTPS_PROXY: P, HTTP_PROXY: P }, 'http://localhost:4010', undefined],
    ['loopback api.localhost direct', { HTTPS_PROXY: P }, 'https://api.localhost', undefined],
    ['loopback [::1] direct', { HTTPS_PROXY: P, HTTP_PROXY: P }, 'http://[::1]:4010', undefined],
  ];
  for (const [what, env, url, expected] of cases) {
    it(`${what}: ${url} → ${expected ?? 'direct'}`, () => {
      const agents = new ProxyAgents({ env });
      assert.equal(agents.proxyFor(url), expected);
      assert.equal(agents.agentFor(url) === undefined, expected === undefined);
      agents.destroy();
    });
  }

  it('--proxy replaces the *_PROXY variables; NO_PROXY and loopback still go direct', () => {
    const agents = new ProxyAgents({ env: { HTTPS_PROXY: 'http://env-proxy:1', NO_PROXY: '.intranet' }, proxy: 'cli-proxy:8080' });
    assert.equal(agents.proxyFor('https://api.studyteamapp.com'), 'http://cli-proxy:8080');
    assert.equal(agents.proxyFor('http://api.example.com'), 'http://cli-proxy:8080');
    assert.equal(agents.proxyFor('https://api.intranet'), undefined);
    assert.equal(agents.proxyFor('https://127.0.0.1:1'), undefined);
  });

  it('reads the environment once: a later change of process.env does not re-route, and process.env is left as it was', () => {
    const before = process.env;
    const agents = new ProxyAgents({ env: { HTTPS_PROXY: P } });
    assert.equal(agents.proxyFor('https://api.studyteamapp.com'), P);
    assert.equal(process.env, before);
    assert.equal(process.env.HTTPS_PROXY, before.HTTPS_PROXY);
  });

  it('one agent per proxy URL, shared by every host behind it', () => {
    const agents = new ProxyAgents({ env: { HTTPS_PROXY: P, HTTP_PROXY: 'http://other.corp:1' } });
    const a = agents.agentFor('https://api.studyteamapp.com/rpi/sites');
    assert.ok(a);
    assert.equal(agents.agentFor('https://staging.api.studyteamapp.com/oauth/token'), a);
    assert.notEqual(agents.agentFor('http://api.example.com'), a);
    agents.destroy();
  });

  it('never prints proxy credentials: redactProxyUrl and describeRoute', () => {
    assert.equal(redactProxyUrl('http://alice:s3cr%40t@proxy.corp:3128'), 'http://***@proxy.corp:3128');
    assert.equal(redactProxyUrl('http://proxy.corp:3128/'), 'http://proxy.corp:3128');
    assert.equal(redactProxyUrl('not a url alice:s3cret'), '(an unparsable proxy URL)');
    const agents = new ProxyAgents({ env: { HTTPS_PROXY: 'http://alice:s3cret@proxy.corp:3128' } });
    assert.equal(agents.describeRoute('https://api.studyteamapp.com'), 'via http://***@proxy.corp:3128');
    assert.equal(agents.describeRoute('https://127.0.0.1:1'), 'direct');
  });

  it('refuses unsupported or broken proxy URLs with a message that names the source and hides credentials', () => {
    assert.throws(() => new ProxyAgents({ env: { HTTPS_PROXY: 'socks5://bob:pw@proxy:1080' } }), (e: unknown) => {
      assert.ok(e instanceof ProxyConfigurationError);
      assert.match(e.message, /HTTPS_PROXY: socks5 proxies are not supported; use an http:\/\/ or https:\/\/ proxy URL/);
      assert.doesNotMatch(e.message, /pw/);
      return true;
    });
    assert.throws(() => new ProxyAgents({ proxy: 'http://bob:pw@[bad' }), (e: unknown) => {
      assert.ok(e instanceof ProxyConfigurationError);
      assert.match(e.message, /--proxy: .* is not a valid proxy URL/);
      assert.doesNotMatch(e.message, /pw/);
      return true;
    });
  });
});

describe('ProxyAgents through a real logging proxy (CONNECT)', function () {
  this.timeout(20_000);
  let certificates: TestCertificates;
  let sandbox: SandboxServer;
  let proxy: LoggingProxy;
  let env: Environment;
  const sites: ApiRequest = { method: 'GET', url: '/rpi/sites', auth: 'bearer' };

  before(async () => {
    certificates = createTestCertificates();
    // Served on 127.0.0.1 but addressed as studyteam.test, a name only the proxy resolves: a direct
    // connection would fail to resolve it, so a successful call proves the tunnel.
    sandbox = await SandboxServer.start({ tls: { key: certificates.key, cert: certificates.cert }, publicHost: TEST_HTTPS_NAME });
    env = sandbox.environment();
  });
  after(async () => {
    await sandbox.stop();
    certificates.remove();
  });
  beforeEach(async () => {
    proxy = await LoggingProxy.start({ hosts: { [TEST_HTTPS_NAME]: '127.0.0.1' } });
  });
  afterEach(async () => {
    await proxy.stop();
  });

  function runnerThrough(agents: ProxyAgents): { auth: AuthService; runner: RequestRunner } {
    const fetch = createNodeFetch(agents.chooser);
    const client = sandbox.clients[0]!;
    const auth = new AuthService({ credentials: { get: async () => ({ clientId: client.clientId, clientSecret: client.clientSecret }) }, fetch });
    return { auth, runner: new RequestRunner({ auth, fetch }) };
  }

  it('token request and 20 API calls share one reused tunnel; the proxy sees CONNECT only, never the secret or the token', async () => {
    assert.match(env.baseUrl, /^https:\/\/studyteam\.test:\d+$/);
    const agents = new ProxyAgents({ env: { HTTPS_PROXY: proxy.url }, ca: certificates.caCert });
    const { auth, runner } = runnerThrough(agents);
    const tokensBefore = sandbox.counters.tokenRequests;
    for (let i = 0; i < 20; i++) assert.equal((await runner.run(env, sites)).status, 200);
    assert.equal(sandbox.counters.tokenRequests - tokensBefore, 1);
    assert.equal(proxy.connectCount, 1, `one tunnel for 21 requests, saw: ${proxy.entries.map((e) => e.head.split('\r\n')[0]).join(' | ')}`);
    assert.deepEqual(proxy.entries.map((e) => [e.kind, e.target, e.status]), [['connect', `${TEST_HTTPS_NAME}:${new URL(env.baseUrl).port}`, 200]]);
    const seen = proxy.text();
    const token = (await auth.getToken(env)).value;
    assert.ok(!seen.includes(sandbox.clients[0]!.clientSecret), 'the proxy saw the client secret');
    assert.ok(!seen.includes(sandbox.clients[0]!.clientId), 'the proxy saw the client id');
    assert.ok(!seen.includes(token), 'the proxy saw the token');
    assert.ok(!/authorization: bearer/i.test(seen), 'the proxy saw an Authorization header');
    agents.destroy();
  });

  it('proxy credentials from the URL authenticate the CONNECT and are never shown', async () => {
    await proxy.stop();
    proxy = await LoggingProxy.start({ hosts: { [TEST_HTTPS_NAME]: '127.0.0.1' }, auth: { user: 'alice', password: 'p@ss word' } });
    const proxyUrl = proxy.url.replace('http://', 'http://alice:p%40ss%20word@');
    const agents = new ProxyAgents({ proxy: proxyUrl, ca: certificates.caCert });
    assert.equal(agents.describeRoute(env.baseUrl), `via ${proxy.url.replace('http://', 'http://***@')}`);
    const { runner } = runnerThrough(agents);
    assert.equal((await runner.run(env, sites)).status, 200);
    assert.equal(proxy.connectCount, 1);
    assert.equal(proxy.entries[0]!.status, 200);
    agents.destroy();
  });

  it('wrong proxy credentials: the 407 surfaces as a failed call, not a hang', async () => {
    await proxy.stop();
    proxy = await LoggingProxy.start({ hosts: { [TEST_HTTPS_NAME]: '127.0.0.1' }, auth: { user: 'alice', password: 'right' } });
    const agents = new ProxyAgents({ proxy: proxy.url.replace('http://', 'http://alice:wrong@'), ca: certificates.caCert });
    const { runner } = runnerThrough(agents);
    await assert.rejects(() => runner.run(env, sites));
    assert.equal(proxy.entries[0]?.status, 407);
    agents.destroy();
  });

  it('loopback targets stay direct even with HTTPS_PROXY and HTTP_PROXY set', async () => {
    const plain = await SandboxServer.start();
    try {
      const agents = new ProxyAgents({ env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } });
      const fetch = createNodeFetch(agents.chooser);
      const auth = new AuthService({ credentials: { get: async () => ({ clientId: plain.clients[0]!.clientId, clientSecret: plain.clients[0]!.clientSecret }) }, fetch });
      const direct = new RequestRunner({ auth, fetch });
      assert.equal((await direct.run(plain.environment(), sites)).status, 200);
      assert.equal(proxy.entries.length, 0);
      agents.destroy();
    } finally {
      await plain.stop();
    }
  });

  it('NO_PROXY for the host: no tunnel (the name then has to resolve on its own, and here it does not)', async () => {
    const agents = new ProxyAgents({ env: { HTTPS_PROXY: proxy.url, NO_PROXY: TEST_HTTPS_NAME }, ca: certificates.caCert });
    assert.equal(agents.describeRoute(env.baseUrl), 'direct');
    const { runner } = runnerThrough(agents);
    await assert.rejects(() => runner.run(env, sites));
    assert.equal(proxy.entries.length, 0);
    agents.destroy();
  });
});
