// VS Code's proxy settings apply to the extension's requests (issue 14), in the real extension host:
// a logging forward proxy on 127.0.0.1 and an https StudyTeam sandbox on 127.0.0.2 with a throw-away
// CA (made by the harness, trusted through NODE_EXTRA_CA_CERTS; `http.systemCertificates: false` so
// VS Code does not replace Node's CA list). The sandbox is addressed as https://studyteam.test:PORT, a
// name only the proxy resolves: a call that succeeds went through the proxy. With `http.noProxy` the
// same sandbox is reached directly as https://127.0.0.2:PORT (VS Code bypasses the proxy on its own
// only for localhost, 127.0.0.1 and ::1).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { ApiRequest, Environment } from '../../src/core/model';
import { SandboxServer } from '../../src/sandbox/sandboxServer';
import { LoggingProxy } from '../support/loggingProxy';
import { readTestCertificates, TEST_HTTPS_NAME } from '../support/testCertificates';
import { studyTeamApi, waitUntil } from './support/studyteam';

const PROXIED_ID = 'corp-proxied';
const DIRECT_ID = 'corp-by-address';
const SITES: ApiRequest = { method: 'GET', url: '/rpi/sites', auth: 'bearer' };
type HttpSetting = 'proxy' | 'proxySupport' | 'noProxy' | 'systemCertificates';

describe('proxy: VS Code proxy settings apply to token and API requests', function () {
  this.timeout(60_000);
  let api: StudyTeamApi;
  let sandbox: SandboxServer;
  let proxy: LoggingProxy;

  async function setHttp(name: HttpSetting, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration('http').update(name, value, vscode.ConfigurationTarget.Global);
    await waitUntil(`http.${name} to read ${JSON.stringify(value)}`, () => {
      const now = vscode.workspace.getConfiguration('http').get(name);
      return JSON.stringify(now) === JSON.stringify(value ?? vscode.workspace.getConfiguration('http').inspect(name)?.defaultValue) || undefined;
    });
  }

  function environment(id: string): Environment {
    const env = api.environments.get(id);
    assert.ok(env, `environment ${id} is missing`);
    return env;
  }

  /** One token request and one API call, from a cold token cache. */
  async function tokenAndCall(id: string): Promise<void> {
    const env = environment(id);
    await api.auth.clear(id);
    const before = sandbox.counters.tokenRequests;
    const response = await api.runner.run(env, SITES);
    assert.equal(response.status, 200, `GET /rpi/sites through ${env.baseUrl}`);
    assert.equal(sandbox.counters.tokenRequests - before, 1, 'one token request');
  }

  function assertProxySawNothingSecret(): void {
    const seen = proxy.text();
    const client = sandbox.clients[0]!;
    assert.ok(!seen.includes(client.clientSecret), 'the proxy saw the client secret');
    assert.ok(!seen.includes(client.clientId), 'the proxy saw the client id');
    for (const token of sandbox.issuedTokens) assert.ok(!seen.includes(token), 'the proxy saw an access token');
  }

  before(async function () {
    const caDir = process.env.STUDYTEAM_TEST_CA_DIR;
    assert.ok(caDir, 'STUDYTEAM_TEST_CA_DIR is not set: the harness could not make the test CA (is openssl installed?)');
    assert.ok(process.env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS did not reach the extension host');
    const certificates = readTestCertificates(caDir);
    api = await studyTeamApi();
    sandbox = await SandboxServer.start({ host: '127.0.0.2', tls: { key: certificates.key, cert: certificates.cert }, publicHost: TEST_HTTPS_NAME, name: 'Corp sandbox' });
    proxy = await LoggingProxy.start({ hosts: { [TEST_HTTPS_NAME]: '127.0.0.2' } });
    await setHttp('systemCertificates', false);
    const port = new URL(sandbox.url).port;
    await vscode.commands.executeCommand('studyteam.addEnvironment', { id: PROXIED_ID, name: 'Corp (by name)', baseUrl: sandbox.url });
    await vscode.commands.executeCommand('studyteam.addEnvironment', { id: DIRECT_ID, name: 'Corp (by address)', baseUrl: `https://127.0.0.2:${port}`, audience: sandbox.audience });
    const client = sandbox.clients[0]!;
    for (const id of [PROXIED_ID, DIRECT_ID]) {
      assert.equal(await vscode.commands.executeCommand('studyteam.setCredentials', id, { clientId: client.clientId, clientSecret: client.clientSecret }), true);
    }
  });

  after(async () => {
    for (const name of ['proxy', 'proxySupport', 'noProxy', 'systemCertificates'] as const) await setHttp(name, undefined).catch(() => undefined);
    for (const id of [PROXIED_ID, DIRECT_ID]) {
      if (api?.environments.get(id)) await vscode.commands.executeCommand('studyteam.removeEnvironment', id, { skipConfirmation: true });
    }
    await proxy?.stop();
    await sandbox?.stop();
  });

  beforeEach(async () => {
    await setHttp('noProxy', undefined);
    proxy.clear();
  });

  for (const mode of ['override', 'on'] as const) {
    it(`http.proxySupport "${mode}": token request and API call go through http.proxy (CONNECT only) and succeed; no secret or token in the proxy log`, async () => {
      await setHttp('proxySupport', mode);
      await setHttp('proxy', proxy.url);
      await tokenAndCall(PROXIED_ID);
      const port = new URL(sandbox.url).port;
      assert.ok(proxy.entries.length >= 1, 'the proxy saw nothing');
      assert.deepEqual([...new Set(proxy.entries.map((e) => `${e.kind} ${e.target} ${e.status}`))], [`connect ${TEST_HTTPS_NAME}:${port} 200`]);
      assertProxySawNothingSecret();
    });
  }

  it('http.noProxy for the host: token request and API call go direct', async () => {
    await setHttp('proxySupport', 'override');
    await setHttp('proxy', proxy.url);
    // Without noProxy the address is proxied like any other host but localhost/127.0.0.1/::1 …
    await tokenAndCall(DIRECT_ID);
    assert.ok(proxy.entries.some((e) => e.kind === 'connect' && e.target.startsWith('127.0.0.2:')), 'expected a CONNECT to 127.0.0.2 without noProxy');
    assertProxySawNothingSecret();
    // … and with it VS Code connects directly.
    proxy.clear();
    await setHttp('noProxy', ['127.0.0.2']);
    await tokenAndCall(DIRECT_ID);
    assert.deepEqual(proxy.entries.map((e) => e.head.split('\r\n')[0]), []);
  });
});
