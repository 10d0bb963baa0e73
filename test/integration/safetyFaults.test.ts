// Proof of safety in the real extension host (issue 6), part 2: a table of faults. Each case must give an
// actionable message (no secret in it) and not crash, and the next call on the same environment must work.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../src/api';
import type { StudyTeamError } from '../../src/core/errors';
import type { Environment } from '../../src/core/model';
import type { RunOutcome } from '../../src/host/services';
import type { SandboxServer } from '../../src/sandbox/sandboxServer';
import { writeFigures } from './support/safety';
import { GET_SITES, run, safetySession, startSandbox } from './support/safetySession';
import { sleep, studyTeamApi, waitUntil, withConfirmation } from './support/studyteam';
import { uiDriverAvailable, webviewClick, webviewEval, webviewWaitFor } from './support/uiDriver';

let api: StudyTeamApi;

interface FaultContext {
  readonly env: Environment;
  readonly server: SandboxServer;
}

interface FaultCase {
  readonly name: string;
  readonly needsUi?: boolean;
  run(ctx: FaultContext): Promise<void>;
}

/** The extension's StudyTeamError, read structurally: this test bundle has its own copy of the class. */
type ErrorShape = Pick<StudyTeamError, 'kind' | 'actions' | 'retryAfterSeconds'>;

function failure(outcome: RunOutcome): { message: string; error: ErrorShape | undefined } {
  assert.equal(outcome.ok, false, outcome.ok ? `expected a failure, got HTTP ${outcome.response.status}` : '');
  if (outcome.ok) throw new Error('unreachable');
  const error = outcome.error as Partial<ErrorShape> | undefined;
  return { message: outcome.message, error: error && typeof error.kind === 'string' ? (error as ErrorShape) : undefined };
}

function expectFailure(outcome: RunOutcome, kind: string, message: RegExp, ctx: FaultContext): string {
  const { message: text, error } = failure(outcome);
  assert.equal(error?.kind, kind, `kind of "${text}"`);
  assert.match(text, message);
  assert.ok(text.length > 20 && !text.includes(ctx.server.clients[0]!.clientSecret), `actionable and without the secret: ${text}`);
  for (const token of ctx.server.issuedTokens) assert.ok(!text.includes(token), 'no token in the message');
  return text;
}

async function tokenFault(ctx: FaultContext, arrange: (s: SandboxServer) => void, kind: string, message: RegExp): Promise<string> {
  await api.auth.clear(ctx.env.id);
  arrange(ctx.server);
  return expectFailure(await run(api, ctx.env), kind, message, ctx);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function withTransientEnv<T>(ctx: FaultContext, env: Environment, body: (env: Environment) => Promise<T>): Promise<T> {
  const client = ctx.server.clients[0]!;
  await api.credentials.set(env, { clientId: client.clientId, clientSecret: client.clientSecret });
  try {
    return await body(env);
  } finally {
    await api.auth.clear(env.id);
    await api.credentials.delete(env.id);
  }
}

const FAULTS: FaultCase[] = [
  {
    name: 'token endpoint unreachable (a stopped port)',
    run: async (ctx) => {
      const port = await freePort();
      await withTransientEnv(ctx, { id: 'faults-down', name: 'Faults down', baseUrl: `http://127.0.0.1:${port}`, production: false }, async (env) => {
        expectFailure(await run(api, env), 'network', new RegExp(`could not reach the token endpoint http://127\\.0\\.0\\.1:${port}`), ctx);
      });
    },
  },
  {
    name: 'token endpoint timeout (studyteam.tokenTimeoutSeconds = 1, re-read without a reload)',
    run: async (ctx) => {
      const config = vscode.workspace.getConfiguration('studyteam');
      await config.update('tokenTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
      try {
        const started = Date.now();
        await tokenFault(ctx, (s) => (s.faults.tokenDelayMs = 3_000), 'timeout', /did not answer within 1 s/);
        assert.ok(Date.now() - started < 2_800, `gave up after ${Date.now() - started} ms`);
      } finally {
        await config.update('tokenTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      }
    },
  },
  { name: 'token endpoint 500', run: async (ctx) => void (await tokenFault(ctx, (s) => (s.faults.tokenStatus = 500), 'server-error', /500/)) },
  { name: 'token endpoint 503', run: async (ctx) => void (await tokenFault(ctx, (s) => (s.faults.tokenStatus = 503), 'server-error', /503/)) },
  { name: 'token endpoint HTML body (502 proxy page)', run: async (ctx) => void (await tokenFault(ctx, (s) => (s.faults.tokenHtmlStatus = 502), 'server-error', /502/)) },
  { name: 'token endpoint HTML body (200 login page)', run: async (ctx) => void (await tokenFault(ctx, (s) => (s.faults.tokenHtmlStatus = 200), 'bad-response', /HTML|html/)) },
  { name: 'token endpoint malformed JSON', run: async (ctx) => void (await tokenFault(ctx, (s) => (s.faults.tokenMalformedJson = true), 'bad-response', /not OAuth JSON|token/)) },
  {
    name: 'token endpoint 429 with rate-limit headers (says when to retry)',
    run: async (ctx) => {
      const text = await tokenFault(ctx, (s) => ((s.faults.tokenRateLimited = true), (s.faults.rateLimitRetryAfterSeconds = 42)), 'rate-limited', /42 s|42 seconds|\b42\b/);
      assert.match(text, /retry|try again/i);
    },
  },
  {
    name: 'token 401 access_denied (wrong secret)',
    run: async (ctx) => {
      const client = ctx.server.clients[0]!;
      const wrong = `wrong-${randomBytes(24).toString('base64url')}`;
      await api.credentials.set(ctx.env, { clientId: client.clientId, clientSecret: wrong });
      try {
        const text = expectFailure(await run(api, ctx.env), 'token-rejected', /401 access_denied/, ctx);
        assert.ok(!text.includes(wrong));
        assert.ok(failure(await run(api, ctx.env)).error?.actions.includes('setCredentials'), 'offers Set Credentials…');
      } finally {
        await api.credentials.set(ctx.env, { clientId: client.clientId, clientSecret: client.clientSecret });
      }
    },
  },
  {
    name: 'token 403 access_denied (audience not enabled)',
    run: async (ctx) => {
      await withTransientEnv(ctx, { id: 'faults-aud', name: 'Faults audience', baseUrl: ctx.server.url, audience: 'https://not-this-api.example', production: false }, async (env) => {
        expectFailure(await run(api, env), 'token-rejected', /403 access_denied.*Service not enabled/, ctx);
      });
    },
  },
  {
    name: 'token 403 unauthorized_client (no client grant)',
    run: async (ctx) => {
      const grantless: Server = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'unauthorized_client', error_description: `Client is not authorized to access "${ctx.server.url}". You need to create a "client-grant" associated to this API.` }));
        });
      });
      await new Promise<void>((done) => grantless.listen(0, '127.0.0.1', () => done()));
      const tokenUrl = `http://127.0.0.1:${(grantless.address() as AddressInfo).port}/oauth/token`;
      try {
        await withTransientEnv(ctx, { id: 'faults-grant', name: 'Faults grant', baseUrl: ctx.server.url, tokenUrl, production: false }, async (env) => {
          expectFailure(await run(api, env), 'token-rejected', /403 unauthorized_client.*client-grant/, ctx);
        });
      } finally {
        grantless.closeAllConnections();
        await new Promise<void>((done) => grantless.close(() => done()));
      }
    },
  },
  {
    name: 'API 401 once: one re-auth, one retry, success',
    run: async (ctx) => {
      assert.ok((await run(api, ctx.env)).ok);
      ctx.server.resetCounters();
      ctx.server.faults.apiUnauthorizedOnce = true;
      const outcome = await run(api, ctx.env);
      assert.ok(outcome.ok && outcome.response.status === 200 && outcome.response.retried);
      assert.deepEqual({ ...ctx.server.counters }, { tokenRequests: 1, apiRequests: 2 });
    },
  },
  {
    name: 'API 401 forever: no loop (two API calls, two token requests)',
    run: async (ctx) => {
      await api.auth.clear(ctx.env.id);
      ctx.server.resetCounters();
      ctx.server.faults.apiUnauthorizedAlways = true;
      const outcome = await run(api, ctx.env);
      assert.ok(!outcome.ok || outcome.response.status === 401, 'ends with the 401');
      if (!outcome.ok) assert.ok(outcome.message.length > 20, outcome.message);
      assert.deepEqual({ ...ctx.server.counters }, { tokenRequests: 2, apiRequests: 2 });
    },
  },
  {
    name: 'API connection dropped mid-body',
    run: async (ctx) => {
      ctx.server.faults.apiDropMidBody = true;
      const { message, error } = failure(await run(api, ctx.env));
      assert.ok(error && ['network', 'bad-response'].includes(error.kind), `kind ${error?.kind}: ${message}`);
      assert.match(message, /Faults/);
    },
  },
  {
    name: 'slow API response cancelled by the user',
    run: async (ctx) => {
      ctx.server.faults.apiDelayMs = 10_000;
      const source = new vscode.CancellationTokenSource();
      const started = Date.now();
      setTimeout(() => source.cancel(), 300);
      const outcome = await run(api, ctx.env, GET_SITES, { token: source.token, notify: true });
      source.dispose();
      assert.ok(!outcome.ok && outcome.cancelled, 'cancelled');
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    },
  },
  {
    name: 'API 10 MB JSON body',
    run: async (ctx) => {
      ctx.server.faults.bigJsonMb = 10;
      const outcome = await run(api, ctx.env);
      assert.ok(outcome.ok && outcome.response.status === 200);
      assert.ok(outcome.response.size >= 10 * 1024 * 1024 * 0.95, `${outcome.response.size} bytes`);
      JSON.parse(outcome.response.text);
    },
  },
  {
    name: 'corrupt saved-requests file: error with line/column, file untouched, recovers',
    run: async () => {
      const store = api.features.savedRequests.store;
      const file = store.fileUri.fsPath;
      const original = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      const corrupt = '{\n  "version": 1,\n  "items": [ oops\n';
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, corrupt);
      try {
        const state = await store.reload();
        assert.equal(state.kind, 'invalid');
        assert.ok(state.kind === 'invalid' && state.line === 3, JSON.stringify(state));
        await assert.rejects(Promise.resolve(vscode.commands.executeCommand('studyteam.addExamples', { throwErrors: true })));
        assert.equal(readFileSync(file, 'utf8'), corrupt, 'the invalid file is never overwritten');
      } finally {
        if (original === undefined) writeFileSync(file, '{\n  "version": 1,\n  "items": []\n}\n');
        else writeFileSync(file, original);
        assert.equal((await store.reload()).kind, 'ok');
      }
    },
  },
  {
    name: 'export into an unwritable folder',
    run: async () => {
      // Something to export, so the only thing wrong is the target.
      if (api.features.savedRequests.store.allRequests().length === 0) await vscode.commands.executeCommand('studyteam.addExamples');
      const dir = mkdtempSync(join(tmpdir(), 'studyteam-ro-'));
      // chmod does not stop root (CI runs as root): a regular file where a folder should be stops everyone.
      writeFileSync(join(dir, 'not-a-folder'), '');
      const target = join(dir, 'not-a-folder', 'export.http');
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('studyteam.exportRequests', undefined, { format: 'http', path: target, show: false, throwErrors: true })),
        (error: Error) => error.message.length > 10 && !/nothing to export/i.test(error.message),
      );
      const ok = join(dir, 'export.http');
      await vscode.commands.executeCommand('studyteam.exportRequests', undefined, { format: 'http', path: ok, show: false, throwErrors: true });
      assert.ok(existsSync(ok));
    },
  },
  {
    name: 'webview: malformed and unknown messages are ignored',
    needsUi: true,
    run: async (ctx) => {
      const panel = api.features.requestPanel;
      await vscode.commands.executeCommand('studyteam.switchEnvironment', ctx.env.id);
      const name = `Faults webview ${safetySession().tag}`;
      panel.openNewRequest({ name, url: '/rpi/sites' });
      await waitUntil('panel ready', () => panel.panels().find((p) => p.draft.name === name && p.ready), 20_000);
      ctx.server.resetCounters();
      await webviewEval(
        '#app',
        `(() => { const api = window.__studyteamVscode;
          api.postMessage({ type: 'send', seq: 'x', draft: null });
          api.postMessage({ type: 'send', seq: 2, draft: { name: 1, method: 'BREW', url: 42 } });
          api.postMessage({ type: 'deleteEverything' });
          api.postMessage('not even an object');
          api.postMessage(null);
          return true; })()`,
        { titleContains: name },
      );
      await sleep(700);
      assert.equal(ctx.server.counters.apiRequests, 0, 'nothing was sent for malformed messages');
      await webviewClick('#send', { titleContains: name });
      await webviewWaitFor('#status', { titleContains: name, textContains: '200' });
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    },
  },
  {
    name: 'settings: an environment with an invalid URL is rejected, the others keep working',
    run: async () => {
      const config = vscode.workspace.getConfiguration('studyteam');
      const before = config.inspect<unknown[]>('environments')?.globalValue;
      const current = Array.isArray(before) ? before : [];
      await config.update('environments', [...current, { id: 'bad-url', name: 'Bad URL', baseUrl: 'not a url' }], vscode.ConfigurationTarget.Global);
      try {
        await sleep(200);
        assert.equal(api.environments.get('bad-url'), undefined, 'the invalid environment is not used');
        assert.ok(api.environments.get('staging'), 'the others remain');
        const added = await vscode.commands.executeCommand('studyteam.addEnvironment', { id: 'bad-url-2', name: 'Bad', baseUrl: 'ftp://nope' });
        assert.equal(added, undefined, 'addEnvironment refuses an invalid URL');
        assert.equal(api.environments.get('bad-url-2'), undefined);
      } finally {
        await config.update('environments', before, vscode.ConfigurationTarget.Global);
      }
    },
  },
  {
    name: 'settings: token URL moved to a new origin asks first and sends nothing when declined',
    run: async (ctx) => {
      const other = await startSandbox(api, 'faults-other', 'Faults other');
      const client = ctx.server.clients[0]!;
      await vscode.commands.executeCommand('studyteam.addEnvironment', { id: 'faults-moved', name: 'Faults moved', baseUrl: ctx.server.url, audience: ctx.server.audience });
      try {
        await vscode.commands.executeCommand('studyteam.setCredentials', 'faults-moved', { clientId: client.clientId, clientSecret: client.clientSecret });
        await vscode.commands.executeCommand('studyteam.editEnvironment', 'faults-moved', { tokenUrl: `${other.server.url}/oauth/token` });
        const declined = await withConfirmation(api, false, () => run(api, api.environments.get('faults-moved')));
        assert.equal(declined.asked.length, 1);
        assert.ok(declined.asked[0]!.includes(other.server.url) && declined.asked[0]!.includes(ctx.server.url), 'names both origins');
        const { error, message } = failure(declined.result);
        assert.equal(error?.kind, 'declined', message);
        assert.equal(other.server.counters.tokenRequests, 0, 'the secret was not sent to the new origin');
      } finally {
        await vscode.commands.executeCommand('studyteam.removeEnvironment', 'faults-moved', { skipConfirmation: true });
        await api.sandbox.stop('faults-other');
      }
    },
  },
];

describe('safety: fault matrix', function () {
  this.timeout(60_000);
  let ctx: FaultContext;
  let passed = 0;
  let total = 0;

  before(async () => {
    api = await studyTeamApi();
    ctx = await startSandbox(api, 'faults', 'Faults');
  });

  afterEach(function () {
    ctx.server.resetFaults();
    const state = this.currentTest?.state;
    if (state === 'pending') return;
    total++;
    if (state === 'passed') passed++;
  });

  after(async () => {
    console.log(`    fault matrix: ${passed}/${total} passed (each: actionable message, no crash, next call succeeds)`);
    writeFigures({ faultsPassed: passed, faultsTotal: total });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const fault of FAULTS) {
    it(fault.name, async function () {
      if (fault.needsUi && !uiDriverAvailable()) this.skip();
      await fault.run(ctx);
      // The extension still works: the next call on the same environment succeeds.
      ctx.server.resetFaults();
      const next = await run(api, ctx.env);
      assert.ok(next.ok && next.response.status === 200, `the next call after "${fault.name}": ${next.ok ? `HTTP ${next.response.status}` : next.message}`);
    });
  }
});
