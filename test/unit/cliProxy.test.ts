// studyteam-run end to end through a logging forward proxy (issue 14): the BUILT CLI (dist/studyteam-run.js)
// as a child process with HTTPS_PROXY set, against an https sandbox addressed as studyteam.test — a name
// only the proxy resolves, so a passing run went through it. The proxy sees CONNECT tunnels only: never
// the client secret or a token; the proxy's own password is never printed.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SandboxServer } from '../../src/sandbox/sandboxServer';
import { LoggingProxy } from '../support/loggingProxy';
import { createTestCertificates, TEST_HTTPS_NAME, type TestCertificates } from '../support/testCertificates';

function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'cli'))) return dir;
  throw new Error('repository root not found');
}
const CLI = join(repoRoot(), 'dist', 'studyteam-run.js');
const PROXY_PASSWORD = 'pr0xy-pa55word';

interface Run {
  code: number;
  output: string;
}

function runCli(args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Nothing of this process's own proxy or StudyTeam settings leaks into the run.
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STUDYTEAM_') && !/_proxy$/i.test(k) && k !== 'NODE_EXTRA_CA_CERTS'));
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe('studyteam-run through a proxy (HTTPS_PROXY)', function () {
  this.timeout(30_000);
  let certificates: TestCertificates;
  let sandbox: SandboxServer;
  let proxy: LoggingProxy;
  let dir: string;

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is built by npm run build`);
    certificates = createTestCertificates();
    sandbox = await SandboxServer.start({ tls: { key: certificates.key, cert: certificates.cert }, publicHost: TEST_HTTPS_NAME });
    proxy = await LoggingProxy.start({ hosts: { [TEST_HTTPS_NAME]: '127.0.0.1' }, auth: { user: 'ci', password: PROXY_PASSWORD } });
    dir = mkdtempSync(join(tmpdir(), 'st-cli-proxy-'));
    mkdirSync(join(dir, '.studyteam'));
    writeFileSync(
      join(dir, '.studyteam', 'requests.json'),
      JSON.stringify({
        version: 2,
        items: [
          { kind: 'request', id: 'r1', name: 'List sites', method: 'GET', url: '/rpi/sites', auth: 'bearer', expect: [{ kind: 'status', op: 'equals', value: 200 }] },
          { kind: 'request', id: 'r2', name: 'List sites again', method: 'GET', url: '/rpi/sites', auth: 'bearer', expect: [{ kind: 'status', op: 'equals', value: 200 }] },
        ],
      }),
    );
  });
  after(async () => {
    await proxy.stop();
    await sandbox.stop();
    certificates.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (): Record<string, string> => ({
    STUDYTEAM_CLIENT_ID: sandbox.clients[0]!.clientId,
    STUDYTEAM_CLIENT_SECRET: sandbox.clients[0]!.clientSecret,
    HTTPS_PROXY: proxy.url.replace('http://', `http://ci:${PROXY_PASSWORD}@`),
    NODE_EXTRA_CA_CERTS: certificates.caPath,
  });
  const target = (): string[] => ['--env', 'corp', '--base-url', sandbox.url, '--audience', sandbox.audience];

  it('passes; the proxy saw one CONNECT to the host and nothing else; no secret, token or proxy password anywhere', async () => {
    proxy.clear();
    // DEBUG=* turns on the proxy libraries' own debug output: the password must not show there either.
    const run = await runCli(target(), dir, { ...env(), DEBUG: '*' });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /https-proxy-agent/, 'the libraries\' debug output is in the checked output');
    assert.match(run.output, /2 passed, 0 failed/);
    assert.match(run.output, new RegExp(`via http://\\*\\*\\*@127\\.0\\.0\\.1:${new URL(proxy.url).port}`), 'the route is printed, redacted');
    assert.deepEqual(proxy.entries.map((e) => [e.kind, e.target, e.status]), [['connect', `${TEST_HTTPS_NAME}:${new URL(sandbox.url).port}`, 200]], 'one reused tunnel, CONNECT only');
    const seen = proxy.text();
    assert.ok(!seen.includes(sandbox.clients[0]!.clientSecret), 'the proxy saw the client secret');
    for (const token of sandbox.issuedTokens) {
      assert.ok(!seen.includes(token), 'the proxy saw a token');
      assert.ok(!run.output.includes(token), 'a token in the output');
    }
    assert.ok(!run.output.includes(PROXY_PASSWORD), 'the proxy password in the output');
    assert.ok(!run.output.includes(sandbox.clients[0]!.clientSecret), 'the client secret in the output');
  });

  it('NO_PROXY for the host: no tunnel (and the name, which only the proxy knows, does not resolve)', async () => {
    proxy.clear();
    const run = await runCli(target(), dir, { ...env(), NO_PROXY: TEST_HTTPS_NAME });
    assert.notEqual(run.code, 0, run.output);
    assert.equal(proxy.entries.length, 0);
    assert.ok(!run.output.includes(PROXY_PASSWORD));
  });

  it('--proxy overrides HTTPS_PROXY', async () => {
    proxy.clear();
    const run = await runCli([...target(), '--proxy', proxy.url.replace('http://', `http://ci:${PROXY_PASSWORD}@`)], dir, { ...env(), HTTPS_PROXY: 'http://127.0.0.1:9' });
    assert.equal(run.code, 0, run.output);
    assert.equal(proxy.connectCount, 1);
    assert.ok(!run.output.includes(PROXY_PASSWORD));
  });
});
