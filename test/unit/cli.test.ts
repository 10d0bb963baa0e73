// studyteam-run: argument errors, environments from a JSONC settings file, credentials from the process
// environment only, and the BUILT CLI (dist/studyteam-run.js) run as a child process against a sandbox on
// 127.0.0.1:0 — exit codes 0/1/2, a JUnit file CI tools read, and the secret never in the output.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { credentialsFromProcessEnv, resolveEnvironment } from '../../src/cli/cliEnvironment';
import { parseRunArgs, type RunArgs } from '../../src/cli/runArgs';
import { goLiveChecklist } from '../../src/core/goLiveChecklist';
import { blankJsoncExtras } from '../../src/core/jsonc';
import { SandboxServer } from '../../src/sandbox/sandboxServer';

function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'cli'))) return dir;
  throw new Error('repository root not found');
}
const CLI = join(repoRoot(), 'dist', 'studyteam-run.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function runCliProcess(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('STUDYTEAM_')));
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function args(extra: Partial<RunArgs>): RunArgs {
  return { file: '.studyteam/requests.json', iterations: 1, delayMs: 0, stopOnFailure: false, reporter: 'spec', vars: {}, verboseBodies: false, allowProductionWrites: false, help: false, ...extra };
}

describe('studyteam-run: arguments and configuration', () => {
  const errors: Array<[string[], RegExp]> = [
    [[], /--env is required/],
    [['--env'], /--env needs a value/],
    [['--env', 'staging', '--reporter', 'tap'], /--reporter must be spec, junit or json/],
    [['--env', 'staging', '--iterations', '0'], /--iterations must be a whole number ≥ 1/],
    [['--env', 'staging', '--delay', '-5'], /--delay needs a value|--delay must be/],
    [['--env', 'staging', '--client-secret', 'x'], /not an option: credentials come only from environment variables/],
    [['--env', 'staging', '--var', 'clientSecret=x'], /secrets are never taken from arguments/],
    [['--env', 'staging', '--var', 'novalue'], /--var needs NAME=VALUE/],
    [['--env', 'staging', '--bogus'], /Unknown option --bogus/],
    [['--env', 'staging', 'extra'], /Unexpected argument "extra"/],
    [['--env', 'staging', '--stop-on-failure=yes'], /takes no value/],
  ];
  for (const [argv, message] of errors) {
    it(`refuses ${JSON.stringify(argv)}`, () => {
      const parsed = parseRunArgs(argv);
      assert.ok('error' in parsed);
      if ('error' in parsed) assert.match(parsed.error, message);
    });
  }

  it('parses every option', () => {
    const parsed = parseRunArgs(['--env=staging', '--file', 'x.json', '--folder', 'Go-live', '--iterations', '3', '--delay', '10', '--stop-on-failure', '--reporter', 'junit', '--out', 'r.xml', '--var', 'a=b=c', '--var', 'siteId=1', '--verbose-bodies', '--allow-production-writes', '--timeout', '500']);
    assert.ok('args' in parsed);
    if ('args' in parsed) {
      assert.deepEqual(parsed.args.vars, { a: 'b=c', siteId: '1' });
      assert.equal(parsed.args.iterations, 3);
      assert.equal(parsed.args.reporter, 'junit');
      assert.equal(parsed.args.stopOnFailure && parsed.args.verboseBodies && parsed.args.allowProductionWrites, true);
    }
  });

  it('blanks JSONC comments and trailing commas but not inside strings (positions kept)', () => {
    const text = '{\n  // comment\n  "a": "http://x//y", /* b */\n  "c": [1, 2,],\n}';
    const blanked = blankJsoncExtras(text);
    assert.equal(blanked.length, text.length);
    assert.deepEqual(JSON.parse(blanked), { a: 'http://x//y', c: [1, 2] });
  });

  describe('environments', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'st-cli-env-'));
      mkdirSync(join(dir, '.vscode'));
      writeFileSync(
        join(dir, '.vscode', 'settings.json'),
        `{
  // team environments
  "studyteam.environments": [
    { "id": "uat-eu", "name": "UAT EU", "baseUrl": "https://uat.api.studyteamapp.com", "audience": "aud-uat", "variables": { "siteId": "7" } },
    { "id": "prod2", "name": "Prod 2", "baseUrl": "https://api.studyteamapp.com", "production": false },
  ],
}`,
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads studyteam.environments from a JSONC settings file, by id or name', () => {
      const env = resolveEnvironment(args({ env: 'uat-eu' }), dir, {});
      assert.equal(env.baseUrl, 'https://uat.api.studyteamapp.com');
      assert.equal(env.audience, 'aud-uat');
      assert.deepEqual(env.variables, { siteId: '7' });
      assert.equal(resolveEnvironment(args({ env: 'UAT EU' }), dir, {}).id, 'uat-eu');
    });
    it('the production host is production whatever the setting says', () => {
      assert.equal(resolveEnvironment(args({ env: 'prod2' }), dir, {}).production, true);
      assert.equal(resolveEnvironment(args({ env: 'production' }), dir, {}).production, true);
    });
    it('built-in staging; unknown ids list the known ones', () => {
      assert.equal(resolveEnvironment(args({ env: 'staging' }), dir, {}).baseUrl, 'https://staging.api.studyteamapp.com');
      assert.throws(() => resolveEnvironment(args({ env: 'nope' }), dir, {}), /Unknown environment "nope"\. Known: uat-eu, prod2, staging, production/);
    });
    it('--base-url/--token-url/--audience make or override an environment', () => {
      const env = resolveEnvironment(args({ env: 'uat-eu', baseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/t', audience: 'a' }), dir, {});
      assert.deepEqual([env.baseUrl, env.tokenUrl, env.audience], ['http://127.0.0.1:9', 'http://127.0.0.1:9/t', 'a']);
      assert.throws(() => resolveEnvironment(args({ env: 'x', baseUrl: 'http://example.com' }), dir, {}), /must use https/);
    });
    it('sandbox: needs a loopback URL', () => {
      assert.equal(resolveEnvironment(args({ env: 'sandbox', baseUrl: 'http://127.0.0.1:5' }), dir, {}).id, 'sandbox');
      assert.equal(resolveEnvironment(args({ env: 'sandbox' }), dir, { STUDYTEAM_SANDBOX_URL: 'http://localhost:5' }).baseUrl, 'http://localhost:5');
      assert.throws(() => resolveEnvironment(args({ env: 'sandbox' }), dir, {}), /needs the sandbox URL/);
      assert.throws(() => resolveEnvironment(args({ env: 'sandbox', baseUrl: 'https://staging.api.studyteamapp.com' }), dir, {}), /only runs against a local sandbox/);
    });
    it('a broken settings file is a clear error with line and column', () => {
      const bad = mkdtempSync(join(tmpdir(), 'st-cli-bad-'));
      mkdirSync(join(bad, '.vscode'));
      writeFileSync(join(bad, '.vscode', 'settings.json'), '{\n  "studyteam.environments": [ { "id": }\n}');
      assert.throws(() => resolveEnvironment(args({ env: 'staging' }), bad, {}), /settings\.json: line 2, column/);
      rmSync(bad, { recursive: true, force: true });
    });
    it('credentials: per environment first, then the generic pair, never half a pair', () => {
      const env = resolveEnvironment(args({ env: 'uat-eu' }), dir, {});
      assert.deepEqual(credentialsFromProcessEnv(env, { STUDYTEAM_UAT_EU_CLIENT_ID: 'i', STUDYTEAM_UAT_EU_CLIENT_SECRET: 's', STUDYTEAM_CLIENT_ID: 'g', STUDYTEAM_CLIENT_SECRET: 'gs' }), { clientId: 'i', clientSecret: 's' });
      assert.deepEqual(credentialsFromProcessEnv(env, { STUDYTEAM_UAT_EU_CLIENT_ID: 'i', STUDYTEAM_CLIENT_ID: 'g', STUDYTEAM_CLIENT_SECRET: 'gs' }), { clientId: 'g', clientSecret: 'gs' });
      assert.equal(credentialsFromProcessEnv(env, { STUDYTEAM_CLIENT_ID: 'g' }), undefined);
    });
  });
});

describe('studyteam-run: the built CLI against a sandbox (child process)', function () {
  this.timeout(20000);
  let sandbox: SandboxServer;
  let dir: string;
  let creds: Record<string, string>;
  const secret = (): string => creds.STUDYTEAM_SANDBOX_CLIENT_SECRET!;
  const requests = (checks: unknown[], extra: unknown[] = []) =>
    JSON.stringify({
      version: 2,
      items: [
        {
          kind: 'folder',
          id: 'f1',
          name: 'Go-live',
          children: [
            { kind: 'request', id: 'r1', name: 'List sites', method: 'GET', url: '/rpi/sites', auth: 'bearer', expect: checks, capture: [{ name: 'siteId', from: 'json', path: '$[0].id' }] },
            { kind: 'request', id: 'r2', name: 'List sites again <&>', method: 'GET', url: '/rpi/sites', auth: 'bearer', query: [{ name: 'site', value: '{{siteId}}' }] },
            ...extra,
          ],
        },
        { kind: 'request', id: 'r3', name: 'Outside', method: 'POST', url: '/rpi/sites/1/referrals', auth: 'bearer', body: '{}' },
      ],
    });
  const write = (text: string): void => writeFileSync(join(dir, '.studyteam', 'requests.json'), text);
  const base = (): string[] => ['--env', 'sandbox', '--base-url', sandbox.url, '--folder', 'Go-live'];

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is built by npm run build`);
    sandbox = await SandboxServer.start({ port: 0 });
    const client = sandbox.clients[0]!;
    creds = { STUDYTEAM_SANDBOX_CLIENT_ID: client.clientId, STUDYTEAM_SANDBOX_CLIENT_SECRET: client.clientSecret };
    dir = mkdtempSync(join(tmpdir(), 'st-cli-'));
    mkdirSync(join(dir, '.studyteam'));
  });
  after(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const assertNoSecret = (run: Run): void => {
    assert.equal(run.stdout.includes(secret()), false, 'secret in stdout');
    assert.equal(run.stderr.includes(secret()), false, 'secret in stderr');
    assert.doesNotMatch(run.stdout + run.stderr, /eyJ[A-Za-z0-9_-]{10,}\./, 'a token in the output');
  };

  it('exit 0 when every check passes; spec report with totals and one token request', async () => {
    write(requests([{ kind: 'status', op: 'equals', value: 200 }, { kind: 'json', path: '$', op: 'type', value: 'array' }]));
    // A proxy in the environment does not apply to the local sandbox (loopback is always direct).
    const run = await runCliProcess(base(), dir, { ...creds, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ List sites — GET \/rpi\/sites → 200/);
    assert.match(run.stdout, /requests: 2 \(2 passed, 0 failed\); checks: 3 passed, 0 failed; time: \d+ ms; token requests: 1/);
    assertNoSecret(run);
  });

  it('exit 1 when a check fails; JUnit file with testsuite/testcase/failure; verbose bodies still without secrets', async () => {
    write(requests([{ kind: 'status', op: 'equals', value: 418 }]));
    const run = await runCliProcess([...base(), '--reporter', 'junit', '--out', 'report.xml', '--verbose-bodies', '--iterations', '2'], dir, creds);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /status equals 418: expected 418, got 200/);
    assert.match(run.stdout, /Body of "List sites/);
    const xml = readFileSync(join(dir, 'report.xml'), 'utf8');
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="[^"]+" tests="4" failures="2" errors="0" skipped="0" time="[\d.]+">/);
    assert.match(xml, /<testsuite name="Go-live" tests="4" failures="2" errors="0" skipped="0" time="[\d.]+">/);
    assert.match(xml, /<testcase classname="Go-live" name="List sites \(iteration 1\)" time="[\d.]+">\n\s+<failure message="status equals 418: expected 418, got 200" type="check">GET \/rpi\/sites → 200\n/);
    assert.match(xml, /<testcase classname="Go-live" name="List sites again &lt;&amp;&gt; \(iteration 2\)" time="[\d.]+"\/>/);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 4);
    assert.equal((xml.match(/<\/testsuite>/g) ?? []).length, 1);
    assertNoSecret(run);
    assert.equal(xml.includes(secret()), false);
  });

  it('the go-live checklist runs green: sites → referral → subject update → events, captures flowing', async () => {
    writeFileSync(join(dir, '.studyteam', 'requests.json'), JSON.stringify({ version: 2, items: [goLiveChecklist()] }));
    const run = await runCliProcess(['--env', 'sandbox', '--base-url', sandbox.url, '--folder', 'Go-live checklist', '--reporter', 'json'], dir, creds);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as { totals: { passed: number; checksFailed: number; tokenRequests: number }; results: Array<{ path: string; captured: Array<{ name: string; value: string }> }> };
    assert.equal(report.totals.passed, 4);
    assert.equal(report.totals.checksFailed, 0);
    assert.equal(report.totals.tokenRequests, 1);
    const subjectId = report.results[1]!.captured.find((c) => c.name === 'subjectId')!.value;
    assert.match(report.results[2]!.path, new RegExp(`/referrals/subjects/${subjectId}$`));
  });

  it('json reporter to stdout', async () => {
    write(requests([{ kind: 'status', op: 'class', value: '2xx' }]));
    const run = await runCliProcess([...base(), '--reporter', 'json'], dir, creds);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { totals: { requests: number; tokenRequests: number }; results: Array<{ captured: unknown[] }> };
    assert.equal(report.totals.requests, 2);
    assert.equal(report.totals.tokenRequests, 1);
    assert.equal(report.results[0]!.captured.length, 1);
  });

  const exit2: Array<[string, () => string[], Record<string, string> | undefined, RegExp]> = [
    ['an unknown folder', () => ['--env', 'sandbox', '--base-url', sandbox.url, '--folder', 'Nope'], undefined, /There is no folder "Nope"\. Folders: "Go-live"/],
    ['no credentials in the environment', () => base(), {}, /No credentials for Sandbox in the environment: set STUDYTEAM_SANDBOX_CLIENT_ID and STUDYTEAM_SANDBOX_CLIENT_SECRET/],
    ['a refused token', () => base(), { STUDYTEAM_CLIENT_ID: 'wrong-client', STUDYTEAM_CLIENT_SECRET: 'wrong-secret-1234' }, /token/i],
    ['a usage error', () => ['--env', 'sandbox', '--iterations', 'x'], undefined, /--iterations must be a whole number/],
    ['a missing file', () => [...base(), '--file', 'missing.json'], undefined, /missing\.json: no such file/],
    ['an unsupported proxy', () => [...base(), '--proxy', 'socks5://127.0.0.1:1'], undefined, /socks5 proxies are not supported/],
  ];
  for (const [name, argv, env, message] of exit2) {
    it(`exit 2 on ${name}`, async () => {
      write(requests([]));
      const run = await runCliProcess(argv(), dir, env ?? creds);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stderr, message);
      assertNoSecret(run);
      assert.equal((run.stdout + run.stderr).includes('wrong-secret-1234'), false);
    });
  }

  it('exit 2 on an invalid requests file, with line and column', async () => {
    write('{\n  "version": 2,\n  "items": [ oops ]\n}');
    const run = await runCliProcess(base(), dir, creds);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /requests\.json:3:\d+: line 3, column \d+/);
  });

  it('refuses writes to production unless --allow-production-writes (nothing sent)', async () => {
    write(requests([]));
    mkdirSync(join(dir, '.vscode'), { recursive: true });
    writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'studyteam.environments': [{ id: 'prod-local', name: 'Prod local', baseUrl: sandbox.url, production: true }] }));
    const tokensBefore = sandbox.issuedTokens.length;
    const refused = await runCliProcess(['--env', 'prod-local'], dir, creds);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Prod local is a production environment and this run writes: "Outside" \(POST\)\. Nothing was sent\. Add --allow-production-writes/);
    assert.equal(sandbox.issuedTokens.length, tokensBefore, 'not even a token request');
    const allowed = await runCliProcess(['--env', 'prod-local', '--allow-production-writes'], dir, { STUDYTEAM_PROD_LOCAL_CLIENT_ID: creds.STUDYTEAM_SANDBOX_CLIENT_ID!, STUDYTEAM_PROD_LOCAL_CLIENT_SECRET: secret() });
    assert.notEqual(allowed.code, 2, allowed.stderr);
    assert.match(allowed.stdout, /Outside — POST \/rpi\/sites\/1\/referrals → \d{3}/);
    rmSync(join(dir, '.vscode'), { recursive: true, force: true });
  });
});
